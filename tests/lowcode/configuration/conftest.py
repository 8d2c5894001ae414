"""The journey after an import is the family's: the portal's fixtures (a registered, logged-in family)."""

from tests.bj_enrollment.portal.conftest import _fresh_counters, parent  # noqa: F401
