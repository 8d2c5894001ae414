"""Who read whose personal data (#11): opening, printing and exporting are recorded, the record is
searchable by city administrators and cannot be edited or deleted from the desk."""

import pytest
from django.urls import reverse

from apps.bj_enrollment.models import Application, Child
from apps.lowcode.audit.models import PersonalDataAccess
from tests import factories
from tests.exports import exported

pytestmark = pytest.mark.django_db


def test_opening_an_application_records_who_read_it(client, city):
    client.force_login(city.east_reviewer)
    url = reverse("admin:bj_enrollment_application_change", args=[city.east_app.pk])
    assert client.get(url).status_code == 200
    row = PersonalDataAccess.objects.get()
    assert (row.user, row.action, row.object_id, row.count) == (city.east_reviewer, "view", str(city.east_app.pk), 1)
    assert row.document_type.model_class() is Application


def test_a_refused_page_records_nothing(client, city):
    client.force_login(city.east_reviewer)
    client.get(reverse("admin:bj_enrollment_application_change", args=[city.west_app.pk]))  # other district
    assert not PersonalDataAccess.objects.exists()


def test_export_records_the_number_of_rows(client, city):
    client.force_login(city.city_admin)
    response = client.post(
        reverse("admin:bj_enrollment_child_changelist"),
        {"action": "export_xlsx", "_selected_action": list(Child.objects.values_list("pk", flat=True))},
    )
    assert exported(client, response)
    row = PersonalDataAccess.objects.get(action="export")
    assert row.user == city.city_admin and row.count == 2 and row.document_type.model_class() is Child


def test_city_admin_searches_the_record_and_cannot_change_or_delete_it(client, city):
    client.force_login(city.east_reviewer)
    client.get(reverse("admin:bj_enrollment_application_change", args=[city.east_app.pk]))
    row = PersonalDataAccess.objects.get()
    client.force_login(city.city_admin)
    listing = client.get(reverse("admin:lowcode_audit_personaldataaccess_changelist"), {"q": "east"})
    assert listing.status_code == 200 and str(city.east_app.pk) in listing.content.decode()
    delete = reverse("admin:lowcode_audit_personaldataaccess_delete", args=[row.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    change = reverse("admin:lowcode_audit_personaldataaccess_change", args=[row.pk])
    client.post(change, {"object_id": "1", "count": "0"})
    assert PersonalDataAccess.objects.filter(pk=row.pk, object_id=str(city.east_app.pk), count=1).exists()


def test_reviewers_do_not_read_the_record(client, city):
    client.force_login(city.east_school_reviewer)
    assert client.get(reverse("admin:lowcode_audit_personaldataaccess_changelist")).status_code == 403


def test_print_preview_of_a_document_is_recorded(client, city):
    from apps.lowcode.printing.models import PrintFormat

    print_format = PrintFormat.objects.first()
    assert print_format is not None
    client.force_login(city.city_admin)
    url = reverse("admin:lowcode_printing_printformat_preview", args=[print_format.pk])
    response = client.get(url, {"document": city.east_app.form_number, "as": "pdf"}, follow=True)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    row = PersonalDataAccess.objects.get()
    assert row.action == "print" and row.object_id == str(city.east_app.pk)


def test_parents_reading_their_own_data_are_not_staff_reads(city):
    from apps.lowcode.audit.record import record

    record(factories.User.objects.create_user("parent"), "view", Application, object_id=1)
    assert not PersonalDataAccess.objects.exists()
