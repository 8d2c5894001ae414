"""The journey after an import is the family's: the portal's fixtures (fresh rate-limit counters, the
SMS adapter's local backend, the registry simulator)."""

from tests.bj_enrollment.portal.conftest import _fresh_counters  # noqa: F401
