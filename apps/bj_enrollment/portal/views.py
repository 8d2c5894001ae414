"""Parent portal pages: thin views over portal/flows.py and services/; every refusal is a message on
the page, never an error page. A refused form keeps everything the parent typed."""

from __future__ import annotations

import time

from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.bj_enrollment.api import auth as api_auth
from apps.bj_enrollment.auth_backends import ACCOUNT_BACKEND
from apps.bj_enrollment.models import Campaign, Category, District
from apps.bj_enrollment.portal import flows, limits, progress, sms_codes
from apps.bj_enrollment.portal.details_forms import build_forms, save_draft, spread_errors
from apps.bj_enrollment.portal.forms import (
    CancelForm,
    LoginForm,
    NewPasswordForm,
    RegistrationForm,
    ResetPasswordForm,
    ResetRequestForm,
    SmsRequestForm,
    captcha_field,
)
from apps.bj_enrollment.portal.guide import calendar, eligibility_guide
from apps.bj_enrollment.portal.printing import family_form_page
from apps.bj_enrollment.portal.session import parent_application, parent_required
from apps.bj_enrollment.rules.categories import declarable
from apps.bj_enrollment.rules.printing import can_print
from apps.bj_enrollment.services import categories, details
from apps.lowcode.masking import mask_phone
from apps.lowcode.workflow.errors import WorkflowError

NOTICE_SECONDS = 10
SESSION_NOTICE = "portal_notice_shown_at"
SESSION_REGISTERED = "portal_registered"


def _add_errors(form, exc: ValidationError, field: str | None = None) -> None:
    """Put a service's errors next to the fields they name (the rest on top of the form)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(field, exc)


def _code_sent(request, mobile: str) -> None:
    messages.success(request, _("The SMS code was sent to %(mobile)s.") % {"mobile": mask_phone(mobile)})


def start(request):
    campaign = Campaign.current()
    districts = District.objects.order_by("sort_order", "code")
    guide = eligibility_guide(campaign) if campaign else []
    dates = calendar(campaign) if campaign else []
    return render(
        request, "portal/start.html", {"campaign": campaign, "districts": districts, "guide": guide, "dates": dates}
    )


def privacy(request):
    """The privacy policy the registration asks the family to accept (PIPL)."""
    return render(request, "portal/privacy.html")


def registration(request):
    campaign = Campaign.current()
    if campaign is None:
        return render(request, "portal/closed.html", {"message": _("No enrollment campaign is open.")})
    sending = "send_code" in request.POST
    form = RegistrationForm(request.POST or None, initial={"district": request.GET.get("district")})
    sms_form = SmsRequestForm(request.POST if sending else None)
    if request.method == "GET":
        request.session[SESSION_NOTICE] = time.time()
    elif sending:
        form.errors.clear()  # asking for a code is not submitting: only the code's own fields are checked
        if sms_form.is_valid():
            try:
                flows.send_code(request, sms_codes.REGISTER, sms_form.cleaned_data["mobile"], campaign)
            except ValidationError as exc:
                sms_form.add_error("mobile", exc)
            else:
                _code_sent(request, sms_form.cleaned_data["mobile"])
        sms_form = SmsRequestForm(initial=request.POST) if sms_form.is_valid() else sms_form
    elif form.is_valid():
        shown_at = request.session.get(SESSION_NOTICE)
        if shown_at is None or time.time() - shown_at < NOTICE_SECONDS:
            form.add_error(
                "notice_read", _("Please read the notice for at least %(s)d seconds.") % {"s": NOTICE_SECONDS}
            )
        else:
            try:
                application = flows.submit_registration(request, campaign, form.cleaned_data)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                request.session[SESSION_REGISTERED] = application.form_number
                return redirect("portal:registered")
    context = {"campaign": campaign, "form": form, "sms_form": sms_form, "notice_seconds": NOTICE_SECONDS}
    return render(request, "portal/register.html", context)


def registered(request):
    number = request.session.get(SESSION_REGISTERED)
    if not number:
        return redirect("portal:login")
    return render(request, "portal/registered.html", {"form_number": number})


def login_view(request):
    username = request.POST.get("username", "").strip()
    form = LoginForm(request.POST or None)
    if flows.login_failures(request, username) >= limits.LOGIN_CAPTCHA_AFTER:
        form.fields["captcha"] = captcha_field()
    if request.method == "POST" and form.is_valid():
        try:
            user = flows.authenticate_parent(request, username, form.cleaned_data["password"])
        except ValidationError as exc:
            form.add_error(None, exc)
            if "captcha" not in form.fields and flows.login_failures(request, username) >= limits.LOGIN_CAPTCHA_AFTER:
                form.fields["captcha"] = captcha_field()  # for the next attempt
        else:
            login(request, user, backend=ACCOUNT_BACKEND)
            return redirect("portal:home")
    return render(request, "portal/login.html", {"form": form})


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        api_auth.revoke(request.user)  # the app's tokens end with the session
    logout(request)
    return redirect("portal:login")


@parent_required
def home(request):
    application = parent_application(request)
    context = {
        "application": application,
        "steps": progress.steps(application),
        "state_label": progress.status_label(application),
        "next_step": progress.next_step(application),
        "windows": progress.upcoming_windows(application),
        "can_print": can_print(application),
        "result": progress.result(application),
        "entering_details": progress.entering_details(application),
    }
    return render(request, "portal/home.html", context)


def forgot_password(request):
    """R31: number or ID + registered mobile + image code → SMS code → new image code + new password.
    Both steps answer alike whether or not the number belongs to the mobile (portal/flows.py)."""
    sending = "send_code" in request.POST
    resetting = request.method == "POST" and not sending
    lookup = ResetRequestForm(request.POST if sending else None)
    form = ResetPasswordForm(request.POST if resetting else None)
    if sending and lookup.is_valid():
        try:
            flows.request_reset_code(request, lookup.cleaned_data["identifier"], lookup.cleaned_data["mobile"])
        except ValidationError as exc:
            lookup.add_error(None, exc)
        else:
            _code_sent(request, lookup.cleaned_data["mobile"])
    elif resetting and form.is_valid():
        data = form.cleaned_data
        try:
            flows.reset_password(
                request, data["identifier"], data["mobile"], data["sms_code"], data["password"], data["password2"]
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The password was changed; log in with the new one."))
            return redirect("portal:login")
    if resetting:
        lookup = form  # one form on the page: the number, mobile and image code fields are this step's too
    return render(request, "portal/forgot_password.html", {"lookup": lookup, "form": form})


def _send_own_code(request, application, purpose: str) -> None:
    try:
        flows.send_code(request, purpose, application.mobile, application.campaign)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        _code_sent(request, application.mobile)


@parent_required
def change_password(request):
    """R32: SMS code to the registered mobile and the new password twice."""
    application = parent_application(request)
    sending = "send_code" in request.POST
    form = NewPasswordForm(request.POST if request.method == "POST" and not sending else None)
    if sending:
        _send_own_code(request, application, sms_codes.CHANGE_PASSWORD)
    elif form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            flows.change_password(application, data["sms_code"], data["password"], data["password2"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            update_session_auth_hash(request, application.account)
            messages.success(request, _("The password was changed."))
            return redirect("portal:home")
    return render(request, "portal/change_password.html", {"form": form, "application": application})


@parent_required
def cancel_account(request):
    """R33: SMS code, then the form is void and the account closed; the child may register again."""
    application = parent_application(request)
    sending = "send_code" in request.POST
    form = CancelForm(request.POST if request.method == "POST" and not sending else None)
    if sending:
        _send_own_code(request, application, sms_codes.CANCEL)
    elif form.is_bound and form.is_valid():
        try:
            flows.cancel_account(application, request.user, form.cleaned_data["sms_code"])
        except ValidationError as exc:
            _add_errors(form, exc)
        except WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            logout(request)
            messages.success(
                request,
                _("Account %(number)s is cancelled. You may register the child again while registration is open.")
                % {"number": application.form_number},
            )
            return redirect("portal:start")
    return render(request, "portal/cancel.html", {"form": form, "application": application})


@parent_required
def details_view(request):
    """R15-R18 while editable; afterwards the same data read-only with the checks' results (R17)."""
    application = parent_application(request)
    try:
        details.check_editable(application)
        editable, why_not = True, ""
    except ValidationError as exc:
        editable, why_not = False, exc.messages[0]
    forms_ = build_forms(application, *((request.POST, request.FILES) if request.method == "POST" else ()))
    # A value in a wrong format anywhere (custom fields included) saves nothing, and says where.
    if request.method == "POST" and editable and all(f.is_valid() for f in forms_.values()):
        try:
            save_draft(application, forms_)
        except ValidationError as exc:  # moved on by the workflow since this page was read (R17)
            messages.error(request, exc.messages[0])
            return redirect("portal:details")
        if "submit" not in request.POST:
            messages.success(request, _("The draft was saved. You can come back and finish it later."))
            return redirect("portal:details")
        if forms_["custom"].is_valid():  # otherwise its messages stand next to the extra fields
            try:
                result = details.check(application)
            except ValidationError as exc:
                spread_errors(forms_, exc)
            else:  # R17: the family looks at what it entered and what the checks fetched, then confirms
                if result.pending:
                    messages.warning(request, details.CHECKS_PENDING)
                return redirect("portal:confirm_details")
    elif request.method == "POST" and not editable:
        messages.error(request, why_not)
    context = {
        "application": application,
        "forms": forms_,
        "editable": editable,
        "why_not": why_not,
        "can_withdraw": details.can_withdraw(application, request.user),
        "fetched": details.fetched(application),
        "claims": application.category_claims.select_related("category"),
        "declarable": declarable(Category.objects) if editable else [],
    }
    return render(request, "portal/details.html", context)


@parent_required
@require_POST
def declare_category(request):
    """R5: the family declares a category and its document number; the district verifies it."""
    try:
        categories.declare(
            parent_application(request), request.user, request.POST.get("category"), request.POST.get("document_number")
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The category was declared; the district will verify the document."))
    return redirect("portal:details")


@parent_required
def confirm_details(request):
    """R17: everything entered and what the registries returned, read-only; the family confirms
    (the details are submitted and the identity check starts) or goes back to edit."""
    application = parent_application(request)
    try:
        details.check_editable(application)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("portal:details")
    if request.method == "POST":
        try:
            pending = details.submit(application, request.user)
        except ValidationError as exc:  # the data or a registry changed since the family looked
            for message in exc.messages:
                messages.error(request, message)
            return redirect("portal:details")
        except WorkflowError as exc:
            messages.error(request, str(exc))
            return redirect("portal:details")
        if pending:
            messages.warning(request, details.CHECKS_PENDING)
        else:
            messages.success(request, _("The details were submitted; the identity check has started."))
        return redirect("portal:home")
    context = {
        "application": application,
        "forms": build_forms(application, None),
        "editable": False,
        "confirming": True,
        "fetched": details.fetched(application),
    }
    return render(request, "portal/details.html", context)


@parent_required
@require_POST
def withdraw_details(request):
    application = parent_application(request)
    try:
        details.withdraw(application, request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    except WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The details are open for editing again; submit them when done."))
    return redirect("portal:details")


@parent_required
def print_form(request):
    """R21/R22: the parent's own form as a PDF, reprintable at any time once allowed."""
    application = parent_application(request)
    return family_form_page(request, application, application.form_number, "portal:home")