"""API v1: the parent's journey for the city's mobile app. Input is checked by the portal's own forms
and services, so the rules and the (Chinese) messages are the same; OpenAPI at /api/v1/openapi.json,
browsable at /api/v1/docs."""

from __future__ import annotations

from captcha.helpers import captcha_image_url
from captcha.models import CaptchaStore
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.http import Http404
from ninja import Body, File, Form, Schema, Status
from ninja.files import UploadedFile

from apps.bj_enrollment.api import auth, errors
from apps.bj_enrollment.api.custom_fields import CustomFieldsAPI, document_for
from apps.bj_enrollment.api.documents import router as documents_router
from apps.bj_enrollment.api.junior import router as junior_router
from apps.bj_enrollment.api.junior_preferences import router as junior_preferences_router
from apps.bj_enrollment.api.junior_private import router as junior_private_router
from apps.bj_enrollment.api.printing import family_form_answer
from apps.bj_enrollment.api.throttle import ApiThrottle
from apps.bj_enrollment.models import Application, Campaign, Category
from apps.bj_enrollment.portal import flows, limits, progress, sms_codes
from apps.bj_enrollment.portal.details_forms import build_forms, save_draft
from apps.bj_enrollment.portal.forms import (
    CancelForm,
    LoginForm,
    NewPasswordForm,
    RegistrationForm,
    ResetPasswordForm,
    ResetRequestForm,
    SmsRequestForm,
    captcha_field,
)
from apps.bj_enrollment.portal.session import application_of
from apps.bj_enrollment.rules.categories import declarable
from apps.bj_enrollment.services import categories, details
from apps.lowcode.customfields.values import custom_fields_for, set_custom_values

api = CustomFieldsAPI(
    title="bj_enrollment parent API",
    version="1",
    urls_namespace="api-v1",
    throttle=[ApiThrottle()],
    description="The parent's journey: captcha, SMS codes, registration, tokens, status, password, cancellation. "
    'Errors, in Chinese: {"errors": {"<field>": [{"code", "message"}]}} with HTTP 400, 401, 403, 404, 405, 409, '
    "429 or 500 (the 500's message names a request id, also in the X-Request-ID header and the server log); "
    "the codes are listed in apps/bj_enrollment/error_codes.py.",
)


errors.install(api)


def _bound(form_class, payload: dict):
    """The portal's form over the JSON body; its errors become the API's 400."""
    form = form_class(data=payload)
    if not form.is_valid():
        raise ValidationError({name: list(errs.as_data()) for name, errs in form.errors.items()})
    return form.cleaned_data


def _with_captcha(payload) -> dict:
    data = payload.dict()
    data["captcha_0"], data["captcha_1"] = data.pop("captcha_key", ""), data.pop("captcha", "")
    return data


def _campaign():
    campaign = Campaign.current()
    if campaign is None:
        raise Http404
    return campaign


def _application(request) -> Application:
    return application_of(request.auth)


class CaptchaOut(Schema):
    captcha_key: str
    image_url: str


class CodeRequest(Schema):
    mobile: str
    captcha_key: str
    captcha: str


class ResetCodeRequest(CodeRequest):
    identifier: str


class RegistrationIn(Schema):
    district: int
    nationality: str = "中国"
    hukou_province: str
    hukou_district: int | None = None
    residence_district: int
    child_name: str
    gender: str
    birth_date: str
    id_type: str = "resident_id"
    id_number: str
    guardian_name: str
    mobile: str
    sms_code: str
    password: str
    password2: str
    notice_read: bool
    privacy_accepted: bool


class RegisteredOut(Schema):
    form_number: str


class TokenIn(Schema):
    username: str
    password: str
    captcha_key: str = ""
    captcha: str = ""


class TokenOut(Schema):
    token: str
    expires_in: int


class StepOut(Schema):
    key: str
    title: str
    status: str
    reason: str


class WindowOut(Schema):
    stage: str
    opens_at: str
    closes_at: str
    open_now: bool


class StatusOut(Schema):
    form_number: str
    child_name: str
    district: str
    state: str
    state_label: str
    school: str | None
    next_step: str
    steps: list[StepOut]
    windows: list[WindowOut]


class NewPasswordIn(Schema):
    sms_code: str
    password: str
    password2: str


class ResetIn(NewPasswordIn):
    identifier: str
    mobile: str
    captcha_key: str
    captcha: str


class CancelIn(Schema):
    sms_code: str


class Done(Schema):
    ok: bool = True


@api.get("/captcha", response=CaptchaOut, tags=["account"])
def new_captcha(request):
    key = CaptchaStore.generate_key()
    return {"captcha_key": key, "image_url": request.build_absolute_uri(captcha_image_url(key))}


@api.post("/sms-codes/registration", response={202: Done}, tags=["registration"])
def registration_code(request, payload: CodeRequest):
    data = _bound(SmsRequestForm, _with_captcha(payload))
    flows.send_code(request, sms_codes.REGISTER, data["mobile"], _campaign())
    return Status(202, {"ok": True})


@api.post("/registrations", response={201: RegisteredOut}, tags=["registration"])
def create_registration(request, payload: RegistrationIn):
    """R8-R14. The app shows the registration notice for 10 s before `notice_read` can be set."""
    data = _bound(RegistrationForm, payload.dict())
    application = flows.submit_registration(request, _campaign(), data)
    return Status(201, {"form_number": application.form_number})


@api.post("/tokens", response={201: TokenOut}, tags=["account"])
def create_token(request, payload: TokenIn):
    """Log in with the account number and password; a captcha is required after repeated failures."""
    form_data = _with_captcha(payload)
    if flows.login_failures(request, payload.username) >= limits.LOGIN_CAPTCHA_AFTER:
        try:
            captcha_field().clean([form_data["captcha_0"], form_data["captcha_1"]])
        except ValidationError as exc:
            raise ValidationError({"captcha": exc.error_list}) from None
    data = _bound(LoginForm, form_data)
    user = flows.authenticate_parent(request, data["username"], data["password"])
    return Status(201, {"token": auth.issue(user), "expires_in": auth.MAX_AGE})


@api.get("/application", response=StatusOut, auth=auth.PARENT_AUTH, tags=["application"])
def application_status(request):
    application = _application(request)
    return {
        "form_number": application.form_number,
        "child_name": application.child.name,
        "district": application.district.name,
        "state": progress.shown_state(application),
        "state_label": progress.status_label(application),
        "school": application.school.name if application.school else None,
        "next_step": progress.next_step(application),
        "steps": [s.__dict__ for s in progress.steps(application)],
        "windows": [
            {"stage": str(label), "opens_at": opens.isoformat(), "closes_at": closes.isoformat(), "open_now": now}
            for label, opens, closes, now in progress.upcoming_windows(application)
        ],
    }


@api.post("/sms-codes/password-reset", response={202: Done}, tags=["account"])
def password_reset_code(request, payload: ResetCodeRequest):
    """R31: 202 whether or not the number belongs to the mobile (the SMS goes only to a match)."""
    data = _bound(ResetRequestForm, _with_captcha(payload))
    flows.request_reset_code(request, data["identifier"], data["mobile"])
    return Status(202, {"ok": True})


@api.post("/password-resets", response=Done, tags=["account"])
def reset_password(request, payload: ResetIn):
    """R31: a new captcha, the number, the mobile, the SMS code and the new password twice."""
    data = _bound(ResetPasswordForm, _with_captcha(payload))
    flows.reset_password(
        request, data["identifier"], data["mobile"], data["sms_code"], data["password"], data["password2"]
    )
    return {"ok": True}


@api.post("/sms-codes/{purpose}", response={202: Done}, auth=auth.PARENT_AUTH, tags=["account"])
def own_code(request, purpose: str):
    """A code to the registered mobile, for `password-change` or `cancellation`."""
    kinds = {"password-change": sms_codes.CHANGE_PASSWORD, "cancellation": sms_codes.CANCEL}
    if purpose not in kinds:
        raise Http404
    application = _application(request)
    flows.send_code(request, kinds[purpose], application.mobile, application.campaign)
    return Status(202, {"ok": True})


@api.post("/password", response=Done, auth=auth.PARENT_AUTH, tags=["account"])
def change_password(request, payload: NewPasswordIn):
    data = _bound(NewPasswordForm, payload.dict())
    flows.change_password(_application(request), data["sms_code"], data["password"], data["password2"])
    return {"ok": True}


@api.post("/logout", response=Done, auth=auth.PARENT_AUTH, tags=["account"])
def log_out(request):
    """Ends the session (if any) and voids every token issued to the account so far."""
    auth.revoke(request.user)
    logout(request)
    return {"ok": True}


@api.post("/application/cancellation", response=Done, auth=auth.PARENT_AUTH, tags=["application"])
def cancel(request, payload: CancelIn):
    data = _bound(CancelForm, {**payload.dict(), "confirm": True})
    flows.cancel_account(_application(request), request.auth, data["sms_code"])
    return {"ok": True}


class FetchedProperty(Schema):
    certificate_number: str
    status: str
    found: bool
    owners: list[str] = []
    address: str = ""
    district: str = ""
    certificate_date: str = ""
    type: str = ""
    asked_at: str = ""


class FetchedPermit(Schema):
    permit_number: str
    held_since: str
    months: int
    asked_at: str = ""


class Fetched(Schema):
    """R17: what the registries returned; the family looks at it before confirming the submission."""

    properties: list[FetchedProperty]
    residence_permit: FetchedPermit | None = None


class DetailsOut(Schema):
    editable: bool
    values: dict
    fetched: Fetched


def _details_values(forms_: dict) -> dict:
    values = {}
    for form in forms_.values():
        for name in form.fields:
            value = form.initial.get(name, form.fields[name].initial)
            values[form.add_prefix(name) if form.prefix else name] = (
                value.isoformat() if hasattr(value, "isoformat") else getattr(value, "pk", value)
            )
    return values


@api.get("/application/details", response=DetailsOut, auth=auth.PARENT_AUTH, tags=["application"])
def get_details(request):
    """The details (R15-R18) with the portal form's field names: `residence-…`, `g1-…`, `g2-…`,
    `property-…`, `child-…` and the administrators' extra fields `cf_…`."""
    application = _application(request)
    prefetch_related_objects([application], "properties")  # read once for the form and the registries' answers
    try:
        details.check_editable(application)
        editable = True
    except ValidationError:
        editable = False
    values = _details_values(build_forms(application))
    return {"editable": editable, "values": values, "fetched": details.fetched(application)}


@api.put("/application/details", response=Done, auth=auth.PARENT_AUTH, tags=["application"])
def put_details(request, payload: dict = Body(...)):  # noqa: B008  (ninja declares the body this way)
    """Save a draft (formats checked, completeness not); fields left out are emptied, as in the form."""
    application = _application(request)
    details.check_editable(application)
    forms_ = build_forms(application, {k: "on" if v is True else v for k, v in payload.items() if v is not False})
    invalid = {f.add_prefix(n) if f.prefix else n: e for f in forms_.values() for n, e in f.errors.items()}
    if any(not f.is_valid() for key, f in forms_.items() if key != "custom") or invalid:
        raise ValidationError({name: list(errs.as_data()) for name, errs in invalid.items()})
    save_draft(application, forms_)
    return {"ok": True}


@api.post("/application/details/check", response=Fetched, auth=auth.PARENT_AUTH, tags=["application"])
def check_details(request):
    """R15-R18 without submitting: what is missing or contradicted (400, by field), else what the
    registries returned, for the family to confirm with `POST /application/submission`."""
    application = _application(request)
    details.check(application)
    return details.fetched(application)


@api.post("/application/details/files", response=Done, auth=auth.PARENT_AUTH, tags=["application"])
def upload_detail_file(request, field: Form[str], file: File[UploadedFile]):
    """A file for an attachment custom field of the details, named by its key (`cf_…`, `child-cf_…`,
    `g1-cf_…`, `g2-cf_…`, `property-cf_…`; the row must be saved first). Checked by its content
    (type, size) like every upload; the other details are left as they are."""
    application = _application(request)
    details.check_editable(application)
    document, fieldname = document_for(application, field)
    stored = document.custom or {}
    names = {f.fieldname for f in custom_fields_for(document, "portal")}
    if fieldname not in names:
        raise Http404
    try:
        set_custom_values(document, {**{n: stored.get(n) for n in names}, fieldname: file}, where="portal", draft=True)
    except ValidationError as exc:
        mine = exc.error_dict.get(fieldname) or [error for errors_ in exc.error_dict.values() for error in errors_]
        raise ValidationError({field: mine}) from None
    return {"ok": True}


class Submitted(Done):
    checks_pending: bool = False
    message: str = ""


@api.post("/application/submission", response=Submitted, auth=auth.PARENT_AUTH, tags=["application"])
def submit(request):
    """R17: submit the saved details; the identity check starts (the state becomes identity_check).
    `checks_pending`: a registry was busy, the details are saved and will be checked again; `message`
    says so to the family."""
    pending = details.submit(_application(request), request.auth)
    return {"ok": True, "checks_pending": pending, "message": str(details.CHECKS_PENDING) if pending else ""}


@api.post("/application/withdrawal", response=Done, auth=auth.PARENT_AUTH, tags=["application"])
def withdraw(request):
    details.withdraw(_application(request), request.auth)
    return {"ok": True}


class ClaimIn(Schema):
    category: int
    document_number: str


class ClaimOut(Schema):
    category: int
    category_name: str
    document_number: str
    status: str
    reason: str


def _claim_out(claim) -> dict:
    return {
        "category": claim.category_id,
        "category_name": claim.category.name,
        "document_number": claim.document_number,
        "status": claim.status,
        "reason": claim.reason if claim.status == claim.Status.REFUSED else "",
    }


class CategoryOut(Schema):
    id: int
    name: str
    kind: str


class CategoriesOut(Schema):
    declarable: list[CategoryOut]
    claims: list[ClaimOut]


@api.get("/application/categories", response=CategoriesOut, auth=auth.PARENT_AUTH, tags=["application"])
def list_categories(request):
    """R5: the categories a family may declare, and those it declared with the district's decision
    (`pending`, `verified`, `refused` with its `reason`)."""
    claims = _application(request).category_claims.select_related("category")
    return {
        "declarable": [{"id": c.pk, "name": c.name, "kind": c.kind} for c in declarable(Category.objects)],
        "claims": [_claim_out(c) for c in claims],
    }


@api.post("/application/categories", response=ClaimOut, auth=auth.PARENT_AUTH, tags=["application"])
def declare_category(request, payload: ClaimIn):
    """R5: declare a category (its id from the desk's list of active counts-as-local and priority
    categories) with its document number, while the details are editable; the district verifies it."""
    claim = categories.declare(_application(request), request.auth, payload.category, payload.document_number)
    return _claim_out(claim)


@api.get("/application/form.pdf", auth=auth.PARENT_AUTH, tags=["application"])
def form_pdf(request):
    """R21/R22: the information-collection form, once printing is allowed."""
    application = _application(request)
    return family_form_answer(application, application.form_number)


api.add_router("/application/documents", documents_router)
api.add_router("/junior", junior_router)  # R37/R38: the junior-high family side
api.add_router("/junior/preferences", junior_preferences_router)  # R41: 志愿
api.add_router("/junior/private", junior_private_router)  # R43: 民办学校报名
