"""Every code the API can answer with is declared in error_codes.py, with a Chinese message: the codes
the API's code raises (read from the source), and the codes of every field of every form it binds."""

import ast
from pathlib import Path

import pytest
from django.utils import translation

from apps.bj_enrollment import error_codes
from apps.bj_enrollment.portal import forms as portal_forms
from apps.bj_enrollment.portal.details_forms import build_forms
from apps.bj_enrollment.zones.forms import ZoneLookupForm

ROOT = Path(__file__).resolve().parents[2]
# What the API and the zone look-up reach: their handlers, the portal's forms and flows, the rules and
# services behind them, and the custom fields the details forms carry.
PACKAGES = ("api", "portal", "services", "rules", "zones", "registries")
REACHED = [path for package in PACKAGES for path in (ROOT / "apps/bj_enrollment" / package).glob("**/*.py")]
REACHED.append(ROOT / "apps/lowcode/customfields/values.py")


def literal_codes(path: Path) -> set[str]:
    """`code="..."` in calls, and `"code": "..."` in dictionaries."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.keyword) and node.arg == "code" and isinstance(node.value, ast.Constant):
            found.add(node.value.value)
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and key.value == "code" and isinstance(value, ast.Constant):
                    found.add(value.value)
    return found


def form_codes(form) -> set[str]:
    codes = set()
    for field in form.fields.values():
        codes |= set(field.error_messages)
        codes |= {getattr(v, "code", None) for v in field.validators} - {None}
        for sub in getattr(field, "fields", ()):  # MultiValueField (the captcha)
            codes |= set(sub.error_messages)
    return codes


def test_every_code_the_api_code_names_is_declared():
    named = {(path.relative_to(ROOT).as_posix(), code) for path in REACHED for code in literal_codes(path)}
    assert {code for _path, code in named} >= {"sms_wrong", "invalid_choice"}  # the scan sees them
    assert {(path, code) for path, code in named if code not in error_codes.DECLARED} == set()


@pytest.mark.django_db
def test_every_code_of_the_forms_the_api_binds_is_declared(city):
    forms = [
        portal_forms.RegistrationForm(),
        portal_forms.LoginForm(),
        portal_forms.SmsRequestForm(),
        portal_forms.ResetRequestForm(),
        portal_forms.NewPasswordForm(),
        portal_forms.CancelForm(),
        ZoneLookupForm(),
        *build_forms(city.east_app).values(),
    ]
    if hasattr(portal_forms, "ResetPasswordForm"):
        forms.append(portal_forms.ResetPasswordForm())
    codes = set().union(*(form_codes(form) for form in forms))
    assert {"required", "invalid", "max_length", "invalid_choice"} <= codes  # the forms were read
    assert codes - set(error_codes.DECLARED) == set()


def test_every_declared_message_is_chinese():
    with translation.override("zh-hans"):
        english = [e.code for e in error_codes.DECLARED.values() if str(e.message).isascii()]
    assert english == []
