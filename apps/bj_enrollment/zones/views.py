"""The public look-up page (/zones/) and the JSON API (/api/v1/zones/lookup): thin shells over the service."""

from __future__ import annotations

import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from apps.bj_enrollment.zones.forms import ZoneLookupForm
from apps.bj_enrollment.zones.limits import within_rate
from apps.bj_enrollment.zones.service import LookupClosed, LookupLimitReached, LookupResult, look_up_zone

DEFAULT_RATE = (30, 60)  # look-ups per network address and window in seconds; settings.ZONE_LOOKUP_RATE overrides


def _client(request) -> str:
    """The network address. Behind a proxy, the deployer makes it set REMOTE_ADDR (e.g. nginx real_ip)."""
    return request.META.get("REMOTE_ADDR", "")


def _answer(request, data) -> tuple[int, ZoneLookupForm, LookupResult | None, dict[str, list[str]]]:
    """Rate limit, form, service: (HTTP status, bound form, result, errors by field)."""
    form = ZoneLookupForm(data)
    limit, window = getattr(settings, "ZONE_LOOKUP_RATE", DEFAULT_RATE)
    if not within_rate("zones", _client(request), limit, window):
        return 429, form, None, {"__all__": [_("Too many look-ups from this network. Please try again in a minute.")]}
    if not form.is_valid():
        return 400, form, None, {name: list(messages) for name, messages in form.errors.items()}
    try:
        result = look_up_zone(
            form.cleaned_data["id_number"],
            form.cleaned_data["address"],
            form.cleaned_data["property_certificate_date"],
        )
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
        return 400, form, None, exc.message_dict
    except LookupLimitReached as exc:
        form.add_error("id_number", exc.message)
        return 429, form, None, {"id_number": [exc.message]}
    except LookupClosed as exc:
        form.add_error(None, exc.message)
        return 400, form, None, {"__all__": [exc.message]}
    return 200, form, result, {}


@require_http_methods(["GET", "POST"])
def lookup_page(request):
    if request.method == "GET":
        return render(request, "zones/lookup.html", {"form": ZoneLookupForm()})
    status, form, result, errors = _answer(request, request.POST)
    rate_error = errors.get("__all__") if status == 429 else None
    context = {"form": form, "result": result, "rate_error": rate_error}
    return render(request, "zones/lookup.html", context, status=status)


@csrf_exempt  # no session or cookie is involved: nothing for a forged request to ride on
@require_POST
def lookup_api(request):
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            data = None
        if not isinstance(data, dict):
            return _errors(400, {"__all__": [_("The request body is not a JSON object.")]})
        data = {key: "" if value is None else str(value) for key, value in data.items()}
    else:
        data = request.POST
    status, _form, result, errors = _answer(request, data)
    if result is None:
        return _errors(status, errors)
    return JsonResponse(result.as_dict(), json_dumps_params={"ensure_ascii": False})


def _errors(status: int, errors: dict) -> JsonResponse:
    body = {"errors": {name: [str(m) for m in messages] for name, messages in errors.items()}}
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
