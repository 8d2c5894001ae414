"""Periodic jobs that keep a site tidy; run by the scheduler, callable by hand."""

from django.core.management import call_command


def clear_expired_sessions() -> None:
    call_command("clearsessions")
