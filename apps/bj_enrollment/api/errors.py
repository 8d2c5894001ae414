"""One error shape for every refusal and failure of the API, in the site's language (Chinese):
HTTP 400/401/403/404/405/409/429/500 with {"errors": {"<field or __all__>": [{"code": ..., "message": ...}]}}.

The codes are declared in `error_codes`. `install(api)` answers what the API's own code raises
(Django's ValidationError, ninja's schema and HTTP errors, workflow refusals, any other exception);
`ApiErrorMiddleware` answers what never reaches the API's code: an unknown address, a method the
address does not take, a failure outside the view. A 500 carries a request id (the client's
`X-Request-ID`, or a new one), which the log line of the failure carries too.
"""

from __future__ import annotations

import logging
import re
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.utils import translation
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as SchemaError

from apps.bj_enrollment import error_codes
from apps.bj_enrollment.error_codes import ErrorCode
from apps.bj_enrollment.portal.limits import RateLimited
from apps.lowcode.workflow.errors import WorkflowError

logger = logging.getLogger(__name__)

PREFIX = "/api/"
ALL = "__all__"
BY_STATUS = {
    400: error_codes.MALFORMED_BODY,
    401: error_codes.UNAUTHORISED,
    403: error_codes.CSRF,
    404: error_codes.NOT_FOUND,
    405: error_codes.METHOD_NOT_ALLOWED,
    429: error_codes.RATE_LIMITED,
}
# what reaches the middleware without the API's code having answered: a 400 there is Django's (a
# host not allowed, a body too large), not a body the API failed to parse
OUTSIDE_BY_STATUS = {**BY_STATUS, 400: error_codes.BAD_REQUEST}
# pydantic's error types (ninja's schema errors) by the code they answer with
SCHEMA_TYPES = {"missing": error_codes.REQUIRED, "json_invalid": error_codes.MALFORMED_BODY}


def entry(code: ErrorCode | str, message) -> dict:
    return {"code": str(code), "message": str(message)}


def body(exc: ValidationError | str, code: ErrorCode | str = error_codes.INVALID, field: str = ALL) -> dict:
    if isinstance(exc, str):
        return {"errors": {field: [entry(code, exc)]}}
    if hasattr(exc, "error_dict"):
        return {
            "errors": {
                name: [entry(e.code or error_codes.INVALID, m) for e in errors for m in e.messages]
                for name, errors in exc.error_dict.items()
            }
        }
    return {"errors": {field: [entry(e.code or code, m) for e in exc.error_list for m in e.messages]}}


def from_form(form) -> dict:
    return {
        "errors": {
            name: [entry(e.get("code") or error_codes.INVALID, e["message"]) for e in errors]
            for name, errors in form.errors.get_json_data().items()
        }
    }


def of(code: ErrorCode, field: str = ALL, **params) -> dict:
    """The body of a declared code with its own message."""
    return {"errors": {field: [entry(code, code.message % params if params else code.message)]}}


def schema_body(exc: SchemaError) -> dict:
    """ninja's (pydantic's) English "Field required" and the like, as declared codes and messages."""
    fields: dict[str, list] = {}
    for item in exc.errors:
        loc = [str(part) for part in item.get("loc", ())]
        # ("body", "payload", "mobile") names a field; ("body", "payload") is the whole body.
        name = loc[-1] if len(loc) > 2 or (loc and loc[0] in ("query", "path")) else ALL
        code = SCHEMA_TYPES.get(item.get("type"), error_codes.INVALID)
        if name == ALL and code is error_codes.REQUIRED:
            code = error_codes.MALFORMED_BODY
        fields.setdefault(name, []).append(entry(code, code.message))
    return {"errors": fields}


def request_id(request) -> str:
    """The proxy's or client's X-Request-ID when it looks like one, else a new one; kept on the request."""
    if not getattr(request, "request_id", ""):
        given = request.headers.get("X-Request-ID", "")
        request.request_id = given if re.fullmatch(r"[A-Za-z0-9._-]{8,64}", given) else uuid.uuid4().hex
    return request.request_id


def server_error(request, exc: BaseException | None = None) -> JsonResponse:
    rid = request_id(request)
    logger.error(
        "API server error request_id=%s %s %s", rid, request.method, request.path, exc_info=exc if exc else False
    )
    return _json(request, of(error_codes.SERVER_ERROR, request_id=rid), 500)


def _json(request, data: dict, status: int) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["X-Request-ID"] = request_id(request)
    return response


def install(api) -> None:
    """Every exception the API's code can raise, answered in the one shape."""

    def respond(request, data, status):
        return api.create_response(request, data, status=status)

    @api.exception_handler(ValidationError)
    def _validation_error(request, exc):
        return respond(request, body(exc), 429 if isinstance(exc, RateLimited) else 400)

    @api.exception_handler(SchemaError)
    def _schema_error(request, exc):
        return respond(request, schema_body(exc), 400)

    @api.exception_handler(AuthenticationError)
    def _unauthorised(request, exc):
        return respond(request, of(error_codes.UNAUTHORISED), 401)

    @api.exception_handler(Throttled)
    def _throttled(request, exc):
        minutes = max(1, ((exc.wait or 60) + 59) // 60)
        return respond(request, of(error_codes.RATE_LIMITED, minutes=minutes), 429)

    @api.exception_handler(HttpError)
    def _http_error(request, exc):
        code = BY_STATUS.get(exc.status_code, error_codes.INVALID)
        return respond(request, of(code), exc.status_code)

    @api.exception_handler(Http404)
    def _not_found(request, exc):
        return respond(request, of(error_codes.NOT_FOUND), 404)

    @api.exception_handler(WorkflowError)
    def _workflow_error(request, exc):
        return respond(request, body(str(exc), code=error_codes.WORKFLOW), 409)

    @api.exception_handler(Exception)
    def _server_error(request, exc):
        return server_error(request, exc)


class ApiErrorMiddleware:
    """Under /api/: the site's language, and the error shape also for what never reached the API's
    code (Django's HTML 404 for an unknown address, ninja's bare 405, a 500 from elsewhere)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(PREFIX):
            return self.get_response(request)
        request_id(request)
        with translation.override(settings.LANGUAGE_CODE):
            response = self.get_response(request)
            if response.status_code >= 400 and not response.get("Content-Type", "").startswith("application/json"):
                if response.status_code >= 500:
                    return server_error(request)
                code = OUTSIDE_BY_STATUS.get(response.status_code, error_codes.INVALID)
                replaced = _json(request, of(code), response.status_code)
                if response.has_header("Allow"):
                    replaced["Allow"] = response["Allow"]
                return replaced
        response.setdefault("X-Request-ID", request.request_id)
        return response
