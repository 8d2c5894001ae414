"""Registers the desk; the pages live in desk/."""

from apps.bj_enrollment.desk import application, campaign, reference, users  # noqa: F401
