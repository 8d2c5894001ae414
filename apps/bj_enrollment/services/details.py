"""R14-R18: the details a parent enters after registering, kept as a draft until submitted.

A draft is saved as typed (only formats are checked), so a parent can leave and come back; what
R15-R18 require is checked on submission, then the workflow's "Submit details" starts the checks.
The data fixed at registration (R14) is never editable here.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.bj_enrollment import error_codes, registries
from apps.bj_enrollment import workflow_actions as actions
from apps.bj_enrollment.choices import HousingType, HukouCategory
from apps.bj_enrollment.registries import checks
from apps.bj_enrollment.rules import eligibility, residence_permit
from apps.bj_enrollment.services import documents
from apps.lowcode.customfields.values import clean_custom_values, custom_fields_for
from apps.lowcode.workflow import engine, states

# What the family is told when a registry did not answer in time (portal and API alike).
CHECKS_PENDING = gettext_lazy(
    "Your details are saved. The verification system is busy; we will check them again automatically."
)


def check_editable(application) -> None:
    """R1/R17: details change only while registered (or withdrawn to edit) and the window is open."""
    eligibility.check_registration_window(application.campaign, application.district)
    if application.state not in states.sources(type(application), actions.SUBMIT):  # registered or withdrawn
        raise error_codes.NOT_EDITABLE.error()


def _missing_custom(errors: dict, prefix: str, document) -> None:
    stored = document.custom or {}
    try:
        clean_custom_values(
            document,
            {f.fieldname: stored.get(f.fieldname) for f in custom_fields_for(document, "portal")},
            where="portal",
        )
    except ValidationError as exc:
        for name, field_errors in exc.error_dict.items():
            errors.setdefault(f"{prefix}-cf_{name}" if prefix else f"cf_{name}", []).extend(field_errors)


def _required(errors: dict, field: str, value) -> None:
    if value in (None, ""):
        errors.setdefault(field, []).append(error_codes.REQUIRED.error())


def missing(application) -> dict[str, list[ValidationError]]:
    """What R15, R16 and R18 require and the draft does not have yet, by form field (prefixed by form)."""
    errors: dict[str, list[ValidationError]] = {}
    residence = {
        "residence_district": application.residence_district_id,
        "residence_street": application.residence_street_id,
        "residence_address": application.residence_address,
        "housing_type": application.housing_type,
    }
    for field, value in residence.items():
        _required(errors, f"residence-{field}", value)
    guardians = {g.position: g for g in application.guardians.all()}
    positions = (1,) if application.single_guardian else (1, 2)
    permit_required = residence_permit.required(application)
    for position in positions:
        guardian = guardians.get(position)
        for field in ("name", "relationship", "id_number", "phone"):
            _required(errors, f"g{position}-{field}", getattr(guardian, field, ""))
        if position == 1 and permit_required:
            for field in ("residence_permit_number", "residence_permit_since"):
                _required(errors, f"g1-{field}", getattr(guardian, field, None))
    # The administrators' extra fields of each row, by the same validation as everywhere (required,
    # required-when, formats), keyed like the portal's fields and the API's details ("cf_…", "g1-cf_…").
    rows = {"": application, "child": application.child, "property": application.properties.first()}
    rows.update({f"g{position}": guardians.get(position) for position in positions})
    for prefix, document in rows.items():
        if document is not None:
            _missing_custom(errors, prefix, document)
    for field, field_errors in documents.missing(application).items():  # R20: the district's documents
        errors.setdefault(field, []).extend(field_errors)
    if application.housing_type == HousingType.OWNED and not application.properties.exists():
        errors.setdefault("property-certificate_number", []).append(
            error_codes.REQUIRED.error(_("Enter the property certificate for an owned home."))
        )
    return errors


def check(application) -> checks.DetailsCheck:
    """R15-R18 before the family confirms: everything required is there and the registries agree.

    The registries are asked outside any transaction and within the request's deadline; their answers
    are stored for the family to see (R17, `fetched`). A registry that contradicts the details refuses
    (ValidationError by form field), one that does not answer in time does not: the check is left
    pending and the identity-check job runs it before the application moves on."""
    check_editable(application)
    errors = missing(application)
    guardian = application.guardians.filter(position=1).first()
    since = getattr(guardian, "residence_permit_since", None)
    if since is not None and residence_permit.required(application):
        try:
            residence_permit.check_duration(application.campaign, since)
        except ValidationError as exc:
            errors.setdefault("g1-residence_permit_since", []).extend(exc.error_list)
    if errors:
        raise ValidationError(errors)
    with registries.deadline():
        result = checks.check_details(application)
    if result.problems:
        raise ValidationError(
            {
                f"{'g1' if field.startswith('residence_permit') else 'property'}-{field}": messages
                for field, messages in result.problems.items()
            }
        )
    return result


def submit(application, user) -> bool:
    """R17: the family confirms what it entered and what the checks fetched; the workflow's "Submit
    details" then starts the identity check. The checks run again here (the data may have changed
    since the family looked). Returns True when a check was left pending."""
    result = check(application)
    with transaction.atomic():
        engine.apply_action(user, application, actions.SUBMIT)
        application.details_confirmed_at = timezone.now()
        application.save(update_fields=["details_confirmed_at"])
        checks.start_identity_check(application)  # a job, sent when this commits
    return result.pending


def fetched(application) -> dict:
    """R17: what the registries returned for this application, as the family is shown it (portal and
    API alike): per property entered, and guardian 1's residence permit."""
    properties = [
        {"certificate_number": prop.certificate_number, "status": prop.registry_status, **(prop.registry_answer or {})}
        for prop in application.properties.all()
        if prop.registry_answer
    ]
    permit = (application.registry_answers or {}).get("residence_permit")
    if application.hukou_category != HukouCategory.NONLOCAL:
        permit = None
    return {"properties": properties, "residence_permit": permit}


def withdraw(application, user) -> None:
    """R17: back to editing while the window is open: until the identity check has finished, or after
    it failed (the family then corrects what the registries disagreed with and submits again)."""
    eligibility.check_registration_window(application.campaign, application.district)
    engine.apply_action(user, application, actions.WITHDRAW)


def can_withdraw(application, user) -> bool:
    """Whether `withdraw` would be allowed now: the one answer for the portal's button and the API."""
    try:
        eligibility.check_registration_window(application.campaign, application.district)
    except ValidationError:
        return False
    return any(t.action == actions.WITHDRAW for t in engine.available_actions(user, application))
