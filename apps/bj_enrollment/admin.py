"""Registers the desk; the pages live in desk/."""

from apps.bj_enrollment.desk import (  # noqa: F401
    application,
    campaign,
    category_claims,
    disclosure,
    high_school_entries,
    lottery,
    preferences,
    private_applications,
    reference,
    registry_export,
    roles,
    student,
    transfer,
    users,
    zones,
)
from apps.lowcode import queue_desk  # noqa: F401  (the job dashboard, superusers only)
