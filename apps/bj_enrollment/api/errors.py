"""One error shape for every refusal: HTTP 400/401/403/404/409/429 with
{"errors": {"<field or __all__>": [{"code": ..., "message": ...}]}} (messages in the request's language)."""

from __future__ import annotations

from django.core.exceptions import ValidationError


def body(exc: ValidationError | str, code: str = "invalid", field: str = "__all__") -> dict:
    if isinstance(exc, str):
        return {"errors": {field: [{"code": code, "message": exc}]}}
    if hasattr(exc, "error_dict"):
        return {
            "errors": {
                name: [{"code": e.code or "invalid", "message": m} for e in errors for m in e.messages]
                for name, errors in exc.error_dict.items()
            }
        }
    return {"errors": {field: [{"code": e.code or code, "message": m} for e in exc.error_list for m in e.messages]}}


def from_form(form) -> dict:
    return {
        "errors": {
            name: [{"code": e.get("code") or "invalid", "message": e["message"]} for e in errors]
            for name, errors in form.errors.get_json_data().items()
        }
    }
