"""The Content-Security-Policy of every page: django-csp's middleware with the site-wide policy of
settings.CONTENT_SECURITY_POLICY, plus settings.CSP_DESK_DIRECTIVES on the desk, whose theme needs
them (the reasons are beside the settings)."""

from __future__ import annotations

import re

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings


def is_desk(path: str) -> bool:
    """`/desk/…` and its language-prefixed twin (`/en/desk/…`, from i18n_patterns)."""
    languages = "|".join(re.escape(code) for code, _name in settings.LANGUAGES)
    return re.match(rf"^/(?:(?:{languages})/)?desk/", path) is not None


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if is_desk(request.path_info):
            parts.update = {**settings.CSP_DESK_DIRECTIVES, **(parts.update or {})}
        return parts

    def process_response(self, request, response):
        # A PDF runs no page script; a policy on it only reached the browser's own viewer page (older
        # Chromium refused that page's inline styles and showed a sliver of the document).
        if response.get("Content-Type", "").startswith("application/pdf"):
            return response
        return super().process_response(request, response)
