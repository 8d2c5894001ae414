"""Registers the saved reports' desk pages (apps/lowcode/reports/desk.py) with the desk."""

from apps.lowcode.reports import desk  # noqa: F401
