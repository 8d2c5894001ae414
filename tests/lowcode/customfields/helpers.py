"""Shared set-up for custom field tests: definitions for Application and desk form data."""

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from apps.bj_enrollment.models import Application
from apps.lowcode.customfields.models import CustomField


def define(fieldname, field_type="text", **kwargs):
    kwargs.setdefault("label_zh", fieldname)
    doctype = ContentType.objects.get_for_model(Application)
    field = CustomField(document_type=doctype, fieldname=fieldname, field_type=field_type, **kwargs)
    field.full_clean()
    field.save()
    return field


def change_url(app):
    return reverse("admin:bj_enrollment_application_change", args=[app.pk])


def _encode(value):
    if value is True:
        return "on"
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return "" if value is None else str(value)


def form_data(response):
    """What the browser would post back for the change page as rendered (main form and inlines)."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        forms.append(formset.management_form)
        forms.extend(formset.forms)
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is False or (value is None and name not in form.initial):
                continue
            data[form.add_prefix(name)] = _encode(value)
    return data
