"""The printed form's CJK faces: a "common characters" face made from the installed Noto face comes
first, and any character it lacks (a rare name character) still prints, from the full face, with the
same text read back from the PDF."""

from __future__ import annotations

import io
import re

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from apps.bj_enrollment import printing_setup
from apps.lowcode.printing import fonts, service

pytestmark = pytest.mark.django_db

RARE = "䶮𠮷"  # CJK Extension A and B: outside GB 2312, in the full Noto CJK face


@pytest.fixture
def app(city):
    printing_setup.load_default_formats()
    return city.east_app


def _faces(pdf: bytes) -> dict[str, str]:
    """Each embedded face's name (without the subset tag) and the text its ToUnicode map gives."""
    faces = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            name = str(font["/BaseFont"]).split("+", 1)[1]
            cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
            text = "".join(chr(int(code, 16)) if len(code) <= 4 else bytes.fromhex(code).decode("utf-16-be")
                           for code in re.findall(r"<[0-9A-Fa-f]+>\s*<([0-9A-Fa-f]+)>", cmap))
            faces[name] = faces.get(name, "") + text
    return faces


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_common_name_prints_with_the_common_faces_only(app):
    app.child.name = "王小明"
    app.child.save()
    pdf = service.render_pdf(app)

    assert "王小明" in _text(pdf)
    assert set(_faces(pdf)) == {"Noto-Serif-CJK-SC-Common", "Noto-Serif-CJK-SC-Common-Bold"}


def test_rare_name_character_prints_from_the_full_face(app):
    app.child.name = f"刘{RARE}"
    app.child.save()
    pdf = service.render_pdf(app)

    assert f"刘{RARE}" in _text(pdf)
    faces = _faces(pdf)
    assert "刘" in faces["Noto-Serif-CJK-SC-Common-Bold"]  # the name cell is bold
    for char in RARE:
        assert char in faces["Noto-Serif-CJK-SC-Bold"]
        assert all(char not in text for name, text in faces.items() if name.endswith("Common-Bold"))


def test_common_face_is_made_once_from_the_installed_face(settings, tmp_path):
    settings.SITE_DIR = tmp_path
    made = fonts.common_face("Noto Serif CJK SC", "Bold")

    assert made.parent == tmp_path / fonts.FOLDER
    face = TTFont(made, lazy=True)
    assert face["name"].getDebugName(1) == "Noto Serif CJK SC Common"
    covered = face.getBestCmap()
    assert all(char in covered for char in map(ord, "北京市义务教育入学服务平台学龄人口信息采集表（）：0Aa"))
    assert not any(ord(char) in covered for char in RARE)
    written = made.stat().st_mtime_ns
    assert fonts.common_face("Noto Serif CJK SC", "Bold") == made and made.stat().st_mtime_ns == written


def test_common_face_is_made_again_when_its_character_set_changes(settings, tmp_path, monkeypatch):
    settings.SITE_DIR = tmp_path
    old = fonts.common_face("Noto Serif CJK SC", "Regular")
    monkeypatch.setattr(fonts, "CHARSET", fonts.CHARSET + "-next")
    new = fonts.common_face("Noto Serif CJK SC", "Regular")

    assert new != old and [path.name for path in new.parent.iterdir()] == [new.name]


def test_a_page_with_its_own_font_face_gets_its_own_configuration():
    kept = fonts.configuration_for("<p>表</p>")

    assert fonts.configuration_for("<p>申请表</p>") is kept
    assert fonts.configuration_for('<style>@font-face { font-family: x; src: url("data:,") }</style>') is not kept


def test_site_folder_that_cannot_keep_the_face_leaves_the_full_face(settings, tmp_path):
    (tmp_path / "site").write_text("")  # a file where the site folder would be
    settings.SITE_DIR = tmp_path / "site"

    assert fonts.common_face("Noto Serif CJK SC", "Regular") is None
