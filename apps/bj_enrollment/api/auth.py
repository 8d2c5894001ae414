"""Bearer tokens for the mobile app: signed, expiring, and void once the password changes, the
account is cancelled (the token carries a hash of the password hash, as Django's reset tokens do)
or the parent logs out (the hash also covers the account's token generation, which log-out moves on)."""

from __future__ import annotations

import hashlib

from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.db.models import F
from ninja.security import HttpBearer, django_auth

from apps.bj_enrollment.models import ApiTokenGeneration

SALT = "bj_enrollment.api.token"
MAX_AGE = 12 * 3600


def _generation(user) -> int:
    return ApiTokenGeneration.objects.filter(user=user).values_list("generation", flat=True).first() or 0


def _fingerprint(user) -> str:
    material = f"{user.pk}:{user.password}:{user.is_active}:{_generation(user)}"
    return hashlib.sha256(material.encode()).hexdigest()[:16]


@transaction.atomic
def revoke(user) -> None:
    """Void every token issued to the account so far (at log-out, from the portal or the API)."""
    ApiTokenGeneration.objects.get_or_create(user=user)
    ApiTokenGeneration.objects.filter(user=user).update(generation=F("generation") + 1)


def issue(user) -> str:
    return signing.dumps({"u": user.pk, "f": _fingerprint(user)}, salt=SALT, compress=True)


def user_for(token: str):
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    user = get_user_model().objects.filter(pk=data.get("u"), is_active=True, is_staff=False).first()
    if user is None or _fingerprint(user) != data.get("f"):
        return None
    return user


class ParentToken(HttpBearer):
    def authenticate(self, request, token):
        user = user_for(token)
        if user is not None:
            request.user = user
        return user


def parent_session(request):
    """Session authentication (the portal's cookie, with CSRF) for parents only. A request that
    carries a token is answered by the token alone: a refused token is a 401, never a CSRF 403
    because the app also happens to hold a session cookie."""
    if request.headers.get("Authorization"):
        return None
    user = django_auth(request)
    return user if user and not user.is_staff else None


PARENT_AUTH = [ParentToken(), parent_session]
