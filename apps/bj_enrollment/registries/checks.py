"""The registry checks (R16, R18, R19) as services and background jobs.

The identity check runs as a job after the parent submits details: it asks the population registry,
compares the answer with the child and the application, re-runs any property or residence-permit
check the submission could not run, and moves the application through the workflow engine as the
system. A registry that does not answer never fails an application and is never skipped: the job is
retried with backoff (RQ), and after the last attempt the application simply stays in
identity_check, logged, until `requeue_stale_identity_checks` (scheduled in cron.py) asks again.
Registry calls are made with no transaction open and no row locked.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.bj_enrollment import registries
from apps.bj_enrollment.choices import HukouCategory, RegistryStatus
from apps.bj_enrollment.models import Application, Property
from apps.bj_enrollment.registries.base import Person, RecordNotFound, RegistryUnavailable
from apps.bj_enrollment.rules import categories, residence_permit
from apps.lowcode import jobs
from apps.lowcode.workflow import engine, errors, states

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
CERTIFICATE_DATE_MISMATCH = _("The certificate date differs from the real-estate registry.")
PROPERTY_ADDRESS_MISMATCH = _("The property's address differs from the real-estate registry.")
NOT_FAMILY_OWNED = _(
    "The real-estate registry names owners other than the child and the parents: this property is not the "
    "family's own."
)
FAMILY_PROPERTY_NOT_ENTERED = _(
    "The real-estate registry shows a home owned by your family (certificate %(number)s, %(address)s). "
    "Enter that property: a family-owned home comes before any other."
)
PERMIT_NOT_FOUND = _("No residence permit is registered for guardian 1's ID number.")
PERMIT_NUMBER_MISMATCH = _("The residence permit number differs from the registry.")


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


def identity_check_states() -> tuple[str, ...]:
    """Where the identity check runs: the states the workflow's "identity check failed" action leaves."""
    return states.sources(Application, FAILED)


def run_identity_check(application_id: int) -> str:
    """The job: "verified", "failed", "pending" (a registry silent, attempts used up),
    "awaiting_category" (R5: a "counts as local" claim not yet decided) or "skipped".

    It is also the gate for the details checks: a property or residence-permit check that could not
    run at submission (registry busy or down) runs here, and the application moves on only once
    every check has answered."""
    application = Application.objects.select_related("child", "child__hukou_district").get(pk=application_id)
    if application.state not in identity_check_states():
        return "skipped"
    child = application.child
    with translation.override(settings.LANGUAGE_CODE):
        silent = None
        try:
            person = registries.population().person(child.id_type, child.id_number)
            problems = identity_problems(application, person)
        except RecordNotFound:
            problems = [gettext(PERSON_NOT_FOUND)]
        except RegistryUnavailable as exc:
            problems, silent = [], exc
        details = check_details(application, unverified_only=True)
        problems += [message for messages in details.problems.values() for message in messages]
        if not problems and (silent or details.pending):
            return _unavailable(application, silent or RegistryUnavailable("a details registry did not answer"))
        if problems:
            action, reason, outcome = FAILED, "\n".join(problems), "failed"
        elif categories.awaiting_decision(application):  # deciding the claim queues this check again
            logger.info("identity check of %s waits for the district's category decision", application.form_number)
            return "awaiting_category"
        else:  # R5: the same answer as the workflow's condition
            local = application.counts_as_local
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
        "identity check of application %s left pending: registry unavailable (%s)", application.form_number, exc
    )
    return "pending"


def requeue_stale_identity_checks(older_than: dt.timedelta = STALE_AFTER) -> int:
    """For the scheduler: ask again for applications waiting in identity_check longer than `older_than`."""
    cutoff = timezone.now() - older_than
    ids = list(
        Application.objects.filter(state__in=identity_check_states(), updated_at__lte=cutoff).values_list(
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


def _ask_property(prop: Property) -> tuple[str, dict[str, list[str]], dict | None]:
    """Ask the real-estate registry (no lock held): the status to record, the problems by field, and
    what the registry said (R17: the family sees it). Certificate number (the exact look-up key),
    owners (as a set) and district must match."""
    problems: dict[str, list[str]] = {}
    try:
        record = registries.real_estate().certificate(prop.certificate_number.strip())
    except RecordNotFound:
        problems["certificate_number"] = [gettext(CERTIFICATE_NOT_FOUND)]
        return RegistryStatus.FAILED, problems, {"found": False}
    except RegistryUnavailable as exc:
        logger.warning("property %s left pending: real-estate registry unavailable (%s)", prop.pk, exc)
        return RegistryStatus.PENDING, problems, None
    if set(record.owners) != _names(prop.owners):
        problems["owners"] = [gettext(OWNERS_MISMATCH)]
    if record.district != prop.district.code:
        problems["district"] = [gettext(PROPERTY_DISTRICT_MISMATCH)]
    # R35: the certificate date decides single- or multi-school zones, so a back-dated certificate
    # is refused; the address is the one the zone look-up reads (building and room aside)
    if record.certificate_date != prop.certificate_date:
        problems["certificate_date"] = [gettext(CERTIFICATE_DATE_MISMATCH)]
    if not _same_place(record.address, prop.address):
        problems["address"] = [gettext(PROPERTY_ADDRESS_MISMATCH)]
    # R16: whether the family owns it is the registry's owners' say, not a tick box
    if prop.family_owned and not set(record.owners) <= _family_names(prop.application):
        problems["family_owned"] = [gettext(NOT_FAMILY_OWNED)]
    status = RegistryStatus.FAILED if problems else RegistryStatus.VERIFIED
    return status, problems, _property_answer(record)


def _property_answer(record) -> dict:
    """A certificate as the family is shown it (R17); no owner ID numbers."""
    return {
        "found": True,
        "owners": list(record.owners),
        "address": record.address,
        "district": record.district,
        "certificate_date": record.certificate_date.isoformat(),
        "type": record.property_type,
        "asked_at": timezone.now().isoformat(timespec="seconds"),
    }


def _same_place(registered: str, entered: str) -> bool:
    from apps.bj_enrollment.zones import index as zone_index

    index = zone_index.current()
    return index.parse(registered).place == index.parse(entered).place


def _family_names(application) -> set[str]:
    """The child and the guardians: a property owned only by them is the family's (R16)."""
    names = {application.child.name, *application.guardians.values_list("name", flat=True)}
    return {"".join(name.split()) for name in names if name}


def _record_property_statuses(answers: dict[int, tuple[str, str, dict | None]]) -> None:
    """Write {property id: (certificate number asked, status, registry answer)} under row locks on
    the property rows only (no join: a joined row, e.g. the district, would be locked too). A row
    whose certificate number changed since it was asked about keeps its status and answer; a
    registry that did not answer leaves the last answer in place."""
    if not answers:
        return
    with transaction.atomic():
        for prop in Property.objects.select_for_update().filter(pk__in=answers):
            asked, status, answer = answers[prop.pk]
            if prop.certificate_number != asked:
                continue
            changed = []
            if prop.registry_status != status:
                prop.registry_status = status
                changed.append("registry_status")
            if answer is not None and prop.registry_answer != answer:
                prop.registry_answer = answer
                changed.append("registry_answer")
            if changed:
                prop.save(update_fields=changed)


def check_property(prop: Property) -> dict[str, list[str]]:
    """R16 for one property: ask, then record prop.registry_status (pending while the registry is
    silent); returns the problems by field name."""
    status, problems, answer = _ask_property(prop)
    _record_property_statuses({prop.pk: (prop.certificate_number, status, answer)})
    prop.registry_status = status
    return problems


def unlisted_family_property(application: Application) -> dict[str, list[str]]:
    """R16: a property the registry knows as the family's own (owners only the child and the
    guardians, by ID number) must be the one entered before another is accepted. Raises
    RegistryUnavailable when the registry did not answer."""
    family_ids = {application.child.id_number, *application.guardians.exclude(id_number="").values_list(
        "id_number", flat=True
    )}
    entered = {number.strip() for number in application.properties.values_list("certificate_number", flat=True)}
    for id_number in sorted(family_ids):
        for record in registries.real_estate().owned_by(id_number):
            own = record.owner_ids and set(record.owner_ids) <= family_ids
            if own and record.certificate_number not in entered:
                return {"certificate_number": [gettext(FAMILY_PROPERTY_NOT_ENTERED) % {
                    "number": record.certificate_number, "address": record.address,
                }]}
    return {}


# --- residence permit (R18) -------------------------------------------------------------------


def check_residence_permit(application: Application) -> dict[str, list[str]]:
    """R18, for a child without Beijing hukou: guardian 1's permit is on the registry, its number is the
    one entered, and it has been held continuously for the campaign's minimum months. Raises
    RegistryUnavailable when the registry did not answer: the check has not run."""
    if not residence_permit.required(application):
        return {}
    guardian = application.guardians.filter(position=1).first()
    if guardian is None or not guardian.id_number:
        return {}
    try:
        permit = registries.residence_permits().permit(guardian.id_number)
    except RecordNotFound:
        return {"residence_permit_number": [gettext(PERMIT_NOT_FOUND)]}
    _record_permit_answer(application, permit)
    problems: dict[str, list[str]] = {}
    if guardian.residence_permit_number and guardian.residence_permit_number.strip() != permit.permit_number:
        problems["residence_permit_number"] = [gettext(PERMIT_NUMBER_MISMATCH)]
    try:
        residence_permit.check_duration(application.campaign, permit.held_since)
    except ValidationError as exc:
        problems["residence_permit_since"] = exc.messages
    return problems


def _record_permit_answer(application: Application, permit) -> None:
    """What the registry said of guardian 1's permit, for the family to see (R17)."""
    answer = {
        "permit_number": permit.permit_number,
        "held_since": permit.held_since.isoformat(),
        "months": residence_permit.months_between(permit.held_since, timezone.localdate()),
        "asked_at": timezone.now().isoformat(timespec="seconds"),
    }
    answers = {**(application.registry_answers or {}), "residence_permit": answer}
    Application.objects.filter(pk=application.pk).update(registry_answers=answers)
    application.registry_answers = answers


# --- the details checks together (on submission, and again in the identity-check job) ----------


@dataclass(frozen=True)
class DetailsCheck:
    """What the registries said about the details: problems by field name, and whether a registry
    did not answer (the check has not run and must run again before the application moves on)."""

    problems: dict[str, list[str]] = field(default_factory=dict)
    pending: bool = False


def check_details(application: Application, *, unverified_only: bool = False) -> DetailsCheck:
    """R16 and R18 against the registries. Every registry is asked first, with no row locked (call
    it outside any transaction): a slow registry must not hold a lock another family waits for; then
    the property rows are locked just long enough to record the answers. With `unverified_only`,
    properties already verified are not asked again."""
    problems: dict[str, list[str]] = {}
    pending = False
    answers = {}
    for prop in application.properties.select_related("district"):
        if unverified_only and prop.registry_status == RegistryStatus.VERIFIED:
            continue
        status, found, answer = _ask_property(prop)
        answers[prop.pk] = (prop.certificate_number, status, answer)
        pending |= status == RegistryStatus.PENDING
        for name, messages in found.items():
            problems.setdefault(name, []).extend(messages)
    for ask in (check_residence_permit, unlisted_family_property):
        try:
            found = ask(application)
        except RegistryUnavailable as exc:
            logger.warning("%s of %s left pending: registry unavailable (%s)", ask.__name__, application.pk, exc)
            pending = True
        else:
            for name, messages in found.items():
                problems.setdefault(name, []).extend(messages)
    _record_property_statuses(answers)
    return DetailsCheck(problems, pending)
