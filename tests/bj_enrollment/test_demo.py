"""The demo command builds a believable site from nothing, and a second run adds nothing."""

import io
import re
from collections import Counter, defaultdict

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.utils import timezone

from apps.bj_enrollment import roles
from apps.bj_enrollment.choices import ApplicationState, Ownership
from apps.bj_enrollment.models import (
    Application,
    Campaign,
    District,
    School,
    ServiceZone,
    StaffScope,
    Street,
    ZoneArea,
)
from apps.bj_enrollment.rules.identity import check_resident_id

pytestmark = pytest.mark.django_db


def _build(n=400, junior_graduates=0):
    """The primary demo alone unless asked (the junior-high campaign has its own test)."""
    out = io.StringIO()
    call_command("build_demo_site", applications=n, seed=7, junior_graduates=junior_graduates, stdout=out)
    return out.getvalue()


def _passwords(output):
    return dict(re.findall(r"/desk/\s+(\S+)\s+.*?\s(\S+)\s*$", output, flags=re.M))


def test_demo_builds_a_city_from_nothing():
    assert not District.objects.exists()
    output = _build()

    assert District.objects.count() == 16
    assert District.objects.filter(code="110108", name="海淀区").exists()
    assert Street.objects.values("district").distinct().count() >= 3
    assert School.objects.count() >= 60
    public = School.objects.filter(ownership=Ownership.PUBLIC)
    assert not public.exclude(service_zones__isnull=False).exists(), "every public school has a zone"
    assert ServiceZone.objects.filter(multi_school=True, property_cutoff__isnull=False).exists()

    campaign = Campaign.objects.get(level="primary")
    now = timezone.now()
    from apps.bj_enrollment.demo.builder import WINDOW_DAYS

    for stage in WINDOW_DAYS:  # the primary campaign's stages (the junior campaign has its own)
        assert campaign.is_open(stage, at=now), f"{stage} window should be open in the demo"

    apps = Application.objects.select_related("child")
    assert apps.count() == 400
    assert set(apps.values_list("state", flat=True)) == set(ApplicationState.values)
    for app in apps:
        assert check_resident_id(app.child.id_number, app.child.birth_date, app.child.gender)
        assert re.fullmatch(rf"{campaign.form_number_prefix}\d{{6}}", app.form_number)
    assert max(Counter(apps.values_list("mobile", flat=True)).values()) <= 3
    assert apps.filter(state__in=[ApplicationState.PRE_ADMITTED, ApplicationState.CONFIRMED], school=None).count() == 0

    passwords = _passwords(output)
    for username, group in [("city_admin", roles.CITY_ADMIN), ("district_reviewer", roles.DISTRICT_REVIEWER),
                            ("school_reviewer", roles.SCHOOL_REVIEWER)]:
        user = authenticate(username=username, password=passwords[username])
        assert user is not None and user.is_staff and user.groups.filter(name=group).exists()
    assert StaffScope.objects.get(user__username="district_reviewer").district.name == "东城区"
    assert StaffScope.objects.get(user__username="school_reviewer").school.district.name == "东城区"

    # R23: ready to print, a family has its zone's school unless its home is in a multi-school zone
    from apps.bj_enrollment.rules.zone_schools import zone_schools

    for app in apps.filter(state=ApplicationState.READY_TO_PRINT, housing_type="rented")[:40]:
        schools, lottery = zone_schools(app)
        assert (app.school_id is None) == lottery, (app.residence_address, app.school_id, schools)
        assert lottery or app.school_id in schools

    # R34: every demo family's address is found by the zone look-up the public page uses
    from apps.bj_enrollment.zones import index as zone_index

    index = zone_index.current()
    addresses = list(apps.exclude(residence_address="").values_list("residence_address", flat=True))
    assert len(addresses) > 300
    unmatched = [a for a in addresses if not index.match(index.parse(a))]
    assert not unmatched, unmatched[:5]


def test_second_run_adds_nothing_and_renews_passwords():
    first = _passwords(_build(200))
    counts = {m: m.objects.count() for m in (District, Street, School, ServiceZone, ZoneArea, Application)}
    second = _passwords(_build(200))
    assert counts == {m: m.objects.count() for m in counts}
    assert first.keys() == second.keys()
    assert all(first[u] != second[u] for u in first)
    assert authenticate(username="city_admin", password=second["city_admin"]) is not None


def test_demo_applications_reached_their_states_through_the_workflow():
    """Every state was reached by the workflow's own transitions from `registered`, each refusal with
    one of its transition's preset reasons, and the approvals issued material numbers as the rule does."""
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType

    from apps.lowcode.workflow.definitions import definition_for
    from apps.lowcode.workflow.models import TransitionRecord

    _build(400)
    definition = definition_for(Application)
    records = defaultdict(list)
    for record in TransitionRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(Application)
    ).order_by("created_at", "pk"):
        records[int(record.object_id)].append(record)
    apps = list(Application.objects.select_related("district", "campaign"))
    refused = {ApplicationState.IDENTITY_FAILED, ApplicationState.FIVE_CERTIFICATE_REJECTED,
               ApplicationState.SCHOOL_REJECTED, ApplicationState.DISTRICT_REJECTED}
    for app in apps:
        path = records[app.pk]
        if app.state == ApplicationState.REGISTERED:
            assert path == []
            continue
        state = ApplicationState.REGISTERED
        for record in path:
            transition = definition.transition(state, record.action)
            assert transition is not None and (record.from_state, record.to_state) == (state, transition.to_state)
            assert record.user is None and app.registered_at <= record.created_at <= app.updated_at
            options = transition.reason_options.splitlines()
            assert bool(record.reason) == transition.reason_required
            assert not options or record.reason in options
            state = record.to_state
        assert state == app.state, (app.form_number, [r.action for r in path])
        if app.state in refused:
            assert app.rejection_reason == path[-1].reason != ""
        approved = any(r.from_state == ApplicationState.FIVE_CERTIFICATE_REVIEW
                       and r.to_state == ApplicationState.READY_TO_PRINT for r in path)
        assert bool(app.material_number) == approved, app.form_number
    rejections = [records[a.pk][-1] for a in apps if a.state in refused - {ApplicationState.IDENTITY_FAILED}]
    assert rejections and all(r.action == "Reject" for r in rejections)

    numbered = [a for a in apps if a.material_number]
    assert len(numbered) > 20
    assert len({a.material_number for a in numbered}) == len(numbered)
    by_district = defaultdict(list)
    for app in numbered:
        fields = {"district": app.district.code, "district_short": app.district.code[-2:], "year": app.campaign.year}
        prefix = settings.MATERIAL_NUMBER_FORMAT.split("{sequence")[0].format(**fields)
        assert re.fullmatch(rf"{prefix}\d{{5}}", app.material_number), app.material_number
        by_district[app.district_id].append(int(app.material_number[len(prefix):]))
    for sequences in by_district.values():
        assert sorted(sequences) == list(range(1, len(sequences) + 1))  # the rule's sequence, no gaps


def test_demo_timeline_and_portal_show_the_refusal_reason():
    """What the desk timeline and the parent's progress read: the refusing transition and its reason."""
    from apps.bj_enrollment.portal.progress import last_reason
    from apps.lowcode.workflow import engine

    _build(200)
    app = Application.objects.filter(state=ApplicationState.SCHOOL_REJECTED).first()
    last = engine.history(app).order_by("-created_at", "-pk").first()
    assert (last.action, last.to_state) == ("Reject", ApplicationState.SCHOOL_REJECTED)
    assert last_reason(app) == last.reason and last.reason in definition_reasons("Reject", "ready_to_print")


def definition_reasons(action, state):
    from apps.lowcode.workflow.definitions import definition_for

    return definition_for(Application).transition(state, action).reason_options.splitlines()


def test_demo_junior_campaign_went_through_the_import_and_the_workflows():
    """小升初: graduates of every primary school of three districts, confirmed, with corrections under way,
    transfers in each state and new arrivals, each state reached by its workflow's transitions."""
    from django.contrib.contenttypes.models import ContentType

    from apps.bj_enrollment.models import Student, Transfer
    from apps.lowcode.workflow.definitions import definition_for
    from apps.lowcode.workflow.models import TransitionRecord

    output = _build(50, junior_graduates=1)
    campaign = Campaign.objects.get(level="junior")
    from apps.bj_enrollment.demo.junior import JUNIOR_STAGES

    assert all(campaign.is_open(stage) for stage in JUNIOR_STAGES)
    students = Student.objects.filter(campaign=campaign)
    districts = ("东城区", "西城区", "海淀区")
    schools = School.objects.filter(district__name__in=districts, offers_primary=True)
    assert set(students.values_list("graduating_school", flat=True)) == set(schools.values_list("pk", flat=True))
    assert {"imported", "awaiting_confirmation", "confirmed", "correction_requested", "new_arrival_review",
            "new_arrival_refused"} <= set(students.values_list("state", flat=True))
    assert not students.filter(state="confirmed", confirmation_number__isnull=True).exists()
    assert students.filter(source="new_arrival").count() == 3
    transfers = Transfer.objects.filter(student__campaign=campaign)
    assert Counter(transfers.values_list("state", flat=True)) == {"out_review": 1, "in_review": 1, "approved": 1,
                                                                   "refused": 2}
    moved = transfers.get(state="approved").student
    assert moved.district_id == transfers.get(state="approved").to_district_id
    assert moved.admission_route == "home_district"
    assert set(transfers.exclude(state__in=("out_review", "in_review")).values_list("reviewing_district",
                                                                                      flat=True)) == {None}
    for model, initial in ((Student, "imported"), (Transfer, "out_review")):
        definition = definition_for(model)
        records = defaultdict(list)
        for record in TransitionRecord.objects.filter(content_type=ContentType.objects.get_for_model(model)
                                                      ).order_by("created_at", "pk"):
            records[int(record.object_id)].append(record)
        for obj in model.objects.all():
            state = initial
            for record in records[obj.pk]:
                assert definition.transition(state, record.action) is not None
                state = record.to_state
            assert state == obj.state, (obj, [r.action for r in records[obj.pk]])
    passwords = _passwords(output)
    user = authenticate(username="xicheng_reviewer", password=passwords["xicheng_reviewer"])
    assert user is not None and StaffScope.objects.get(user=user).district.name == "西城区"

    counts = (students.count(), transfers.count())
    _build(50, junior_graduates=1)  # a second run adds nothing
    assert (Student.objects.filter(campaign=campaign).count(), transfers.count()) == counts
