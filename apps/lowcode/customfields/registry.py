"""Which DocTypes opt in to custom fields: a model names its JSON column in `custom_fields_attr`."""

from __future__ import annotations

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q


def opted_in_models() -> list[type]:
    return [model for model in apps.get_models() if getattr(model, "custom_fields_attr", None)]


def storage_attr(model_or_document) -> str:
    return model_or_document.custom_fields_attr


def opted_in_content_types() -> Q:
    """`limit_choices_to` for the DocType field: evaluated when the form is built, not at import."""
    ids = [ct.pk for ct in ContentType.objects.get_for_models(*opted_in_models()).values()]
    return Q(pk__in=ids)
