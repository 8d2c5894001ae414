"""A shipped template's new text reaches a site that loaded the old one (its file lists the old text
under `replaces`), unless an administrator edited it: the edit stays theirs."""

import json

import pytest

from apps.bj_enrollment import messaging_setup
from apps.lowcode.messaging.models import MessageTemplate

pytestmark = pytest.mark.django_db
SHIPPED = messaging_setup.TEMPLATES_DIR / "transfer_in_approved.json"


def test_the_old_shipped_text_is_replaced_and_an_edit_is_kept():
    data = json.loads(SHIPPED.read_text(encoding="utf-8"))
    (old,) = data["replaces"]
    MessageTemplate.objects.filter(key="transfer_in_approved").update(text=old)  # a site loaded before
    messaging_setup.load_default_templates()
    assert MessageTemplate.objects.get(key="transfer_in_approved").text == data["text"]
    assert "重新填报" in data["text"]

    edited = "【北京市义务教育入学服务平台】{{ name }}已转入{{ to_district }}。"
    MessageTemplate.objects.filter(key="transfer_in_approved").update(text=edited)
    messaging_setup.load_default_templates()
    assert MessageTemplate.objects.get(key="transfer_in_approved").text == edited
