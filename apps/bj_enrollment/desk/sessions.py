"""Staff sessions end after an idle time and after an absolute time (site configuration
`staff_session_idle_minutes`, `staff_session_max_hours`); parents' sessions keep their own rules."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.utils.translation import gettext as _

LOGIN_AT = "staff_login_at"
SEEN_AT = "staff_seen_at"
# Last activity is written at most this often, so that a page's many requests do not each save the session.
SEEN_RESOLUTION = 30


def start(request) -> None:
    """Called at staff log-in: both clocks start now."""
    now = int(time.time())
    request.session[LOGIN_AT] = now
    request.session[SEEN_AT] = now


def expired(session, now: int) -> bool:
    login_at, seen_at = session.get(LOGIN_AT), session.get(SEEN_AT)
    if login_at is None or seen_at is None:
        return False
    return (
        now - seen_at > settings.STAFF_SESSION_IDLE_MINUTES * 60
        or now - login_at > settings.STAFF_SESSION_MAX_HOURS * 3600
    )


class StaffSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if SESSION_KEY in request.session and request.user.is_staff:
            now = int(time.time())
            if expired(request.session, now):
                logout(request)
                messages.warning(request, _("Your session has ended; please log in again."))
            elif LOGIN_AT not in request.session:
                start(request)
            elif now - request.session[SEEN_AT] >= SEEN_RESOLUTION:
                request.session[SEEN_AT] = now
        return self.get_response(request)
