"""R19-R24 on the status page: each step's state and reason, the printing gate, the result."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from apps.bj_enrollment.choices import ApplicationState as S
from apps.bj_enrollment.models import Application
from apps.lowcode.workflow import engine

pytestmark = pytest.mark.django_db
PASSWORD = "Parent2026ok"


def _login(client, app, state) -> Application:
    user = User.objects.create_user(app.form_number, password=PASSWORD)
    Application.objects.filter(pk=app.pk).update(account=user, state=state)
    client.post(reverse("portal:login"), {"username": app.form_number, "password": PASSWORD})
    return Application.objects.get(pk=app.pk)


def test_status_identity_failed_shows_the_reason(client, city):
    app = _login(client, city.east_app, S.IDENTITY_CHECK)
    engine.apply_action(None, app, "Identity check failed", "户籍信息与公安部人口信息不一致", system=True)
    page = client.get(reverse("portal:home")).content.decode()
    assert "户籍信息与公安部人口信息不一致" in page
    assert 'class="step refused"' in page


def test_status_registered_shows_current_first_step_and_no_print(client, city):
    _login(client, city.east_app, S.REGISTERED)
    response = client.get(reverse("portal:home"))
    assert [s.status for s in response.context["steps"]][:2] == ["current", "waiting"]
    assert reverse("portal:print") not in response.content.decode()


@pytest.mark.parametrize("state", [S.REGISTERED, S.IDENTITY_CHECK, S.FIVE_CERTIFICATE_REVIEW, S.CANCELLED])
def test_print_before_verification_refused_with_message(client, city, state):
    _login(client, city.east_app, state)
    response = client.get(reverse("portal:print"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("portal:home")
    assert response["Content-Type"].startswith("text/html")
    assert list(response.context["messages"])


def test_result_confirmed_shows_school(client, city):
    app = _login(client, city.east_app, S.PRE_ADMITTED)
    engine.apply_action(city.east_reviewer, app, "Confirm admission")
    page = client.get(reverse("portal:home")).content.decode()
    assert 'id="result"' in page and city.east_school.name in page


def test_result_school_rejection_shows_reason(client, city):
    app = _login(client, city.east_app, S.READY_TO_PRINT)
    engine.apply_action(city.east_school_reviewer, app, "Reject", "不在本校服务片区")
    page = client.get(reverse("portal:home")).content.decode()
    assert "不在本校服务片区" in page


def test_print_when_ready_gives_the_parents_own_pdf(client, city):
    from io import BytesIO

    from pypdf import PdfReader

    app = _login(client, city.east_app, S.READY_TO_PRINT)
    response = client.get(reverse("portal:print"))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    assert app.child.name in text and app.form_number in text and app.verification_code in text
    assert city.west_app.form_number not in text
