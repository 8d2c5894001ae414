"""Registers the desk; the pages live in desk/."""

from apps.bj_enrollment.desk import application, campaign, lottery, reference, users, zones  # noqa: F401
