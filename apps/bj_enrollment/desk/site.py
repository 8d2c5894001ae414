"""The desk's admin site: the staff log-in form (desk/login.py) and, when the second factor is on,
no desk page without a verified session; a user with no device is taken to enrolment."""

from __future__ import annotations

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.functional import SimpleLazyObject
from unfold.sites import UnfoldAdminSite

from apps.bj_enrollment.desk import navigation, second_factor, sessions
from apps.bj_enrollment.desk.login import StaffLoginForm


class DeskSite(UnfoldAdminSite):
    login_form = StaffLoginForm
    login_template = "desk/login.html"

    def has_permission(self, request):
        return super().has_permission(request) and second_factor.satisfied(request)

    def login(self, request, extra_context=None):
        response = super().login(request, extra_context)
        if request.method == "POST" and response.status_code == 302 and request.user.is_authenticated:
            sessions.start(request)
        if second_factor.needs_enrolment(request):
            target = reverse("admin:second_factor")
            next_url = request.POST.get("next") or request.GET.get("next")
            return redirect(f"{target}?{urlencode({'next': next_url})}" if next_url else target)
        return response

    def get_app_list(self, request, app_label=None):
        """Built when a page reads it (the index, an app's page): every page's context asks for it
        (`available_apps`), but the desk's sidebar is its own navigation (desk/navigation.py), and
        building it — a permission check and two URLs per model, sorted by translated name — was
        3 ms of every page."""
        return SimpleLazyObject(lambda: super(DeskSite, self).get_app_list(request, app_label))

    def get_sidebar_list(self, request):
        """The desk's navigation as built (desk/navigation.py), without Unfold's per-page deep copy
        and per-item URL parsing of a configured list."""
        return navigation.sidebar(request)

    def get_urls(self):
        return [path("second-factor/", second_factor.enrol_view, name="second_factor"), *super().get_urls()]
