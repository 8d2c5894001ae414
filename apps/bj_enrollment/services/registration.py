"""R8-R14: a parent's registration, the one service behind the portal page and the API.

Every rule is checked before anything is written, and all errors are returned together per field,
so a parent fixes everything in one go; the insert then runs in one transaction, and the unique
indexes (R9, R13) catch what two simultaneous registrations could slip past the checks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from apps.bj_enrollment import error_codes
from apps.bj_enrollment.choices import HukouCategory, IdType
from apps.bj_enrollment.models import Application, Campaign, Child, District, Guardian
from apps.bj_enrollment.rules import eligibility
from apps.bj_enrollment.rules.form_numbers import save_with_form_number
from apps.bj_enrollment.rules.identity import check_resident_id, normalise_id_number
from apps.bj_enrollment.rules.passwords import ParentPasswordValidator
from apps.bj_enrollment.rules.registration import ended_states
from apps.bj_enrollment.services import notifications
from apps.lowcode.workflow import states

BEIJING = "北京市"


@dataclass
class Registration:
    campaign: Campaign
    district: District
    nationality: str
    hukou_province: str
    hukou_district: District | None
    residence_district: District | None
    child_name: str
    gender: str
    birth_date: dt.date
    id_type: str
    id_number: str
    guardian_name: str
    mobile: str
    password: str

    @property
    def hukou_category(self) -> str:
        return HukouCategory.LOCAL if self.hukou_province == BEIJING else HukouCategory.NONLOCAL


def check(reg: Registration, overrides: frozenset[str] = frozenset()) -> dict[str, list[ValidationError]]:
    """All rule violations of a registration, by form field; empty when it may be saved. `overrides`
    names the error codes a district may set aside when it registers for a family (R2, R6)."""
    errors: dict[str, list[ValidationError]] = {}

    def attempt(field: str, check_fn, *args) -> None:
        try:
            check_fn(*args)
        except ValidationError as exc:
            errors.setdefault(field, []).extend(exc.error_list)

    attempt("district", eligibility.check_registration_window, reg.campaign, reg.district)
    attempt("birth_date", eligibility.check_age, reg.campaign, reg.birth_date)
    if reg.hukou_province == BEIJING and reg.hukou_district is None:
        errors.setdefault("hukou_district", []).append(
            error_codes.REQUIRED.error(_("Choose the district of the child's Beijing hukou."))
        )
    if reg.hukou_province != BEIJING:
        reg.hukou_district = None
    attempt("district", eligibility.check_district, reg.district, reg.hukou_district, reg.residence_district)
    reg.id_number = normalise_id_number(reg.id_number)  # R9 uniqueness holds on the one normal form
    if reg.id_type == IdType.RESIDENT_ID:
        try:
            reg.id_number = check_resident_id(reg.id_number, reg.birth_date, reg.gender)
        except ValidationError as exc:
            errors.setdefault("id_number", []).extend(exc.error_list)
    elif reg.id_type:
        errors.setdefault("id_type", []).append(error_codes.DISTRICT_HANDLED.error())
    if "id_number" not in errors:
        attempt("id_number", _check_id_free, reg)
    attempt("mobile", eligibility.check_mobile_limit, reg.campaign, reg.mobile)
    try:
        validate_password(reg.password, password_validators=[ParentPasswordValidator()])
    except ValidationError as exc:
        errors.setdefault("password", []).extend(exc.error_list)
    kept = {name: [e for e in found if e.code not in overrides] for name, found in errors.items()}
    return {name: found for name, found in kept.items() if found}


def _check_id_free(reg: Registration) -> None:
    """R9: one ID number, one live account across all districts of a campaign."""
    live = Application.objects.filter(
        campaign=reg.campaign, child__id_type=reg.id_type, child__id_number=reg.id_number
    ).exclude(state__in=ended_states())
    if live.exists():
        raise id_registered_error()


def id_registered_error() -> ValidationError:
    return error_codes.ID_REGISTERED.error()


def register(reg: Registration, overrides: frozenset[str] = frozenset()) -> Application:
    """Create the child (or reuse its row from a cancelled registration), the application, guardian 1
    and the parent's account, whose user name is the 8-digit form number (R13); then tell the
    registered mobile its form number (R30), whoever registered (portal, API, district)."""
    errors = check(reg, overrides)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            application = _insert(reg)
            notifications.send_event(application, notifications.REGISTERED)
            return application
    except IntegrityError as exc:  # a simultaneous registration of the same child won the race
        if "application_one_live_per_child" in str(exc):
            raise ValidationError({"id_number": [id_registered_error()]}) from None
        raise


def _insert(reg: Registration) -> Application:
    child, _created = Child.objects.select_for_update().get_or_create(
        id_type=reg.id_type,
        id_number=reg.id_number,
        defaults={"name": reg.child_name, "gender": reg.gender, "birth_date": reg.birth_date},
    )
    child.name, child.gender, child.birth_date = reg.child_name, reg.gender, reg.birth_date
    child.nationality, child.hukou_province = reg.nationality, reg.hukou_province
    child.hukou_district = reg.hukou_district
    child.save()
    application = Application(
        campaign=reg.campaign,
        child=child,
        district=reg.district,
        residence_district=reg.residence_district,
        mobile=reg.mobile,
        hukou_category=reg.hukou_category,
        state=states.initial_state(Application),
    )
    save_with_form_number(application)
    user = get_user_model().objects.create_user(username=application.form_number, password=reg.password)
    application.account = user
    application.save(update_fields=["account"])
    Guardian.objects.create(application=application, position=1, name=reg.guardian_name, phone=reg.mobile)
    return application
