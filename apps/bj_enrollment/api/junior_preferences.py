"""API v1 for a junior-high family's preferences (/api/v1/junior/preferences, 志愿 R41): the same
service as the portal's page (services/preferences.py) behind the family's token (api/junior.py).
Drafts are saved as sent; confirming costs an SMS code to the mobile on file."""

from __future__ import annotations

from ninja import Router, Schema, Status

from apps.bj_enrollment.api.junior import FAMILY_AUTH, Done, _bound
from apps.bj_enrollment.choices import ConfirmationMethod
from apps.bj_enrollment.portal.forms import CodeForm
from apps.bj_enrollment.services import preferences

router = Router(tags=["junior"])
CHANCES_URL = "/chances/"  # R42: the high-school chances of each junior high, to read while choosing


class SchoolOut(Schema):
    code: str
    name: str


class PreferencesOut(Schema):
    max_choices: int
    open: bool
    closes_at: str | None
    allowed: list[SchoolOut]
    draft: list[SchoolOut]
    confirmed: list[SchoolOut]
    confirmed_at: str | None
    pending: bool  # the draft differs from the confirmed list, which is what the lottery reads
    chances_url: str


class DraftIn(Schema):
    schools: list[str]  # school codes, first choice first


class CodeIn(Schema):
    sms_code: str


def _schools(schools) -> list[dict]:
    return [{"code": s.code, "name": s.name} for s in schools]


def _out(student) -> dict:
    lists = preferences.lists(student)
    return {
        "max_choices": lists.setting.max_choices,
        "open": lists.open,
        "closes_at": lists.closes_at.isoformat() if lists.closes_at else None,
        "allowed": _schools(lists.allowed),
        "draft": _schools(lists.draft),
        "confirmed": _schools(lists.confirmed),
        "confirmed_at": lists.confirmed_at.isoformat() if lists.confirmed_at else None,
        "pending": lists.pending,
        "chances_url": CHANCES_URL,
    }


@router.get("", response=PreferencesOut, auth=FAMILY_AUTH)
def read_preferences(request):
    """The schools the student may list, the draft, the confirmed list and the window."""
    return _out(request.auth)


@router.put("/draft", response=PreferencesOut, auth=FAMILY_AUTH)
def save_draft(request, payload: DraftIn):
    """Replace the draft with `schools` in this order (refused outside the window or over the limits)."""
    preferences.save_draft(request.auth, payload.schools)
    return _out(request.auth)


@router.post("/sms-code", response={202: Done}, auth=FAMILY_AUTH)
def send_code(request):
    """A code to the mobile on file, to confirm the draft."""
    preferences.send_confirmation_code(request, request.auth)
    return Status(202, {"ok": True})


@router.post("/confirmation", response=PreferencesOut, auth=FAMILY_AUTH)
def confirm(request, payload: CodeIn):
    """Confirm the draft with the SMS code: it becomes the list the lottery reads."""
    code = _bound(CodeForm, {"sms_code": payload.sms_code})["sms_code"]
    preferences.confirm(request.auth, code, ConfirmationMethod.API)
    return _out(request.auth)
