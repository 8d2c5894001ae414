"""The two limits on look-ups: distinct addresses per ID number (R34) and requests per network address."""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage

_ID_SALT = "bj_enrollment.zones.id_number"


def id_key(compact_id: str) -> str:
    """HMAC-SHA256 of the ID number under the site's SECRET_KEY: the look-up log never holds the number.

    Rotating the secret starts every ID's count afresh, which is acceptable for a yearly limit.
    """
    return salted_hmac(_ID_SALT, compact_id, algorithm="sha256").hexdigest()


class LookupLimitReached(Exception):
    def __init__(self, district, limit: int):
        self.district, self.limit = district, limit
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return _(
            "This ID number has already been used to look up %(limit)d addresses in %(district)s; "
            "no other address can be looked up. Addresses looked up before can be looked up again."
        ) % {"limit": self.limit, "district": self.district.name}


def charge(campaign, districts, key: str, address: str) -> dict[int, int | None]:
    """Record one look-up of `address` in each district, or nothing at all if one district refuses.

    A repeated address costs nothing. Returns the new addresses still allowed per district id (None:
    the campaign sets no limit).
    """
    with transaction.atomic():
        return {district.pk: _charge_one(campaign, district, key, address) for district in districts}


def _charge_one(campaign, district, key: str, address: str) -> int | None:
    from apps.bj_enrollment.models import ZoneLookup

    limit = campaign.zone_lookup_limit
    rows = ZoneLookup.objects.filter(campaign=campaign, district=district, id_key=key)
    for _attempt in range(5):
        seen = rows.filter(address=address).update(times=F("times") + 1, last_at=timezone.now())
        used = rows.count()
        if not seen:
            if limit and used >= limit:
                raise LookupLimitReached(district, limit)
            try:
                # No check-then-act: the unique (…, slot) index lets only one of two simultaneous
                # look-ups take the last slot; the other counts again and is refused.
                with transaction.atomic():
                    ZoneLookup.objects.create(
                        campaign=campaign, district=district, id_key=key, address=address, slot=used + 1
                    )
            except IntegrityError:
                continue
            used += 1
        return max(limit - used, 0) if limit else None
    raise LookupLimitReached(district, limit)


# Look-ups per network address; a site overrides it with "zone_lookup_per_ip" in portal_rate_limits.
DEFAULT_RATE = "30/m"


def lookup_rate() -> str:
    return getattr(settings, "PORTAL_RATE_LIMITS", {}).get("zone_lookup_per_ip", DEFAULT_RATE)


def within_rate(request) -> bool:
    """Count one look-up from the request's network address (django-ratelimit on the shared cache, like the portal).

    Behind a proxy, the deployer makes it set REMOTE_ADDR (e.g. nginx real_ip).
    """
    usage = get_usage(
        request,
        group="zones.lookup_per_ip",
        key=lambda _group, req: req.META.get("REMOTE_ADDR", ""),
        rate=lookup_rate(),
        increment=True,
    )
    return not (usage and usage["should_limit"])
