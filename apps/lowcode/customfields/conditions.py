"""Shown-when and required-when of custom fields (Frappe's depends_on / mandatory_depends_on),
evaluated by the workflow's safe evaluator: never `eval`, names limited to the document's own
columns and the DocType's custom fields, checked when the definition is saved."""

from __future__ import annotations

import logging

from django.contrib.contenttypes.models import ContentType

from apps.lowcode.workflow import conditions

logger = logging.getLogger(__name__)


def _custom_names(model) -> frozenset[str]:
    from apps.lowcode.customfields.models import CustomField

    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    return frozenset(CustomField.objects.filter(document_type=content_type).values_list("fieldname", flat=True))


def condition_problem(expression: str, model, field=None) -> str | None:
    """Why `expression` cannot be a condition of a field of `model`, or None."""
    names = _custom_names(model) | ({field.fieldname} if field is not None and field.fieldname else set())
    return conditions.problem(expression, model, extra_names=frozenset(names))


class _Names(dict):
    """Columns and values up front; derived attributes (`workflow_condition_attributes`, which may
    query) only when a condition reads them."""

    def __init__(self, document, values: dict):
        super().__init__(
            {field.attname: getattr(document, field.attname, None) for field in type(document)._meta.concrete_fields}
        )
        self.update(values)
        self.document = document

    def get(self, key, default=None):
        if key in self:
            return self[key]
        if key in getattr(type(self.document), "workflow_condition_attributes", ()):
            try:
                self[key] = getattr(self.document, key)
            except Exception:  # a derived attribute of an unsaved document: the condition sees None
                self[key] = None
            return self[key]
        return default


def condition_names(document, values: dict) -> dict:
    """The names a condition may read: the document's columns (foreign keys by `_id`), then the custom
    values being saved over those stored."""
    return _Names(document, values)


def holds(expression: str, names: dict) -> bool:
    """Empty holds; an expression that fails (comparing an empty value, say) counts as not met."""
    if not expression.strip():
        return True
    try:
        return conditions.evaluate(expression, names)
    except Exception:  # an administrator's expression must never break the page that asks
        logger.warning("custom field condition %r failed", expression, exc_info=True)
        return False
