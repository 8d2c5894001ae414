"""The family's private-school page (/portal/junior/private/, R43): the private junior highs, the
student's applications, and apply / change / withdraw, each with an SMS code sent to the mobile on
file. Every button goes through services/private_applications.py, which holds the window, the limit
and the code; the page only reports its refusals."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from apps.bj_enrollment.portal.junior import _page, family_required
from apps.bj_enrollment.services import private_applications as private
from apps.lowcode.masking import mask_phone


@family_required
def private_page(request, student):
    if request.method == "POST":
        op, code = request.POST.get("op", ""), request.POST.get("sms_code", "")
        school, application = request.POST.get("school", ""), request.POST.get("application", "")
        try:
            if op == "send_code":
                private.send_confirmation_code(request, student)
                messages.success(request, _("The SMS code was sent to %(mobile)s.") % {
                    "mobile": mask_phone(student.mobile)})
            elif op == "apply":
                private.apply(student, school, code)
                messages.success(request, _("Your application to the private school is saved."))
            elif op == "change":
                private.change(student, application, school, code)
                messages.success(request, _("Your application to the private school is saved."))
            elif op == "withdraw":
                private.withdraw(student, application, code)
                messages.success(request, _("Your application is withdrawn."))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        return redirect("portal-junior:private")
    window = student.campaign.window(private.Stage.PRIVATE_APPLICATION, student.district)
    return _page(
        request, student, "portal/junior/private.html",
        applications=student.private_applications.select_related("school").order_by("created_at"),
        schools=private.schools().select_related("district"),
        open=private.is_open(student),
        closes_at=window.closes_at if window else None,
        max_choices=private.max_choices(student.campaign),
    )
