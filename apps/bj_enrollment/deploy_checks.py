"""Deployment checks (`manage.py check --deploy`): production settings that must refuse to start."""

from __future__ import annotations

import math
from collections import Counter

from django.conf import settings
from django.core import checks

MIN_SECRET_LENGTH = 50
MIN_SECRET_BITS = 200  # Shannon estimate over the key's own characters; token_urlsafe(50) gives ~380


def _estimated_bits(secret: str) -> float:
    counts = Counter(secret)
    return -sum(n * math.log2(n / len(secret)) for n in counts.values())


def weak_secret(secret: str) -> bool:
    return (
        secret.startswith("django-insecure")
        or len(secret) < MIN_SECRET_LENGTH
        or _estimated_bits(secret) < MIN_SECRET_BITS
    )


@checks.register(checks.Tags.security, deploy=True)
def production_settings(app_configs=None, **kwargs):
    errors = []
    if settings.DEBUG and not settings.EMBEDDED:
        errors.append(
            checks.Error(
                "Developer mode (DEBUG) is on for a site with a database server.",
                hint="Set debug to false in the site config (BJ_DEBUG=false).",
                id="bj_enrollment.E101",
            )
        )
    if weak_secret(settings.SECRET_KEY):
        errors.append(
            checks.Error(
                "The secret key is weak (short, repetitive or Django's insecure default).",
                hint="Generate a new site (python -m config.sites new <site>) or set a random 50+ character key.",
                id="bj_enrollment.E102",
            )
        )
    if not settings.DEBUG and not settings.STAFF_2FA:
        errors.append(
            checks.Error(
                "Staff log-in has no second factor.",
                hint="Set staff_2fa to true in the site config (BJ_STAFF_2FA=true).",
                id="bj_enrollment.E103",
            )
        )
    return errors
