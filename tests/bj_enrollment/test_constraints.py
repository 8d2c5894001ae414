"""R3, R9 and R13 hold in the database itself, also when two requests insert at the same moment."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, connection, transaction

from apps.bj_enrollment.choices import ApplicationState, HukouCategory
from apps.bj_enrollment.models import Application, Guardian
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def _new_app(city, child, district, **kw):
    return Application(
        campaign=city.campaign,
        child=child,
        district=district,
        mobile="13700000000",
        hukou_category=HukouCategory.LOCAL,
        **kw,
    )


def test_suite_runs_on_mariadb():
    assert connection.vendor == "mysql"
    assert "MariaDB" in connection.mysql_server_info


def test_second_live_application_for_same_id_is_refused_r9(city):
    with pytest.raises(IntegrityError, match="application_one_live_per_child"):
        factories.application(city.campaign, city.east_app.child, city.east)


def test_validation_names_the_live_application_of_the_same_child_r9(city):
    """Before the database refuses, the model's validation says why: the other application's number
    and district (any validation that covers the campaign, the child or the state)."""
    second = _new_app(city, city.east_app.child, city.west, form_number="26000009", verification_code="ABCDEF")
    with pytest.raises(ValidationError) as refused:
        second.full_clean(exclude=["campaign", "child"])
    assert city.east_app.form_number in str(refused.value) and city.east.name in str(refused.value)
    second.full_clean(exclude=["campaign", "child", "state"])  # a form of other fields: not its concern


def test_a_new_application_validates_while_the_campaign_holds_a_cancelled_one_r33(city):
    """Django's own check of the unique (campaign, live_child) read the unsaved row's generated
    column as NULL, which every cancelled application of the campaign has: a new registration for
    another child failed validation with "already exists". R9 is still checked (the live one)."""
    Application.objects.filter(pk=city.west_app.pk).update(state=ApplicationState.CANCELLED)
    child = factories.child("新同学")
    new = _new_app(city, child, city.east, form_number="26000019", verification_code="ABCDEF")
    new.full_clean(exclude=["account", "school"])  # nothing to say
    again = _new_app(city, city.east_app.child, city.west, form_number="26000029", verification_code="ABCDEF")
    with pytest.raises(ValidationError) as refused:
        again.full_clean(exclude=["account", "school"])
    assert city.east_app.form_number in str(refused.value)


def test_second_district_for_same_child_is_refused_r3(city):
    with pytest.raises(IntegrityError, match="application_one_live_per_child"):
        factories.application(city.campaign, city.east_app.child, city.west, city.west_school)
    assert Application.objects.filter(child=city.east_app.child).count() == 1


def test_cancelled_application_frees_the_id_for_a_new_registration_r33(city):
    Application.objects.filter(pk=city.east_app.pk).update(state=ApplicationState.CANCELLED)
    again = factories.application(city.campaign, city.east_app.child, city.west, city.west_school)
    assert again.pk and Application.objects.filter(child=city.east_app.child).count() == 2
    # ...but reviving the cancelled one now collides with the live one.
    with pytest.raises(IntegrityError):
        Application.objects.filter(pk=city.east_app.pk).update(state=ApplicationState.REGISTERED)


def test_same_child_may_apply_in_another_campaign(city):
    later = factories.campaign(city.campaign.year + 1)
    assert factories.application(later, city.east_app.child, city.east).form_number.startswith(later.form_number_prefix)


def test_duplicate_form_number_is_refused_r13(city):
    app = _new_app(
        city, factories.child("钱多多"), city.east, form_number=city.east_app.form_number, verification_code="ABCDEF"
    )
    with pytest.raises(IntegrityError, match="form_number"):
        app.save()


@pytest.mark.parametrize("number", ["1234567", "123456789", "12a45678"])
def test_form_number_must_be_8_digits_r13(city, number):
    app = _new_app(city, factories.child("孙小小"), city.east, form_number=number, verification_code="ABCDEF")
    with pytest.raises((IntegrityError, DataError)):  # strict mode: too long is refused, not truncated
        app.save()


def test_model_validation_checks_a_check_constraint_only_where_it_covers_its_field(city):
    """Model validation of a check constraint (lowcode/constraints.py): where the validation covers
    the guardian's position it is checked; where it leaves the position out (the details forms) it
    is skipped, as Django skips it, without building the row's expressions first."""
    guardian = Guardian(application=city.east_app, position=3, name="李大东", phone="13912345678")
    with pytest.raises(ValidationError, match="guardian_position_1_or_2"):
        guardian.validate_constraints(exclude={"application"})
    guardian.validate_constraints(exclude={"application", "position"})


def test_form_numbers_start_with_the_campaign_year_r13(city):
    assert city.east_app.form_number.startswith(f"{city.campaign.year % 100:02d}")
    assert len(city.east_app.form_number) == 8


def _race(make_row):
    """Run two inserts in two connections, released at once; return (successes, errors)."""
    barrier = threading.Barrier(2)
    results = []

    def worker():
        try:
            barrier.wait(timeout=10)
            with transaction.atomic():
                make_row()
            results.append("ok")
        except IntegrityError as exc:
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return [r for r in results if r == "ok"], [r for r in results if r != "ok"]


def test_two_concurrent_registrations_of_one_id_one_wins_r9(city):
    child = factories.child("周同时")
    numbers = iter(["26000001", "26000002"])
    lock = threading.Lock()

    def insert():
        with lock:
            number = next(numbers)
        _new_app(city, child, city.east, form_number=number, verification_code="ABCDEF").save()

    ok, errors = _race(insert)
    assert len(ok) == 1 and len(errors) == 1
    assert "application_one_live_per_child" in str(errors[0])
    assert Application.objects.filter(child=child).count() == 1


def test_two_concurrent_inserts_of_one_form_number_one_wins_r13(city):
    children = iter([factories.child("吴甲"), factories.child("郑乙")])
    lock = threading.Lock()

    def insert():
        with lock:
            child = next(children)
        _new_app(city, child, city.east, form_number="26999999", verification_code="ABCDEF").save()

    ok, errors = _race(insert)
    assert len(ok) == 1 and len(errors) == 1
    assert Application.objects.filter(form_number="26999999").count() == 1
