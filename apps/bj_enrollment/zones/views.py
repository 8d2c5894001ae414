"""The public look-up page (/zones/) and the JSON API (/api/v1/zones/lookup): thin shells over the service.

The API answers errors in the shape of the rest of API v1 (apps/bj_enrollment/api/errors.py).
"""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from apps.bj_enrollment import error_codes
from apps.bj_enrollment.api import errors as api_errors
from apps.bj_enrollment.zones.forms import ZoneLookupForm
from apps.bj_enrollment.zones.limits import within_rate
from apps.bj_enrollment.zones.service import LookupClosed, LookupLimitReached, LookupResult, look_up_zone


def _answer(request, data) -> tuple[int, ZoneLookupForm, LookupResult | None, dict]:
    """Rate limit, form, service: (HTTP status, bound form, result, API error body)."""
    form = ZoneLookupForm(data)
    if not within_rate(request):
        message = _("Too many look-ups from this network. Please try again in a minute.")
        form.add_error(None, message)
        return 429, form, None, api_errors.body(message, code=error_codes.RATE_LIMITED)
    if not form.is_valid():
        return 400, form, None, api_errors.from_form(form)
    try:
        result = look_up_zone(
            form.cleaned_data["id_number"],
            form.cleaned_data["address"],
            form.cleaned_data["property_certificate_date"],
        )
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
        return 400, form, None, api_errors.body(exc)
    except LookupLimitReached as exc:
        form.add_error("id_number", exc.message)
        return 429, form, None, api_errors.body(exc.message, code=error_codes.LOOKUP_LIMIT, field="id_number")
    except LookupClosed as exc:
        form.add_error(None, exc.message)
        return 400, form, None, api_errors.body(exc.message, code=error_codes.LOOKUP_CLOSED)
    return 200, form, result, {}


@require_http_methods(["GET", "POST"])
def lookup_page(request):
    if request.method == "GET":
        return render(request, "zones/lookup.html", {"form": ZoneLookupForm()})
    status, form, result, _errors = _answer(request, request.POST)
    return render(request, "zones/lookup.html", {"form": form, "result": result}, status=status)


@csrf_exempt  # no session or cookie is involved: nothing for a forged request to ride on
@require_POST
def lookup_api(request):
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            data = None
        if not isinstance(data, dict):
            return _json(api_errors.of(error_codes.MALFORMED_BODY), 400)
        data = {key: "" if value is None else str(value) for key, value in data.items()}
    else:
        data = request.POST
    status, _form, result, errors = _answer(request, data)
    return _json(errors, status) if result is None else _json(result.as_dict(), 200)


def _json(body: dict, status: int) -> JsonResponse:
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
