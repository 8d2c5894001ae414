"""The API's rate limit (`api_per_ip` of portal/limits.py): per account once authenticated, else per
address (REMOTE_ADDR, as every limit of the site: a client-sent X-Forwarded-For is no address).

One counter per window in the cache, as the portal's other limits, instead of ninja's throttles,
which read and wrote the list of every request's time in the window at each request (up to 600
pickled floats per account and per address, issue #17)."""

from __future__ import annotations

from ninja.throttling import BaseThrottle

from apps.bj_enrollment.portal import limits


class ApiThrottle(BaseThrottle):
    def allow_request(self, request) -> bool:
        user = getattr(request, "auth", None)
        who = f"account:{user.pk}" if user is not None else f"address:{limits.client_ip(request)}"
        self.usage = limits.usage(request, "api_per_ip", who, increment=True)
        return not (self.usage and self.usage["should_limit"])

    def wait(self) -> float | None:
        return self.usage["time_left"] if self.usage else None
