"""API v1 for a junior-high family's private-school applications (/api/v1/junior/private, R43): the same
service as the portal's page (services/private_applications.py) behind the family's token
(api/junior.py). Every change costs an SMS code to the mobile on file."""

from __future__ import annotations

from ninja import Router, Schema, Status

from apps.bj_enrollment.api.junior import FAMILY_AUTH, Done
from apps.bj_enrollment.services import private_applications as private

router = Router(tags=["junior"])


class SchoolOut(Schema):
    code: str
    name: str
    district: str


class ApplicationOut(Schema):
    id: int
    school: SchoolOut
    state: str
    state_label: str


class PrivateOut(Schema):
    max_choices: int
    open: bool
    closes_at: str | None
    schools: list[SchoolOut]
    applications: list[ApplicationOut]


class ApplyIn(Schema):
    school: str  # the private junior high's code
    sms_code: str


class ChangeIn(Schema):
    school: str
    sms_code: str


class WithdrawIn(Schema):
    sms_code: str


def _school(school) -> dict:
    return {"code": school.code, "name": school.name, "district": school.district.name}


def _out(student) -> dict:
    window = student.campaign.window(private.Stage.PRIVATE_APPLICATION, student.district)
    applications = student.private_applications.select_related("school__district").order_by("created_at")
    return {
        "max_choices": private.max_choices(student.campaign),
        "open": private.is_open(student),
        "closes_at": window.closes_at.isoformat() if window else None,
        "schools": [_school(s) for s in private.schools().select_related("district")],
        "applications": [{"id": a.pk, "school": _school(a.school), "state": a.state,
                          "state_label": a.get_state_display()} for a in applications],
    }


@router.get("", response=PrivateOut, auth=FAMILY_AUTH)
def read_private(request):
    """The private junior highs, the student's applications, the limit and the window."""
    return _out(request.auth)


@router.post("/sms-code", response={202: Done}, auth=FAMILY_AUTH)
def send_code(request):
    """A code to the mobile on file, for the next apply, change or withdraw."""
    private.send_confirmation_code(request, request.auth)
    return Status(202, {"ok": True})


@router.post("/applications", response={201: PrivateOut}, auth=FAMILY_AUTH)
def apply(request, payload: ApplyIn):
    """Apply to a private junior high (refused outside the window, over the limit or twice)."""
    private.apply(request.auth, payload.school, payload.sms_code)
    return Status(201, _out(request.auth))


@router.put("/applications/{application_id}", response=PrivateOut, auth=FAMILY_AUTH)
def change(request, application_id: int, payload: ChangeIn):
    """Another private junior high instead of this application's."""
    private.change(request.auth, application_id, payload.school, payload.sms_code)
    return _out(request.auth)


@router.post("/applications/{application_id}/withdrawal", response=PrivateOut, auth=FAMILY_AUTH)
def withdraw(request, application_id: int, payload: WithdrawIn):
    """Withdraw this application."""
    private.withdraw(request.auth, application_id, payload.sms_code)
    return _out(request.auth)
