"""Who the parent is: the one application tied to the logged-in account, never an id from the URL."""

from functools import wraps

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect

from apps.bj_enrollment.models import Application, CampaignWindow


def parent_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated or request.user.is_staff:
            return redirect("portal:login")
        return view(request, *args, **kwargs)

    return wrapper


def application_of(user) -> Application:
    """The account's own application (one per account): the portal's, the API's and the documents'
    one definition. 404 for an account without one. The campaign's windows come in one query: the
    status names every stage's window, each a query of its own otherwise (issue #17); they are one
    campaign's, so ordered by date alone (the model's order by campaign joins the campaigns)."""
    windows = Prefetch("campaign__windows", queryset=CampaignWindow.objects.order_by("opens_at"))
    try:
        return (
            Application.objects.select_related("campaign", "district", "school", "child")
            .prefetch_related(windows)
            .get(account=user)
        )
    except Application.DoesNotExist:
        raise Http404 from None


def parent_application(request) -> Application:
    return application_of(request.user)
