"""The junior-high family pages (/portal/junior/, 小升初 R37/R38): the student's registry data, the
family's confirmation ("signing") with an SMS code, the confirmation sheet and the report of what is
wrong. The family's session names one student and is kept apart from the primary parents' accounts
(no Django log-in); every page reads the student from it, never an id from the URL."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.bj_enrollment.choices import ConfirmationMethod, Level, StudentState
from apps.bj_enrollment.models import Student
from apps.bj_enrollment.portal import limits
from apps.bj_enrollment.portal.forms import captcha_field
from apps.bj_enrollment.portal.junior_forms import ConfirmForm, CorrectionForm, StudentLoginForm
from apps.bj_enrollment.portal.printing import family_form_page
from apps.bj_enrollment.rules.printing import can_print_sheet
from apps.bj_enrollment.services import junior_family as family
from apps.bj_enrollment.services import private_applications
from apps.bj_enrollment.services.transfers import transfer_status
from apps.lowcode.masking import mask_phone
from apps.lowcode.workflow import states
from apps.lowcode.workflow.errors import WorkflowError

SESSION_KEY = "junior_student"


def student_of_session(request) -> Student | None:
    pk = request.session.get(SESSION_KEY)
    if pk is None:
        return None
    student = (
        Student.objects.select_related("campaign", "graduating_school", "district", "school", "hukou_district")
        .filter(pk=pk, campaign__level=Level.JUNIOR, campaign__active=True)
        .exclude(state=StudentState.WITHDRAWN)
        .first()
    )
    if student is None:
        request.session.pop(SESSION_KEY, None)
    return student


def family_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        student = student_of_session(request)
        if student is None:
            return redirect("portal-junior:login")
        return view(request, student, *args, **kwargs)

    return wrapper


def login_view(request):
    education_id = request.POST.get("education_id", "")
    form = StudentLoginForm(request.POST or None)
    if family.login_failures(request, education_id) >= limits.LOGIN_CAPTCHA_AFTER:
        form.fields["captcha"] = captcha_field()
    if request.method == "POST" and form.is_valid():
        try:
            student = family.find_student(request, form.cleaned_data["education_id"], form.cleaned_data["name"])
        except ValidationError as exc:
            form.add_error(None, exc)
            failures = family.login_failures(request, education_id)
            if "captcha" not in form.fields and failures >= limits.LOGIN_CAPTCHA_AFTER:
                form.fields["captcha"] = captcha_field()  # for the next attempt
        else:
            request.session.cycle_key()  # a new session id at log-in
            request.session[SESSION_KEY] = student.pk
            return redirect("portal-junior:home")
    return render(request, "portal/junior/login.html", {"form": form})


@require_POST
def logout_view(request):
    request.session.pop(SESSION_KEY, None)
    request.session.cycle_key()
    return redirect("portal-junior:login")


def _page(request, student, template, **context):
    return render(request, template, {
        "student": student,
        "guardians": [(g, mask_phone(g.phone)) for g in student.guardians.all()],
        "state_label": states.parent_label(student),
        "hint": _(hint) if (hint := states.flag(student, "parent_hint")) else "",
        "awaiting": student.state == StudentState.AWAITING_CONFIRMATION,
        "can_print": can_print_sheet(student),
        "masked_mobile": mask_phone(student.mobile),
        **context,
    })


@family_required
def home(request, student):
    # the private-school page is offered exactly when its service would take an application (one gate)
    return _page(request, student, "portal/junior/home.html", transfer=transfer_status(student),
                 private_open=private_applications.may_apply(student))


def _send(request, student, purpose) -> None:
    try:
        family.send_student_code(request, student, purpose)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("The SMS code was sent to %(mobile)s.") % {"mobile": mask_phone(student.mobile)})


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@family_required
def confirm(request, student):
    """R37: the family signs the data it sees with the SMS code sent to the mobile on file."""
    sending = "send_code" in request.POST
    form = ConfirmForm(request.POST if request.method == "POST" and not sending else None)
    if sending:
        _send(request, student, family.CONFIRM)
    elif form.is_bound and form.is_valid():
        try:
            family.confirm(student, form.cleaned_data["sms_code"], ConfirmationMethod.PORTAL)
        except ValidationError as exc:
            _add_errors(form, exc)
        except WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The data is confirmed. You can print the confirmation sheet."))
            return redirect("portal-junior:home")
    return _page(request, student, "portal/junior/confirm.html", form=form)


@family_required
def correction(request, student):
    """R38: which items are wrong and what they should be; the graduating school corrects them."""
    sending = "send_code" in request.POST
    form = CorrectionForm(request.POST if request.method == "POST" and not sending else None)
    if sending:
        form = CorrectionForm(initial=request.POST.dict())  # keeps what the family typed
        _send(request, student, family.CORRECT)
    elif form.is_bound and form.is_valid():
        try:
            family.report_correction(
                student, form.cleaned_data["sms_code"], form.corrections(), form.cleaned_data["note"]
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        except WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The report was sent to the graduating school; confirm again after it "
                                        "corrects the data."))
            return redirect("portal-junior:home")
    return _page(request, student, "portal/junior/correction.html", form=form)


@family_required
def print_sheet(request, student):
    """The confirmation sheet (PDF) with signature lines, number and verification code."""
    return family_form_page(request, student, student.confirmation_number, "portal-junior:home")