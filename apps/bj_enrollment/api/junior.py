"""API v1 for junior-high families (/api/v1/junior/…, 小升初 R37/R38): the portal's family services
behind a token of its own. A family has no account: the token names one student and is issued for the
education ID + name + an SMS code sent to the mobile on file; it expires after two hours, and every
write still costs a fresh SMS code."""

from __future__ import annotations

from django.core import signing
from django.core.exceptions import ValidationError
from ninja import Router, Schema, Status
from ninja.security import HttpBearer

from apps.bj_enrollment import error_codes
from apps.bj_enrollment.api.printing import family_form_answer
from apps.bj_enrollment.choices import ConfirmationMethod, Level, StudentState
from apps.bj_enrollment.models import Student
from apps.bj_enrollment.portal.forms import CodeForm, captcha_field
from apps.bj_enrollment.portal.junior_forms import StudentLoginForm
from apps.bj_enrollment.rules.printing import can_print_sheet
from apps.bj_enrollment.services import junior_family as family
from apps.bj_enrollment.services.transfers import transfer_status
from apps.lowcode.masking import mask_phone
from apps.lowcode.workflow import states

SALT = "bj_enrollment.api.junior-token"
MAX_AGE = 2 * 3600

router = Router(tags=["junior"])


def issue(student: Student) -> str:
    return signing.dumps({"s": student.pk, "e": student.education_id}, salt=SALT, compress=True)


def student_for(token: str) -> Student | None:
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    return (
        Student.objects.select_related("campaign", "graduating_school", "district", "school", "hukou_district")
        .filter(pk=data.get("s"), education_id=data.get("e"), campaign__level=Level.JUNIOR, campaign__active=True)
        .exclude(state=StudentState.WITHDRAWN)
        .first()
    )


class FamilyToken(HttpBearer):
    def authenticate(self, request, token):
        return student_for(token)


FAMILY_AUTH = FamilyToken()


def _bound(form_class, payload: dict) -> dict:
    form = form_class(data=payload)
    if not form.is_valid():
        raise ValidationError({name: list(errs.as_data()) for name, errs in form.errors.items()})
    return form.cleaned_data


def _check_captcha(key: str, answer: str) -> None:
    try:
        captcha_field().clean([key, answer])
    except ValidationError as exc:
        raise ValidationError({"captcha": exc.error_list}) from None


class LoginCodeIn(Schema):
    education_id: str
    name: str
    captcha_key: str
    captcha: str


class TokenIn(Schema):
    education_id: str
    name: str
    sms_code: str


class TokenOut(Schema):
    token: str
    expires_in: int


class Done(Schema):
    ok: bool = True


class GuardianOut(Schema):
    name: str
    relationship: str
    phone: str


class TransferDecisionOut(Schema):
    district: str
    action: str
    label: str
    approved: bool
    at: str
    reason: str


class TransferOut(Schema):
    state: str
    label: str
    hint: str
    from_district: str
    to_district: str
    basis: str
    filed_at: str
    refusal_reason: str
    decisions: list[TransferDecisionOut]


class StudentOut(Schema):
    education_id: str
    name: str
    gender: str
    birth_date: str | None
    id_type: str
    id_number: str
    hukou_province: str
    hukou_district: str | None
    hukou_address: str
    graduating_school: str
    graduating_class: str
    mobile: str
    guardians: list[GuardianOut]
    state: str
    state_label: str
    awaiting_confirmation: bool
    correction_request: str
    confirmed_at: str | None
    confirmation_method: str
    confirmation_number: str | None
    can_print: bool
    transfer: TransferOut | None


class CodeIn(Schema):
    sms_code: str


class CorrectionIn(Schema):
    sms_code: str
    corrections: dict[str, str]
    note: str = ""


def _out(student: Student) -> dict:
    return {
        "education_id": student.education_id,
        "name": student.name,
        "gender": student.gender,
        "birth_date": student.birth_date.isoformat() if student.birth_date else None,
        "id_type": student.id_type,
        "id_number": student.id_number,
        "hukou_province": student.hukou_province,
        "hukou_district": student.hukou_district.name if student.hukou_district_id else None,
        "hukou_address": student.hukou_address,
        "graduating_school": student.graduating_school.name,
        "graduating_class": student.graduating_class,
        "mobile": mask_phone(student.mobile),
        "guardians": [{"name": g.name, "relationship": g.relationship, "phone": mask_phone(g.phone)}
                      for g in student.guardians.all()],
        "state": student.state,
        "state_label": states.parent_label(student),
        "awaiting_confirmation": student.state == StudentState.AWAITING_CONFIRMATION,
        "correction_request": student.correction_request,
        "confirmed_at": student.confirmed_at.isoformat() if student.confirmed_at else None,
        "confirmation_method": student.confirmation_method,
        "confirmation_number": student.confirmation_number,
        "can_print": can_print_sheet(student),
        "transfer": _transfer_out(student),
    }


def _transfer_out(student: Student) -> dict | None:
    """services.transfers.transfer_status with its times as ISO strings."""
    status = transfer_status(student)
    if status is None:
        return None
    decisions = [{**d, "at": d["at"].isoformat()} for d in status["decisions"]]
    return {**status, "label": str(status["label"]), "filed_at": status["filed_at"].isoformat(),
            "decisions": decisions}


@router.post("/sms-codes/login", response={202: Done})
def login_code(request, payload: LoginCodeIn):
    """Step 1 of the token log-in: the education ID and name (behind an image code); the SMS goes to
    the mobile on file. A wrong pair counts towards the lock-out like the portal's log-in."""
    _check_captcha(payload.captcha_key, payload.captcha)
    data = _bound(StudentLoginForm, {"education_id": payload.education_id, "name": payload.name})
    student = family.find_student(request, data["education_id"], data["name"])
    family.send_student_code(request, student, family.LOGIN)
    return Status(202, {"ok": True})


@router.post("/tokens", response={201: TokenOut})
def create_token(request, payload: TokenIn):
    """Step 2: the same education ID and name with the SMS code give a token for this student."""
    data = _bound(StudentLoginForm, {"education_id": payload.education_id, "name": payload.name})
    code = _bound(CodeForm, {"sms_code": payload.sms_code})["sms_code"]
    student = family.find_student(request, data["education_id"], data["name"])
    with family.spend_code(student, family.LOGIN, code):
        token = issue(student)  # the code is used up by this log-in
    return Status(201, {"token": token, "expires_in": MAX_AGE})


@router.get("/student", response=StudentOut, auth=FAMILY_AUTH)
def read_student(request):
    """The student's registry data as the family sees it (mobiles masked) and where it stands."""
    return _out(request.auth)


@router.post("/sms-codes/{purpose}", response={202: Done}, auth=FAMILY_AUTH)
def own_code(request, purpose: str):
    """A code for "confirmation" or "correction", to the mobile on file."""
    purposes = {"confirmation": family.CONFIRM, "correction": family.CORRECT}
    if purpose not in purposes:
        raise ValidationError({"purpose": [error_codes.INVALID_CHOICE.error()]})
    family.send_student_code(request, request.auth, purposes[purpose])
    return Status(202, {"ok": True})


@router.post("/confirmation", response=StudentOut, auth=FAMILY_AUTH)
def confirm(request, payload: CodeIn):
    """R37: confirm ("sign") the data as read, with the SMS code."""
    code = _bound(CodeForm, {"sms_code": payload.sms_code})["sms_code"]
    return _out(family.confirm(request.auth, code, ConfirmationMethod.API))


@router.post("/correction", response=StudentOut, auth=FAMILY_AUTH)
def report_correction(request, payload: CorrectionIn):
    """R38: `corrections` maps items (name, gender, birth_date, id_type, id_number, hukou_address,
    graduating_class, mobile, guardians) to what they should be; the graduating school corrects them."""
    code = _bound(CodeForm, {"sms_code": payload.sms_code})["sms_code"]
    return _out(family.report_correction(request.auth, code, payload.corrections, payload.note))


@router.get("/confirmation.pdf", auth=FAMILY_AUTH)
def confirmation_pdf(request):
    """The confirmation sheet, once the family has confirmed."""
    student = request.auth
    return family_form_answer(student, student.confirmation_number)