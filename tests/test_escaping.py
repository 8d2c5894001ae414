"""Issue 11, hole 3: text that administrators type (custom-field labels, help texts and options,
workflow state labels, preset reasons, message and print templates, school names) reaches reviewers'
and parents' pages as text, never as markup. Each test stores the attack, opens the page through HTTP
as the person who would see it, and finds the text escaped exactly once."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils.html import escape

from apps.bj_enrollment.choices import ApplicationState
from apps.bj_enrollment.models import Application, School
from apps.lowcode.messaging.models import MessageTemplate
from apps.lowcode.printing.models import PrintFormat
from apps.lowcode.workflow import engine
from apps.lowcode.workflow.models import State, Transition, Workflow
from tests.lowcode.customfields.helpers import change_url, define

pytestmark = pytest.mark.django_db

PARENT_PASSWORD = "Parent2026ok"


def attack(n: int) -> str:
    return f"<script>alert({n})</script>"


def assert_shown_as_text(html: str, *texts: str) -> None:
    for text in texts:
        assert text not in html, f"{text} went out as markup"
        assert escape(text) in html, f"{text} is not on the page (or escaped twice)"


def _parent_logs_in(client, app, state=ApplicationState.REGISTERED) -> Application:
    user = User.objects.create_user(app.form_number, password=PARENT_PASSWORD)
    Application.objects.filter(pk=app.pk).update(account=user, state=state)
    client.post(reverse("portal:login"), {"username": app.form_number, "password": PARENT_PASSWORD})
    return Application.objects.get(pk=app.pk)


def _custom_field_attack():
    return define(
        "bus",
        "select",
        label_zh=attack(1),
        help_text_zh=attack(2),
        options=f"{attack(3)}\n不需要",
        show_in_desk=True,
        show_in_portal=True,
        show_in_list_filter=True,
    )


def test_custom_field_label_help_and_option_escaped_on_reviewers_change_page_and_list(client, city):
    _custom_field_attack()
    client.force_login(city.city_admin)  # may edit the application: the page shows the field's input
    page = client.get(change_url(city.east_app))
    assert page.status_code == 200
    assert 'name="cf_bus"' in page.content.decode()
    assert_shown_as_text(page.content.decode(), attack(1), attack(2), attack(3))
    listing = client.get(reverse("admin:bj_enrollment_application_changelist"))
    assert listing.status_code == 200
    assert_shown_as_text(listing.content.decode(), attack(1), attack(3))  # the field's list filter


def test_custom_field_label_help_and_option_escaped_on_parents_details_page(client, city):
    _custom_field_attack()
    _parent_logs_in(client, city.east_app)
    page = client.get(reverse("portal:details"))
    assert page.status_code == 200
    assert "cf_bus" in page.context["forms"]["custom"].fields
    assert_shown_as_text(page.content.decode(), attack(1), attack(2), attack(3))


def test_workflow_state_label_escaped_on_change_page_and_timeline(client, city):
    workflow = Workflow.objects.get(document_type__model="application", is_active=True)
    state = State.objects.get(workflow=workflow, name=city.east_app.state)
    state.label = attack(4)
    state.save()
    client.force_login(city.east_school_reviewer)
    html = client.get(change_url(city.east_app)).content.decode()
    assert_shown_as_text(html, attack(4))


def test_preset_reason_escaped_for_reviewer_and_parent_and_stored_as_typed(client, city):
    reject = Transition.objects.get(
        workflow__document_type__model="application", workflow__is_active=True,
        from_state=city.east_app.state, action="Reject",
    )
    reject.reason_options = f"{attack(5)}\n不属于本校服务片区"
    reject.save()
    client.force_login(city.east_school_reviewer)
    html = client.get(change_url(city.east_app)).content.decode()
    assert_shown_as_text(html, attack(5))

    client.post(
        reverse("admin:bj_enrollment_application_workflow_action", args=[city.east_app.pk]),
        {"action": "Reject", "reason_preset": attack(5), "reason": "", "state": city.east_app.state},
    )
    city.east_app.refresh_from_db()
    assert city.east_app.state == ApplicationState.SCHOOL_REJECTED
    assert engine.history(city.east_app).last().reason == attack(5)  # stored as typed, escaped when shown
    assert_shown_as_text(client.get(change_url(city.east_app)).content.decode(), attack(5))  # timeline

    client.logout()
    user = User.objects.create_user(city.east_app.form_number, password=PARENT_PASSWORD)
    Application.objects.filter(pk=city.east_app.pk).update(account=user)
    client.post(reverse("portal:login"), {"username": city.east_app.form_number, "password": PARENT_PASSWORD})
    status = client.get(reverse("portal:home"))
    assert status.status_code == 200
    assert_shown_as_text(status.content.decode(), attack(5))


def test_message_template_preview_shows_the_text_escaped(client, city):
    template = MessageTemplate.objects.get(key="application_pre_admitted")
    MessageTemplate.objects.filter(pk=template.pk).update(text=f"{attack(6)}{{{{ form_number }}}}")
    client.force_login(city.city_admin)
    response = client.get(reverse("admin:lowcode_messaging_messagetemplate_preview", args=[template.pk]))
    assert response.status_code == 200
    assert_shown_as_text(response.content.decode(), attack(6))


def test_print_format_preview_keeps_the_template_in_a_scriptless_frame(client, city):
    form = PrintFormat.objects.get(key="collection-form")
    PrintFormat.objects.filter(pk=form.pk).update(template=f"<p>{{{{ form_number }}}}</p>{attack(7)}")
    client.force_login(city.city_admin)
    response = client.get(reverse("admin:lowcode_printing_printformat_preview", args=[form.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert_shown_as_text(html, attack(7))
    assert 'sandbox=""' in html and "srcdoc=" in html


def test_school_name_escaped_in_the_desk_list_and_change_page(client, city):
    School.objects.filter(pk=city.east_school.pk).update(name=attack(8))
    client.force_login(city.city_admin)
    for url in (reverse("admin:bj_enrollment_application_changelist"), change_url(city.east_app),
                reverse("admin:bj_enrollment_school_changelist")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_shown_as_text(response.content.decode(), attack(8))
