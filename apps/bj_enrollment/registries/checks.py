"""The registry checks (R16, R18, R19) as services and background jobs.

The identity check runs as a job after the parent submits details: it asks the population registry,
compares the answer with the child and the application, and moves the application through the
workflow engine as the system. A registry that does not answer never fails an application: the job
is retried with backoff (RQ), and after the last attempt the application simply stays in
identity_check, logged, until `requeue_stale_identity_checks` (scheduled in cron.py) asks again.
"""

from __future__ import annotations

import datetime as dt
import logging
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.bj_enrollment import registries
from apps.bj_enrollment.choices import ApplicationState, HukouCategory, RegistryStatus
from apps.bj_enrollment.models import Application, Property
from apps.bj_enrollment.registries.base import Person, RecordNotFound, RegistryUnavailable
from apps.lowcode import jobs
from apps.lowcode.workflow import engine, errors

logger = logging.getLogger(__name__)

VERIFIED_LOCAL = "Identity verified (Beijing hukou)"
VERIFIED_NONLOCAL = "Identity verified (non-Beijing hukou)"
FAILED = "Identity check failed"

# Five retries over about 30 minutes; a site may set REGISTRY_SETTINGS["retry_intervals"] (seconds).
RETRY_INTERVALS = [60, 120, 300, 600, 720]
STALE_AFTER = dt.timedelta(hours=1)

PERSON_NOT_FOUND = _("The population registry has no person with the child's ID number. Check the ID number.")
NAME_MISMATCH = _("The child's name differs from the population registry.")
BIRTH_DATE_MISMATCH = _("The child's birth date differs from the population registry.")
GENDER_MISMATCH = _("The child's gender differs from the population registry.")
HUKOU_MISMATCH = _("The hukou category differs from the population registry.")
HUKOU_DISTRICT_MISMATCH = _("The hukou district differs from the population registry.")
CERTIFICATE_NOT_FOUND = _("The real-estate registry has no certificate with this number.")
OWNERS_MISMATCH = _("The owners differ from the real-estate registry.")
PROPERTY_DISTRICT_MISMATCH = _("The district differs from the real-estate registry.")
PERMIT_NOT_FOUND = _("No residence permit is registered for guardian 1's ID number.")
PERMIT_NUMBER_MISMATCH = _("The residence permit number differs from the registry.")
PERMIT_TOO_SHORT = _("The residence permit has been held for %(held)d months; at least %(months)d are required.")


# --- identity (R19) ---------------------------------------------------------------------------


def identity_problems(application: Application, person: Person) -> list[str]:
    """What the registry contradicts, as sentences a parent understands (active language)."""
    child = application.child
    problems = []
    if person.name.strip() != child.name.strip():
        problems.append(gettext(NAME_MISMATCH))
    if person.birth_date != child.birth_date:
        problems.append(gettext(BIRTH_DATE_MISMATCH))
    if person.gender != child.gender:
        problems.append(gettext(GENDER_MISMATCH))
    if person.beijing_hukou != (application.hukou_category == HukouCategory.LOCAL):
        problems.append(gettext(HUKOU_MISMATCH))
    elif person.beijing_hukou and child.hukou_district_id and person.hukou_district:
        if child.hukou_district.code != person.hukou_district:
            problems.append(gettext(HUKOU_DISTRICT_MISMATCH))
    return problems


def retry_intervals() -> list[int]:
    return list(settings.REGISTRY_SETTINGS.get("retry_intervals", RETRY_INTERVALS))


def start_identity_check(application: Application) -> None:
    """Queue the identity check; it runs after the current transaction commits."""
    kwargs = {}
    if not settings.JOBS_IN_PROCESS:
        from rq import Retry

        intervals = retry_intervals()
        kwargs["retry"] = Retry(max=len(intervals), interval=intervals)
    jobs.enqueue(run_identity_check, application.pk, **kwargs)


def run_identity_check(application_id: int) -> str:
    """The job: "verified", "failed", "pending" (registry silent, attempts used up) or "skipped"."""
    application = Application.objects.select_related("child", "child__hukou_district").get(pk=application_id)
    if application.state != ApplicationState.IDENTITY_CHECK:
        return "skipped"
    child = application.child
    with translation.override(settings.LANGUAGE_CODE):
        try:
            person = registries.population().person(child.id_type, child.id_number)
            problems = identity_problems(application, person)
        except RecordNotFound:
            problems = [gettext(PERSON_NOT_FOUND)]
        except RegistryUnavailable as exc:
            return _unavailable(application, exc)
        if problems:
            action, reason, outcome = FAILED, "\n".join(problems), "failed"
        else:
            local = application.hukou_category == HukouCategory.LOCAL
            action, reason, outcome = (VERIFIED_LOCAL if local else VERIFIED_NONLOCAL), "", "verified"
    try:
        engine.apply_action(None, application, action, reason, system=True)
    except errors.AlreadyChanged:  # the parent withdrew or cancelled meanwhile
        return "skipped"
    logger.info("identity check of application %s: %s", application.form_number, outcome)
    return outcome


def _unavailable(application: Application, exc: RegistryUnavailable) -> str:
    from rq import get_current_job

    job = get_current_job()
    if job is not None and job.retries_left:
        logger.info("identity check of %s: registry unavailable (%s), retrying", application.form_number, exc)
        raise exc
    logger.warning(
        "identity check of application %s left pending: population registry unavailable (%s)",
        application.form_number,
        exc,
    )
    return "pending"


def requeue_stale_identity_checks(older_than: dt.timedelta = STALE_AFTER) -> int:
    """For the scheduler: ask again for applications waiting in identity_check longer than `older_than`."""
    cutoff = timezone.now() - older_than
    ids = list(
        Application.objects.filter(state=ApplicationState.IDENTITY_CHECK, updated_at__lte=cutoff).values_list(
            "pk", flat=True
        )
    )
    for pk in ids:
        start_identity_check(Application(pk=pk))
    if ids:
        logger.info("re-queued %d pending identity checks", len(ids))
    return len(ids)


# --- property (R16) ---------------------------------------------------------------------------


def _names(text: str) -> set[str]:
    return {n for n in re.split(r"[\s,，、;；/]+", text or "") if n}


def check_property(prop: Property) -> dict[str, list[str]]:
    """R16: certificate number (the exact look-up key), owners (as a set) and district must match the
    real-estate registry. Sets and saves prop.registry_status (pending while the registry is silent);
    returns the problems by field name."""
    problems: dict[str, list[str]] = {}
    try:
        record = registries.real_estate().certificate(prop.certificate_number.strip())
    except RecordNotFound:
        problems["certificate_number"] = [gettext(CERTIFICATE_NOT_FOUND)]
    except RegistryUnavailable as exc:
        logger.warning("property %s left pending: real-estate registry unavailable (%s)", prop.pk, exc)
        _set_status(prop, RegistryStatus.PENDING)
        return problems
    else:
        if set(record.owners) != _names(prop.owners):
            problems["owners"] = [gettext(OWNERS_MISMATCH)]
        if record.district != prop.district.code:
            problems["district"] = [gettext(PROPERTY_DISTRICT_MISMATCH)]
    _set_status(prop, RegistryStatus.FAILED if problems else RegistryStatus.VERIFIED)
    return problems


def _set_status(prop: Property, status: str) -> None:
    if prop.registry_status != status:
        prop.registry_status = status
        prop.save(update_fields=["registry_status"])


# --- residence permit (R18) -------------------------------------------------------------------


def months_between(since: dt.date, until: dt.date) -> int:
    """Whole months from `since` to `until` (a permit from 15 March has one month on 15 April)."""
    return (until.year - since.year) * 12 + until.month - since.month - (until.day < since.day)


def check_residence_permit(application: Application) -> dict[str, list[str]]:
    """R18, for a child without Beijing hukou: guardian 1's permit is on the registry, its number is the
    one entered, and it has been held continuously for the campaign's minimum months."""
    if application.hukou_category != HukouCategory.NONLOCAL:
        return {}
    guardian = application.guardians.filter(position=1).first()
    if guardian is None or not guardian.id_number:
        return {}
    try:
        permit = registries.residence_permits().permit(guardian.id_number)
    except RecordNotFound:
        return {"residence_permit_number": [gettext(PERMIT_NOT_FOUND)]}
    except RegistryUnavailable as exc:
        logger.warning("residence permit of %s not checked: registry unavailable (%s)", application.pk, exc)
        return {}
    problems: dict[str, list[str]] = {}
    if guardian.residence_permit_number and guardian.residence_permit_number.strip() != permit.permit_number:
        problems["residence_permit_number"] = [gettext(PERMIT_NUMBER_MISMATCH)]
    minimum = application.campaign.residence_permit_min_months
    held = months_between(permit.held_since, timezone.localdate())
    if held < minimum:
        problems["residence_permit_since"] = [gettext(PERMIT_TOO_SHORT) % {"held": max(0, held), "months": minimum}]
    return problems


# --- what the portal calls when the parent saves details --------------------------------------


def check_details(application: Application) -> None:
    """Run the property and residence-permit checks; raise one ValidationError keyed by field name
    ("certificate_number", "owners", "district", "residence_permit_number", "residence_permit_since")
    when the registries contradict the entered details. A silent registry is no error here."""
    problems: dict[str, list[str]] = {}
    with transaction.atomic():
        for prop in Property.objects.select_for_update().select_related("district").filter(application=application):
            for field, messages in check_property(prop).items():
                problems.setdefault(field, []).extend(messages)
    for field, messages in check_residence_permit(application).items():
        problems.setdefault(field, []).extend(messages)
    if problems:
        raise ValidationError(problems)
