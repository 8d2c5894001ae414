"""The desk is Chinese by default: every interface string has a zh_Hans translation."""

import re
from pathlib import Path

PO = Path(__file__).resolve().parent.parent / "apps/bj_enrollment/locale/zh_Hans/LC_MESSAGES/django.po"


def _entries():
    for block in PO.read_text(encoding="utf-8").split("\n\n"):
        msgid = "".join(re.findall(r'"(.*)"', block.split("msgstr")[0].split("msgid", 1)[-1]))
        msgstr = "".join(re.findall(r'"(.*)"', block.split("msgstr", 1)[-1])) if "msgstr" in block else ""
        yield block, msgid, msgstr


def test_every_string_is_translated_and_none_is_fuzzy():
    untranslated = [msgid for block, msgid, msgstr in _entries() if msgid and (not msgstr or "#, fuzzy" in block)]
    assert untranslated == []


def test_catalogue_is_not_empty():
    assert sum(1 for _b, msgid, _s in _entries() if msgid) > 150
