"""Queries per request on the parent's busiest paths (issue #17): reading the own application with
its details and saving the details with two guardians cost a fixed number of queries, the same on a
second save as on the first (nothing grows with the history). Custom-field definitions are read
once per request, the campaign's windows in one query, and a row nothing changed in is not written
(nor its history row): 8 → 4, 12 → 8 and 32 → 17 queries (14 when nothing changed). A save writes
only the values it changed (no state for the workflow's guard to read back) and checks one live
application per child only where it edits the child, campaign or state: 17 → 15 (14 → 13); the
district and street are read once, by their form fields, not again by the model's validation:
15 → 13 (13 → 11). The save locks the application's row to decide on it whether the details may
still change (R17): 13 → 14 (11 → 12). The details read reads the property once for the form and
the registries' answers: 8 → 7."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.bj_enrollment.choices import ApplicationState, Gender
from apps.bj_enrollment.models import Application, Child, Guardian, Street
from apps.bj_enrollment.portal.details_forms import build_forms, save_draft
from apps.bj_enrollment.rules.identity import make_resident_id

READ_STATUS = 4
READ_DETAILS = 7
SAVE_DETAILS = 14  # one field of the application changed
SAVE_UNCHANGED = 12


def details(city, street, **changes):
    return {
        "residence-residence_district": city.east.pk,
        "residence-residence_street": street.pk,
        "residence-residence_address": "东华门大街1号",
        "residence-housing_type": "rented",
        "residence-single_guardian": False,
        "g1-name": "李大东",
        "g1-relationship": "father",
        "g1-id_number": "110105198001010016",
        "g1-phone": "13912345678",
        "g2-name": "王小红",
        "g2-relationship": "mother",
        "g2-id_number": make_resident_id("110105", dt.date(1982, 3, 4), 2, Gender.FEMALE),
        "g2-phone": "13912345679",
        **changes,
    }


def counted(call):
    with CaptureQueriesContext(connection) as ctx:
        response = call()
    return response, len(ctx)


def test_the_parent_reads_the_own_application_in_a_fixed_number_of_queries(client, parent):
    client.get("/api/v1/application")  # per-process caches (workflow definition, custom fields) warm
    client.get("/api/v1/application/details")
    response, status_queries = counted(lambda: client.get("/api/v1/application"))
    assert response.status_code == 200 and response.json()["form_number"] == parent.form_number
    response, details_queries = counted(lambda: client.get("/api/v1/application/details"))
    assert response.status_code == 200
    assert (status_queries, details_queries) == (READ_STATUS, READ_DETAILS)


def test_saving_the_details_with_two_guardians_costs_a_fixed_number_of_queries(client, city, parent):
    street = Street.objects.create(district=city.east, name="东华门街道", code="110101001")

    def save(**changes):
        return client.put(
            "/api/v1/application/details", details(city, street, **changes), content_type="application/json"
        )

    first = save()
    assert first.status_code == 200, first.json()
    response, queries = counted(lambda: save(**{"residence-residence_address": "东华门大街2号"}))
    assert response.status_code == 200, response.json()
    application = Application.objects.get(pk=parent.pk)
    assert application.residence_address == "东华门大街2号"
    assert sorted(application.guardians.values_list("name", flat=True)) == ["李大东", "王小红"]
    again, queries_again = counted(lambda: save(**{"residence-residence_address": "东华门大街3号"}))
    assert again.status_code == 200
    assert queries == queries_again == SAVE_DETAILS


def test_a_save_writes_only_the_rows_that_changed_with_their_history(client, city, parent):
    street = Street.objects.create(district=city.east, name="东华门街道", code="110101001")

    def save(**changes):
        return client.put(
            "/api/v1/application/details", details(city, street, **changes), content_type="application/json"
        )

    def history_rows():
        return (
            Application.history.filter(id=parent.pk).count(),
            Child.history.filter(id=parent.child_id).count(),
            Guardian.history.filter(application_id=parent.pk).count(),
        )

    assert save().status_code == 200
    before = history_rows()
    response, queries = counted(save)
    assert response.status_code == 200 and queries == SAVE_UNCHANGED
    assert history_rows() == before  # saved again as it was: nothing written
    response = save(**{"g2-phone": "13912345670"})
    assert response.status_code == 200
    assert history_rows() == (before[0], before[1], before[2] + 1)  # the mother's row and its record only
    assert Guardian.objects.get(application=parent, position=2).phone == "13912345670"
    assert Guardian.history.filter(application_id=parent.pk).latest("history_date").phone == "13912345670"


def test_a_save_is_refused_once_the_workflow_moved_the_application_on_after_it_read_it(city, parent):
    """Another request moved the application into the identity check after this save read it as
    registered: the save is refused (R17, decided on the locked row) and writes nothing; before, it
    wrote the address into an application under review."""
    street = Street.objects.create(district=city.east, name="东华门街道", code="110101001")
    application = Application.objects.get(pk=parent.pk)
    forms_ = build_forms(application, details(city, street, **{"residence-residence_address": "东华门大街9号"}))
    assert all(form.is_valid() for form in forms_.values())
    Application.objects.filter(pk=parent.pk).update(state=ApplicationState.IDENTITY_CHECK)
    before = list(Application.objects.filter(pk=parent.pk).values())
    with pytest.raises(ValidationError) as refused:
        save_draft(application, forms_)
    assert [error.code for error in refused.value.error_list] == ["not_editable"]
    assert list(Application.objects.filter(pk=parent.pk).values()) == before


def test_a_street_of_another_district_or_an_unknown_district_is_still_refused(client, city, parent):
    """The district and street are checked once, by their form fields, as strictly as before."""
    east_street = Street.objects.create(district=city.east, name="东华门街道", code="110101001")
    west_street = Street.objects.create(district=city.west, name="西长安街街道", code="110102001")

    def save(**changes):
        return client.put(
            "/api/v1/application/details", details(city, east_street, **changes), content_type="application/json"
        )

    refused = save(**{"residence-residence_street": west_street.pk})
    assert refused.status_code == 400 and "residence-residence_street" in refused.json()["errors"]
    refused = save(**{"residence-residence_district": 999_999})
    assert refused.status_code == 400 and "residence-residence_district" in refused.json()["errors"]
    assert Application.objects.get(pk=parent.pk).residence_street_id is None
