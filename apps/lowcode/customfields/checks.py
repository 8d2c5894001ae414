"""Start-up checks: a DocType that opts in must name a real JSON column, and stored definitions
must still be valid against the current models."""

from django.core import checks
from django.core.exceptions import ValidationError
from django.db import models

from apps.lowcode.customfields.registry import opted_in_models


@checks.register(checks.Tags.models)
def check_custom_fields_attr(app_configs=None, **kwargs):
    errors = []
    for model in opted_in_models():
        attr = model.custom_fields_attr
        field = next((f for f in model._meta.concrete_fields if f.name == attr), None)
        if not isinstance(field, models.JSONField):
            errors.append(
                checks.Error(
                    f"{model._meta.label}.custom_fields_attr = {attr!r} does not name a JSONField.",
                    obj=model,
                    id="lowcode_customfields.E001",
                )
            )
    return errors


@checks.register(checks.Tags.database)
def check_custom_field_rows(app_configs=None, databases=None, **kwargs):
    """A later release may add a model column with a field's name, or drop an attribute a scope
    names. Runs with `manage.py check --database default` and commands that check databases;
    silent before `migrate` has created the table."""
    from apps.lowcode.customfields.models import CustomField
    from apps.lowcode.schema import rows_checkable

    errors = []
    for alias in databases or ["default"]:
        if not rows_checkable(alias, CustomField):
            continue
        for field in CustomField.objects.using(alias).select_related("document_type"):
            try:
                field.full_clean()
            except ValidationError as exc:
                problems = "; ".join(f"{key}: {' '.join(value)}" for key, value in exc.message_dict.items())
                label = f"{field.document_type.app_label}.{field.document_type.model}.{field.fieldname}"
                errors.append(
                    checks.Error(f"Custom field {label}: {problems}", obj=field, id="lowcode_customfields.E002")
                )
    return errors
