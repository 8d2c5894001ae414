"""The family's preference page (/portal/junior/preferences/, 志愿 R41): the schools the student may
list, the draft ranked with buttons (add, up, down, remove: plain form posts that work on a phone
without script or drag), and confirmation with an SMS code. Every button saves through
services/preferences.py, which holds the window and the limits; the page only reports its refusals."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from apps.bj_enrollment.choices import ConfirmationMethod
from apps.bj_enrollment.portal.forms import CodeForm
from apps.bj_enrollment.portal.junior import _page, family_required
from apps.bj_enrollment.services import preferences
from apps.lowcode.masking import mask_phone

CHANCES_URL = "/chances/"  # R42: the high-school chances of each junior high, to read while choosing


def _moved(codes: list[str], op: str) -> list[str]:
    """The draft after one button: add:CODE, up:CODE, down:CODE or remove:CODE."""
    action, _sep, code = op.partition(":")
    codes = list(codes)
    if action == "add" and code not in codes:
        codes.append(code)
    elif action == "remove" and code in codes:
        codes.remove(code)
    elif action in ("up", "down") and code in codes:
        i = codes.index(code)
        j = i - 1 if action == "up" else i + 1
        if 0 <= j < len(codes):
            codes[i], codes[j] = codes[j], codes[i]
    return codes


def _refused(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@family_required
def preferences_page(request, student):
    try:
        lists = preferences.lists(student)
    except ValidationError as exc:
        return _page(request, student, "portal/junior/preferences.html", unavailable=exc.messages[0],
                     chances_url=CHANCES_URL)
    form = CodeForm()
    if request.method == "POST":
        op = request.POST.get("op", "")
        try:
            if op == "send_code":
                preferences.send_confirmation_code(request, student)
                messages.success(request, _("The SMS code was sent to %(mobile)s.") % {
                    "mobile": mask_phone(student.mobile)})
            elif op == "confirm":
                form = CodeForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(form.errors["sms_code"])
                preferences.confirm(student, form.cleaned_data["sms_code"], ConfirmationMethod.PORTAL)
                messages.success(request, _("Your preferences are confirmed; this list takes part in the lottery."))
            else:
                preferences.save_draft(student, _moved([s.code for s in lists.draft], op))
        except ValidationError as exc:
            _refused(request, exc)
        return redirect("portal-junior:preferences")
    listed = {s.pk for s in lists.draft}
    return _page(
        request, student, "portal/junior/preferences.html",
        lists=lists,
        draft=list(enumerate(lists.draft, 1)),
        addable=[s for s in lists.allowed if s.pk not in listed],
        full=len(lists.draft) >= lists.setting.max_choices,
        form=form,
        chances_url=CHANCES_URL,
    )
