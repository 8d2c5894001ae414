"""The family's two steps of a submission (R17), as a browser takes them: "Submit" runs the checks
and shows everything with what the registries returned; "Confirm and submit" submits."""

from django.urls import reverse


def submit_details(client, data: dict):
    """Post the details with "Submit"; when the checks pass, look at the confirmation page and confirm.
    Returns the last response (the details page with its errors when the checks refused)."""
    response = client.post(reverse("portal:details"), {**data, "submit": "1"})
    if response.status_code == 302 and response.url == reverse("portal:confirm_details"):
        assert client.get(response.url).status_code == 200
        response = client.post(response.url)
    return response
