"""The administrators' custom fields in the parent API: their keys in the details (`cf_…` for the
application, `child-cf_…`, `g1-cf_…`, `g2-cf_…`, `property-cf_…` for its rows, as in the portal's
form), their JSON schema in the OpenAPI document (read from the definitions at each request, so a
field added in the desk is documented at once), and the row an uploaded file belongs to."""

from __future__ import annotations

from django.http import Http404
from ninja import NinjaAPI

from apps.bj_enrollment.models import Application, Child, Guardian, Property
from apps.lowcode.customfields.models import CustomField, FieldType
from apps.lowcode.customfields.values import fields_for_model

PREFIX = "cf_"
# form prefix in the details -> DocType whose custom fields that form carries
ROWS = {"": Application, "child": Child, "g1": Guardian, "g2": Guardian, "property": Property}
SIMPLE_SCHEMAS = {
    FieldType.TEXT: {"type": "string"},
    FieldType.NUMBER: {"type": "number"},
    FieldType.DATE: {"type": "string", "format": "date"},
    FieldType.CHECKBOX: {"type": "boolean"},
    FieldType.PHONE: {"type": "string", "pattern": "^1[3-9][0-9]{9}$"},
    FieldType.ID_NUMBER: {"type": "string", "pattern": "^[0-9]{17}[0-9X]$"},
}
ATTACHMENT_SCHEMA = {
    "type": "object",
    "properties": {"name": {"type": "string"}, "path": {"type": "string"}, "size": {"type": "integer"}},
    "description": "A file: upload it with POST /application/details/files; sending the stored value back "
    'keeps it, "__clear__" removes it.',
}


def key_of(prefix: str, fieldname: str) -> str:
    return f"{prefix}-{PREFIX}{fieldname}" if prefix else f"{PREFIX}{fieldname}"


def field_schema(field: CustomField) -> dict:
    if field.field_type == FieldType.SELECT:
        schema = {"type": "string", "enum": field.option_list}
    elif field.field_type == FieldType.ATTACHMENT:
        schema = dict(ATTACHMENT_SCHEMA)
    elif field.field_type == FieldType.TABLE:
        columns = field.column_fields()
        schema = {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {column.fieldname: {**_simple(column), "title": column.label} for column in columns},
                "required": [column.fieldname for column in columns if column.required],
                "additionalProperties": False,
            },
        }
    else:
        schema = _simple(field)
    schema = {**schema, "title": field.label}
    if field.help_text:
        schema["description"] = f"{schema.get('description', '')} {field.help_text}".strip()
    if field.pattern:
        schema["pattern"] = field.pattern
    schema["x-required"] = field.required
    if field.depends_on:
        schema["x-shown-when"] = field.depends_on
    if field.mandatory_depends_on:
        schema["x-required-when"] = field.mandatory_depends_on
    if field.section:
        schema["x-section"] = field.section
    return schema


def _simple(field: CustomField) -> dict:
    if field.field_type == FieldType.SELECT:
        return {"type": "string", "enum": field.option_list}
    return dict(SIMPLE_SCHEMAS.get(field.field_type, {"type": "string"}))


def details_values_schema() -> dict:
    properties = {}
    for prefix, model in ROWS.items():
        for field in fields_for_model(model, "portal"):
            properties[key_of(prefix, field.fieldname)] = field_schema(field)
    return {
        "type": "object",
        "title": "DetailsValues",
        "description": "The details by the portal form's field names; the custom fields the city's administrators "
        "defined are listed with their types (x-shown-when / x-required-when: their conditions).",
        "properties": properties,
        "additionalProperties": True,
    }


class CustomFieldsAPI(NinjaAPI):
    """Adds `DetailsValues` (with every custom field) to the OpenAPI document and points the details'
    `values` and the draft's body at it."""

    def get_openapi_schema(self, **kwargs):
        schema = super().get_openapi_schema(**kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["DetailsValues"] = details_values_schema()
        ref = {"$ref": "#/components/schemas/DetailsValues"}
        if "DetailsOut" in components:
            components["DetailsOut"].setdefault("properties", {})["values"] = ref
        for path, operations in schema.get("paths", {}).items():
            if path.endswith("/application/details") and "put" in operations:
                content = operations["put"].get("requestBody", {}).get("content", {})
                if "application/json" in content:
                    content["application/json"]["schema"] = ref
        return schema


def document_for(application: Application, key: str):
    """The row and field name a details key (`g1-cf_photo`) names; 404 for anything else."""
    prefix, _sep, name = key.rpartition("-")
    if prefix not in ROWS or not name.startswith(PREFIX):
        raise Http404
    if prefix == "":
        document = application
    elif prefix == "child":
        document = application.child
    elif prefix == "property":
        document = application.properties.first()
    else:
        document = application.guardians.filter(position=int(prefix[1])).first()
    if document is None:
        raise Http404
    return document, name.removeprefix(PREFIX)
