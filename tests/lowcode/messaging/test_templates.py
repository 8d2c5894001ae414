"""Templates are checked when saved (never at a parent's expense) and shipped defaults load once."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import translation

from apps.bj_enrollment import messaging_setup
from apps.bj_enrollment.models import Application
from apps.lowcode.messaging.models import MessageTemplate
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

ADD_URL = "/en/desk/lowcode_messaging/messagetemplate/add/"  # English: the assertions name the msgids


def form_data(**overrides):
    data = {
        "key": "test_template",
        "document_type": ContentType.objects.get_for_model(Application).pk,
        "event": "state:pre_admitted",
        "channel": "sms",
        "active": "on",
        "subject": "",
        "text": "{{ child_name }}：{{ form_number }}",
        "provider_template_code": "",
        "provider_params": "",
        "_save": "1",
    }
    return {**data, **overrides}


@pytest.fixture
def desk(city, client):
    client.login(username="city", password=PASSWORD)
    return client


def form_errors(response):
    assert response.status_code == 200, response.status_code
    return response.context["adminform"].form.errors


def test_save_valid_template_through_desk_is_stored(desk):
    response = desk.post(ADD_URL, form_data())
    assert response.status_code == 302
    assert MessageTemplate.objects.get(key="test_template").text == "{{ child_name }}：{{ form_number }}"


def test_save_template_with_syntax_error_is_refused_naming_the_line(desk):
    response = desk.post(ADD_URL, form_data(text="您好\n{{ form_number }"))
    errors = form_errors(response)
    assert errors["text"] == ["The template cannot be used: line 2: unexpected '}'"]
    assert not MessageTemplate.objects.filter(key="test_template").exists()


def test_save_template_with_unknown_placeholder_is_refused(desk):
    errors = form_errors(desk.post(ADD_URL, form_data(text="{{ child_name }}\n{{ seat_number }}")))
    assert errors["text"] == ["The template cannot be used: line 2: 'seat_number' is undefined"]


def test_save_template_reaching_for_class_is_refused(desk):
    errors = form_errors(desk.post(ADD_URL, form_data(text="{{ form_number.__class__.__mro__ }}")))
    assert errors["text"] == [
        "The template cannot be used: line 1: access to attribute '__class__' of 'str' object is unsafe."
    ]


def test_save_email_template_without_subject_is_refused(desk):
    errors = form_errors(desk.post(ADD_URL, form_data(channel="email")))
    assert errors["subject"] == ["An e-mail needs a subject."]


def test_save_template_with_malformed_event_is_refused(city):
    template = MessageTemplate(
        key="x",
        document_type=ContentType.objects.get_for_model(Application),
        event="Pre admitted",
        text="{{ form_number }}",
    )
    with pytest.raises(ValidationError) as info:
        template.full_clean()
    assert list(info.value.message_dict) == ["event"]


def test_save_template_with_unknown_provider_param_is_refused(city):
    template = MessageTemplate(
        key="x",
        document_type=ContentType.objects.get_for_model(Application),
        event="registered",
        text="{{ form_number }}",
        provider_params="form_number, seat",
    )
    with translation.override("en"), pytest.raises(ValidationError) as info:
        template.full_clean()
    assert info.value.message_dict["provider_params"] == ["Unknown placeholders: seat"]


def test_defaults_are_loaded_at_migrate_for_every_notified_event():
    events = set(MessageTemplate.objects.filter(document_type__model="application").values_list("event", flat=True))
    assert events >= {
        "registered",
        "action:Identity verified (Beijing hukou)",
        "action:Identity verified (non-Beijing hukou)",
        "state:identity_failed",
        "action:Approve",
        "state:five_certificate_rejected",
        "action:Pre-admit",
        "state:confirmed",
        "state:school_rejected",
        "state:district_rejected",
        "action:Submit details",
        "action:Withdraw to edit",
        "action:Assign by lottery",
        "lottery_not_assigned",
        "state:cancelled",
        "state:void",
        "school_check_reminder",
    }


def test_load_defaults_again_keeps_an_administrators_edit():
    MessageTemplate.objects.filter(key="application_confirmed").update(text="{{ child_name }}已录取。")
    MessageTemplate.objects.filter(key="application_registered").delete()
    results = messaging_setup.load_default_templates()
    created = [template.key for template, was_created in results if was_created]
    assert created == ["application_registered"]
    assert MessageTemplate.objects.get(key="application_confirmed").text == "{{ child_name }}已录取。"
    shipped = [template.key for template, _ in results if template.key.startswith("application_")]
    assert MessageTemplate.objects.filter(key__startswith="application_").count() == len(shipped)


def test_preview_renders_for_a_document_in_scope(city, desk):
    template = MessageTemplate.objects.get(key="application_pre_admitted")
    app = city.west_app
    response = desk.get(
        f"/desk/lowcode_messaging/messagetemplate/{template.pk}/preview/", {"document": app.form_number}, follow=True
    )
    assert response.status_code == 200
    assert response.context["document"] == app
    assert response.context["rendered"] == (
        f"【北京市义务教育入学服务平台】赵西西（编号{app.form_number}）已被育民小学预录取，最终结果以西城区教委确认为准。"
    )
    assert response.context["rendered"] in response.content.decode()


def test_preview_without_document_uses_sample_data(city, desk):
    template = MessageTemplate.objects.get(key="application_pre_admitted")
    response = desk.get(f"/desk/lowcode_messaging/messagetemplate/{template.pk}/preview/")
    assert response.context["document"] is None
    assert "王小明" in response.context["rendered"]


def test_preview_refuses_a_document_outside_the_users_scope(city, client):
    from django.contrib.auth.models import Permission

    city.east_reviewer.user_permissions.add(Permission.objects.get(codename="view_messagetemplate"))
    client.login(username="east", password=PASSWORD)
    template = MessageTemplate.objects.get(key="application_pre_admitted")
    url = f"/desk/lowcode_messaging/messagetemplate/{template.pk}/preview/"
    outside = client.get(url, {"document": city.west_app.form_number}, follow=True)
    assert outside.context["document"] is None
    assert outside.context["rendered"] == ""
    assert "赵西西" not in outside.content.decode()
    inside = client.get(url, {"document": city.east_app.form_number}, follow=True)
    assert inside.context["document"] == city.east_app
