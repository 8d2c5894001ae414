"""The family's two steps of a submission (R17), as a browser takes them: "Submit" runs the checks
and shows everything with what the registries returned; "Confirm and submit" submits. And the
details an app sends through the API."""

from django.urls import reverse

from apps.bj_enrollment.models import Street


def submit_details(client, data: dict):
    """Post the details with "Submit"; when the checks pass, look at the confirmation page and confirm.
    Returns the last response (the details page with its errors when the checks refused)."""
    response = client.post(reverse("portal:details"), {**data, "submit": "1"})
    if response.status_code == 302 and response.url == reverse("portal:confirm_details"):
        assert client.get(response.url).status_code == 200
        response = client.post(response.url)
    return response


def api_details(city, **changes) -> dict:
    """Complete details for PUT /api/v1/application/details of an east-district application: a street
    of the district, a rented home, one guardian."""
    street = Street.objects.get_or_create(district=city.east, name="东华门街道", defaults={"code": "110101001"})[0]
    return {
        "residence-residence_district": city.east.pk,
        "residence-residence_street": street.pk,
        "residence-residence_address": "东华门大街1号",
        "residence-housing_type": "rented",
        "residence-single_guardian": True,
        "g1-name": "王大明",
        "g1-relationship": "father",
        "g1-id_number": "110105198001010016",
        "g1-phone": "13912345678",
        **changes,
    }
