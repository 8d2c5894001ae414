"""R23: an application gets the school of its zone when it becomes ready to print; a family whose zone
has several schools (or whose address no zone names yet) walks into a school of its zone with the
printed form, and that school scans it, sees it and pre-admits or refuses it. A school still never
browses another school's families."""

import pytest
from django.urls import reverse

from apps.bj_enrollment import workflow_actions as A
from apps.bj_enrollment.choices import ApplicationState as S
from apps.bj_enrollment.models import Application, ServiceZone, WalkIn, ZoneArea
from apps.bj_enrollment.print_context import verification_text
from apps.bj_enrollment.zones import index as zone_index
from apps.lowcode.workflow import engine
from tests import factories

pytestmark = pytest.mark.django_db
LIST = "admin:bj_enrollment_application_changelist"


def zone(city, name, schools, road, *, multi=False):
    z = ServiceZone.objects.create(district=city.east, name=name, areas="", multi_school=multi)
    z.schools.set(schools)
    ZoneArea.objects.create(zone=z, road=road, compound="", number_from=None, number_to=None, parity="all")
    zone_index.changed()
    return z


def family(city, address, name="吴走进"):
    app = factories.application(city.campaign, factories.child(name), city.east, None, state=S.IDENTITY_CHECK,
                                mobile="13655556666")
    Application.objects.filter(pk=app.pk).update(residence_address=address, housing_type="rented")
    app.refresh_from_db()
    return app


def verified(app):
    engine.apply_action(None, app, A.IDENTITY_VERIFIED_LOCAL, system=True)
    app.refresh_from_db()
    return app


def test_an_address_in_a_single_school_zone_gets_its_school(city):
    zone(city, "北新桥片区", [city.east_school], "北新桥头条")
    app = verified(family(city, "东城区北新桥头条12号"))
    assert (app.state, app.school) == (S.READY_TO_PRINT, city.east_school)


def test_an_address_in_a_multi_school_zone_waits_for_the_lottery(city):
    other = factories.school(city.east, "和平里第九小学")
    zone(city, "和平里多校划片", [city.east_school, other], "和平里中街", multi=True)
    app = verified(family(city, "和平里中街3号"))
    assert (app.state, app.school) == (S.READY_TO_PRINT, None)


@pytest.fixture
def walk_in(city):
    other = factories.school(city.east, "和平里第九小学")
    zone(city, "和平里多校划片", [city.east_school, other], "和平里中街", multi=True)
    return verified(family(city, "和平里中街3号"))


def scan(client, app, code=None):
    text = verification_text(app.form_number, code or app.verification_code)
    return client.post(reverse(LIST), {"_search": "1", "q": text}, follow=True)


def test_a_school_of_the_zone_scans_a_walk_in_and_pre_admits_it(client, city, walk_in):
    client.force_login(city.east_school_reviewer)
    change = reverse("admin:bj_enrollment_application_change", args=[walk_in.pk])
    assert client.get(change).status_code == 302  # not browsable before the family walks in
    assert walk_in.child.name not in client.get(reverse(LIST)).content.decode()
    response = scan(client, walk_in)
    assert response.redirect_chain[-1][0] == change
    url = f"/desk/bj_enrollment/application/{walk_in.pk}/workflow/"
    client.post(url, {"action": A.PRE_ADMIT, "state": S.READY_TO_PRINT}, follow=True)
    walk_in.refresh_from_db()
    assert (walk_in.state, walk_in.school) == (S.PRE_ADMITTED, city.east_school)
    assert WalkIn.objects.get(application=walk_in).verified_by == city.east_school_reviewer


def test_a_wrong_code_or_a_school_outside_the_zone_finds_nothing(client, city, walk_in):
    client.force_login(city.east_school_reviewer)
    scan(client, walk_in, code="ZZZZZZ")
    outsider = factories.school(city.east, "东城区第十小学")
    stranger = factories.staff("outsider", "学校审核员", school_=outsider)
    client.force_login(stranger)
    response = scan(client, walk_in)
    assert response.redirect_chain[-1][0] == reverse(LIST)
    assert walk_in.child.name not in response.content.decode()
    assert not WalkIn.objects.exists()
    walk_in.refresh_from_db()
    assert (walk_in.state, walk_in.school) == (S.READY_TO_PRINT, None)


def test_a_school_never_takes_another_schools_family(client, city):
    """An application that already has its school is that school's: a neighbour's scan finds nothing."""
    other = factories.school(city.east, "和平里第九小学")
    reviewer = factories.staff("neighbour", "学校审核员", school_=other)
    client.force_login(reviewer)
    response = scan(client, city.east_app)
    assert response.redirect_chain[-1][0] == reverse(LIST)
    assert not WalkIn.objects.exists()
