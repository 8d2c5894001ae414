"""Printing for applications: the print context provider and the default formats shipped as files.

The defaults in `print_formats/` are loaded at migrate without overwriting an administrator's edits.
"""

from __future__ import annotations

from pathlib import Path

from django.apps import apps
from django.db import connections
from django.db.models.signals import post_migrate

from apps.bj_enrollment.models import Application, Student, Transfer
from apps.bj_enrollment.print_context import SAMPLE, application_print_context
from apps.bj_enrollment.student_print_context import SAMPLE as STUDENT_SAMPLE
from apps.bj_enrollment.student_print_context import student_print_context
from apps.bj_enrollment.transfer_print_context import SAMPLE as TRANSFER_SAMPLE
from apps.bj_enrollment.transfer_print_context import transfer_print_context
from apps.lowcode.printing import loader, registry
from apps.lowcode.printing.models import PrintFormat

FORMATS_DIR = Path(__file__).resolve().parent / "print_formats"


def load_default_formats():
    return loader.load_directory(FORMATS_DIR)


def load_formats_after_migrate(sender, using="default", **kwargs) -> None:
    if using != "default" or PrintFormat._meta.db_table not in connections[using].introspection.table_names():
        return
    load_default_formats()


# generated_at changes every minute: the stored form keeps the time it was first rendered for its data
registry.register_context(Application, application_print_context, sample=SAMPLE, volatile=("generated_at",))
registry.register_context(Student, student_print_context, sample=STUDENT_SAMPLE, volatile=("generated_at",))  # R37
registry.register_context(Transfer, transfer_print_context, sample=TRANSFER_SAMPLE, volatile=("generated_at",))  # R39
post_migrate.connect(load_formats_after_migrate, sender=apps.get_app_config("bj_enrollment"),
                     dispatch_uid="bj-enrollment-print-formats")
