"""The scope matrix (#15, #16, R25/R26) over every scoped DocType the desk registers and the junior-high
and lottery desk pages that take an object: for each role, the list shows exactly the rows
`scope.restrict` gives (never one outside, never hiding one inside), every other row's change and
history pages are refused without naming the row, and object permissions say the same. The world holds
a row of every scoped registered model, so a new DocType without a builder here fails by name."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

import pytest
from django.contrib import admin
from django.core import serializers
from django.test import RequestFactory
from django.urls import reverse

from apps.bj_enrollment import roles
from apps.bj_enrollment.choices import Gender, Ownership, StudentState
from apps.bj_enrollment.doctype.lottery_run import MultipleBirthGroup
from apps.bj_enrollment.lottery import multiple_births
from apps.bj_enrollment.models import (
    Application,
    Category,
    CategoryClaim,
    Child,
    DisclosureRelease,
    DocumentRequirement,
    FeederPair,
    GraduateImport,
    Guardian,
    HighSchoolEntry,
    LotteryEntry,
    LotteryRun,
    NewArrival,
    PreferenceSetting,
    PrivateApplication,
    Property,
    RegistryExport,
    School,
    SchoolPlan,
    ServiceZone,
    Student,
    StudentGuardian,
    Transfer,
    ZoneArea,
    ZoneLookup,
)
from apps.bj_enrollment.reports import disclosure, registry_export
from apps.bj_enrollment.rules.identity import make_resident_id
from apps.bj_enrollment.scope import restrict
from apps.bj_enrollment.services import new_arrivals, transfers
from apps.bj_enrollment.zones import limits
from tests import factories
from tests.bj_enrollment.junior.conftest import junior  # noqa: F401  (the junior-high fixture)

pytestmark = pytest.mark.django_db

ROLES = ("east_reviewer", "west_reviewer", "east_school_reviewer", "east_junior_reviewer", "city_admin")


def scoped_desk_models() -> list:
    return sorted((m for m in admin.site._registry if getattr(m, "scope_paths", None)), key=lambda m: m._meta.label)


@dataclass
class World:
    """The junior fixture's staff and, per scoped model, its east rows and its west rows."""

    junior: object
    root: object
    rows: dict = field(default_factory=dict)  # model -> (east rows, west rows)
    pages: dict = field(default_factory=dict)  # a desk page's rows to open, when not the model's built rows

    def __getattr__(self, name):
        return getattr(self.junior, name)


def _private_school(district, name) -> School:
    return School.objects.create(district=district, name=name, code=f"19{district.code}{len(name):02d}",
                                 offers_primary=False, offers_junior=True, ownership=Ownership.PRIVATE)


def _twins(campaign, school, prefix, guardian_id):
    born = dt.date(campaign.year - 12, 6, 1)
    pair = [factories.student(campaign, school, f"{prefix}{n}", birth_date=born,
                              education_id=f"T{school.district.code}{n:011d}") for n in (1, 2)]
    StudentGuardian.objects.filter(student__in=pair).update(id_number=guardian_id)
    return [factories.put_in_state(s, StudentState.CONFIRMED) for s in pair]


@pytest.fixture
def world(junior, city) -> World:  # noqa: F811
    """One row (at least) of every scoped desk model in the east, and one in the west where the model is
    a district's; made through the services where only they make the row, else as the other tests do."""
    w = World(junior=junior, root=factories.staff("root", "", superuser=True))
    camp, east, west = junior.campaign, city.east, city.west
    south = factories.district("110105", "朝阳区")
    west_school_reviewer = factories.staff("west-school", roles.SCHOOL_REVIEWER, school_=junior.west_primary)
    sides = (("east", east, junior.east_primary, junior.east_junior, junior.east_student, junior.east_reviewer,
              junior.east_school_reviewer, city.east_app),
             ("west", west, junior.west_primary, junior.west_junior, junior.west_student, junior.west_reviewer,
              west_school_reviewer, city.west_app))
    martyr = Category.objects.create(code="martyr", name="烈士子女", kind="priority")
    built: dict = {}
    w.pages = {"admit": [], "correct": []}

    def add(model, side, *objs):
        built.setdefault(model, ([], []))[0 if side == "east" else 1].extend(objs)

    for side, district, primary, junior_high, student, reviewer, school_reviewer, app in sides:
        add(Application, side, app)
        add(Child, side, app.child)
        add(Guardian, side, *app.guardians.all())
        add(Property, side, *app.properties.all())
        add(CategoryClaim, side, CategoryClaim.objects.create(application=app, category=martyr,
                                                              document_number=f"LS-{side}"))
        add(DocumentRequirement, side, DocumentRequirement.objects.create(campaign=city.campaign, district=district,
                                                                          name=f"户口簿{side}"))
        add(DisclosureRelease, side, disclosure.release(reviewer, city.campaign, district))
        add(School, side, primary, junior_high)
        add(SchoolPlan, side, SchoolPlan.objects.create(campaign=camp, school=junior_high, seats=100))
        add(FeederPair, side, FeederPair.objects.create(campaign=camp, primary_school=primary,
                                                        junior_school=junior_high))
        add(HighSchoolEntry, side, HighSchoolEntry.objects.create(school=junior_high, year=camp.year - 1,
                                                                  graduates=200, quality_entrants=80))
        add(PreferenceSetting, side, PreferenceSetting.objects.create(campaign=camp, district=district))
        zone = ServiceZone.objects.create(district=district, name=f"{district.name}第一片", areas="")
        zone.schools.add(primary)
        add(ServiceZone, side, zone)
        add(ZoneArea, side, ZoneArea.objects.create(zone=zone, road=f"{district.name}大街"))
        limits.charge(city.campaign, [district], f"key-{side}", f"{district.name}大街1号")
        add(ZoneLookup, side, *ZoneLookup.objects.filter(district=district))
        add(Student, side, student)
        add(PrivateApplication, side, PrivateApplication.objects.create(
            student=student, school=_private_school(district, f"{district.name}民办中学")))
        run = LotteryRun.objects.create(campaign=camp, district=district, title=f"{district.name}派位",
                                        algorithm="bj-lottery-2")
        add(LotteryRun, side, run)
        add(LotteryEntry, side, LotteryEntry.objects.create(run=run, student=student, participant_id=f"p-{side}",
                                                            lottery_number=f"{side}-0001", position=1,
                                                            school=junior_high))
        pair = _twins(camp, primary, f"{district.name[:1]}双", f"1101011980010100{len(side):02d}")
        add(MultipleBirthGroup, side, multiple_births.bind(reviewer, [s.education_id for s in pair]))
        moving = factories.student(camp, primary, f"{district.name[:1]}转出")
        add(Transfer, side, transfers.file_transfer(school_reviewer, moving, to_district=south, basis="hukou",
                                                    document_number=f"110105-{side}", address="朝阳区建国路1号"))
        birth = dt.date(camp.year - 12, 1, 1)
        arrival = new_arrivals.register_new_arrival(
            reviewer, campaign=camp, graduating_school=primary, arrival_document_number=f"学籍证明-{side}",
            education_id=f"N{district.code}00000000001", name=f"{district.name[:1]}新京",
            id_number=make_resident_id("440300", birth, 11 if side == "east" else 13, Gender.MALE),
            birth_date=birth, gender=Gender.MALE, mobile="13800138011")
        add(NewArrival, side, NewArrival.objects.get(pk=arrival.pk))
        add(Student, side, moving, *pair, arrival)
        _content, export = registry_export.export(junior.city_admin, camp, district=district)
        add(RegistryExport, side, export)
        # for the desk pages: a confirmed graduate (admit), one whose family reported an error (correct),
        # a graduates' import
        admit = factories.student(camp, primary, f"{district.name[:1]}待录", state=StudentState.CONFIRMED)
        correct = factories.student(camp, primary, f"{district.name[:1]}待改",
                                    state=StudentState.CORRECTION_REQUESTED)
        add(Student, side, admit, correct)
        w.pages["admit"].append(admit)
        w.pages["correct"].append(correct)
        add(GraduateImport, side, GraduateImport.objects.create(campaign=camp, district=district,
                                                                requested_by=reviewer))
    w.rows = built
    return w


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def _names(model) -> str:
    return f"admin:{model._meta.app_label}_{model._meta.model_name}"


def test_every_scoped_desk_model_has_rows_in_the_world(world):
    """A DocType registered in the desk with scope_paths and no builder in `world` fails here by name."""
    missing = [m._meta.label for m in scoped_desk_models() if not world.rows.get(m, ([], []))[0]]
    assert not missing, f"no east row built for {missing}: add a builder to the world fixture"
    for model in scoped_desk_models():
        base = admin.site._registry[model].get_queryset(_request(world.root))
        east, west = world.rows[model]
        assert {o.pk for o in east} <= set(base.values_list("pk", flat=True)), model._meta.label
        if "district" in model.scope_paths and model is not School:
            assert west, f"no west row built for {model._meta.label}"


@pytest.mark.parametrize("model", scoped_desk_models(), ids=lambda m: m._meta.model_name)
def test_desk_list_pages_and_object_permissions_follow_scope(client, world, model):
    _never_the_other_districts_rows(world, model)
    model_admin = admin.site._registry[model]
    names, label = _names(model), f"{model._meta.app_label}.view_{model._meta.model_name}"
    base = set(model_admin.get_queryset(_request(world.root)).values_list("pk", flat=True))
    rows = list(model._default_manager.all())
    for role in ROLES:
        user = getattr(world, role)
        visible = set(restrict(model._default_manager.all(), user).values_list("pk", flat=True))
        may_view = model_admin.has_view_or_change_permission(_request(user))
        client.force_login(user)
        response = client.get(reverse(f"{names}_changelist"))
        if may_view:
            assert response.status_code == 200, role
            listed = {obj.pk for obj in response.context["cl"].result_list}
            assert listed == visible & base, (role, listed, visible & base)
        else:
            assert response.status_code == 403, role
        for obj in rows:
            inside = obj.pk in visible
            assert user.has_perm(label, obj) == (inside and user.has_perm(label)), (role, obj.pk)
            pages = [client.get(reverse(f"{names}_{view}", args=[obj.pk])) for view in ("change", "history")]
            for view, page in zip(("change", "history"), pages, strict=True):
                if inside and obj.pk in base:
                    assert page.status_code == (200 if may_view else 403), (role, view, obj.pk)
                elif not inside:
                    assert page.status_code in (302, 403, 404), (role, view, obj.pk)
                    assert str(obj) not in page.content.decode(), (role, view, obj.pk)


def _never_the_other_districts_rows(world, model):
    """Independent of the desk: a row built in one district is outside the other district's scope and
    the other district's schools'; the city sees both; a district sees its own."""
    east, west = world.rows[model]
    pks = lambda user: set(restrict(model._default_manager.all(), user).values_list("pk", flat=True))  # noqa: E731
    assert not pks(world.west_reviewer) & {o.pk for o in east}
    for user in (world.east_reviewer, world.east_school_reviewer, world.east_junior_reviewer):
        assert not pks(user) & {o.pk for o in west}, user.username
    assert {o.pk for o in east} <= pks(world.east_reviewer)
    assert {o.pk for o in (*east, *west)} <= pks(world.city_admin)


# -- the junior-high and lottery desk pages that take an object ------------------------------------------


@dataclass(frozen=True)
class Page:
    url_name: str  # without "admin:"
    model: type
    kwargs: dict = field(default_factory=dict)
    method: str = "get"
    ok: tuple = (200,)  # what an in-scope role that may act gets
    acts: tuple = ROLES  # the roles that may act on an in-scope row (others in scope: 200 or 403)
    targets: str = ""  # a key of world.pages, else the model's built rows


DISTRICTS = ("east_reviewer", "west_reviewer", "city_admin")
PAGES = [
    Page("bj_enrollment_student_admit_student", Student, targets="admit",
         acts=("east_reviewer", "west_reviewer")),
    Page("bj_enrollment_student_correct_student", Student, targets="correct",
         acts=("east_reviewer", "west_reviewer", "east_school_reviewer")),
    Page("bj_enrollment_transfer_print_transfer", Transfer, ok=(200, 302)),  # 302: still rendering
    Page("bj_enrollment_lotteryrun_status", LotteryRun, acts=DISTRICTS),
    Page("bj_enrollment_lotteryrun_file", LotteryRun, {"name": "input.json"}, ok=(404,),  # nothing published yet
         acts=DISTRICTS),
    Page("bj_enrollment_lotteryrun_step", LotteryRun, {"step": "commit"}, method="post", ok=(302,), acts=DISTRICTS),
    Page("bj_enrollment_student_registry_import", GraduateImport),
]
# Object pages the framework adds to every workflow or custom-field DocType, covered where that
# framework is tested (tests/bj_enrollment/test_side_doors.py walks every desk URL for writes).
FRAMEWORK_PAGES = ("_workflow_action", "_workflow_bulk", "_workflow_bulk_status", "_custom_file")
PAGE_MODELS = (Student, NewArrival, Transfer, LotteryRun, LotteryEntry, MultipleBirthGroup, PreferenceSetting,
               PrivateApplication, FeederPair, HighSchoolEntry, RegistryExport)


def test_every_object_page_of_the_junior_and_lottery_desk_is_in_the_matrix():
    """A new detail action (unfold `url_path`) or custom URL taking an id must be added to PAGES."""
    listed = {page.url_name for page in PAGES}
    found = set()
    for model in PAGE_MODELS:
        model_admin = admin.site._registry[model]
        standard = {f"{model._meta.app_label}_{model._meta.model_name}_{v}" for v in ("change", "delete", "history")}
        for pattern in model_admin.get_urls():
            route = str(pattern.pattern)
            if "<" in route and pattern.name and pattern.name not in standard \
                    and not pattern.name.endswith(FRAMEWORK_PAGES):
                found.add(pattern.name)
        for action in (*model_admin._get_base_actions_detail(), *model_admin._get_base_actions_row()):
            found.add(action.action_name)
    assert found - listed == set()
    assert listed <= found  # no stale entry


def _fingerprint(model) -> str:
    return hashlib.sha256(serializers.serialize("json", model._default_manager.order_by("pk")).encode()).hexdigest()


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.url_name)
def test_object_pages_answer_only_in_scope(client, world, page):
    targets = world.pages[page.targets] if page.targets else [o for side in world.rows[page.model] for o in side]
    assert targets
    for role in ROLES:
        user = getattr(world, role)
        client.force_login(user)
        visible = set(restrict(page.model._default_manager.all(), user).values_list("pk", flat=True))
        for obj in targets:
            key = "import_id" if page.model is GraduateImport else "object_id"
            url = reverse(f"admin:{page.url_name}", kwargs={key: obj.pk, **page.kwargs})
            before = _fingerprint(page.model)
            response = getattr(client, page.method)(url)
            if obj.pk not in visible:
                assert response.status_code in (403, 404), (role, url)
                assert str(obj) not in response.content.decode(), (role, url)
                assert _fingerprint(page.model) == before, (role, url)
            elif role in page.acts:
                assert response.status_code in page.ok, (role, url, response.status_code)
            else:
                assert response.status_code in (*page.ok, 403), (role, url, response.status_code)


def test_a_school_level_user_never_reads_a_whole_districts_rows(client, world, city):
    """The hole the matrix found: for a DocType without a school path, `restrict` fell back to the district
    path for a school-scoped user, so a school given the right to view category claims (roles are data,
    edited in the desk) read every claim of its district, other schools' applicants included (R25)."""
    from django.contrib.auth.models import Permission, User

    other = factories.application(city.campaign, factories.child("钱同区"), city.east,
                                  factories.school(city.east, "府学胡同小学"), mobile="13911110000")
    claim = CategoryClaim.objects.create(application=other, category=Category.objects.get(code="martyr"),
                                         document_number="LS-other")
    world.east_school_reviewer.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_categoryclaim", "change_categoryclaim"]))
    user = User.objects.get(pk=world.east_school_reviewer.pk)
    for model in scoped_desk_models():
        if "school" not in model.scope_paths:
            assert not restrict(model._default_manager.all(), user).exists(), model._meta.label
            assert not any(user.has_perm(f"bj_enrollment.view_{model._meta.model_name}", obj)
                           for obj in model._default_manager.all()), model._meta.label
    client.force_login(user)
    listed = client.get(reverse("admin:bj_enrollment_categoryclaim_changelist"))
    assert listed.status_code == 200 and list(listed.context["cl"].result_list) == []
    before = _fingerprint(CategoryClaim)
    for response in (client.get(reverse("admin:bj_enrollment_categoryclaim_change", args=[claim.pk])),
                     client.post(reverse("admin:bj_enrollment_categoryclaim_change", args=[claim.pk]),
                                 {"decision": "verified", "reason": ""})):
        assert response.status_code in (302, 403, 404)
        assert other.child.name not in response.content.decode() and "LS-other" not in response.content.decode()
    assert _fingerprint(CategoryClaim) == before
