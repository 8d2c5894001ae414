"""Schedules for the `scheduler` process (`manage.py rqcron apps.bj_enrollment.cron`)."""

from rq import cron

from apps.bj_enrollment import housekeeping
from apps.bj_enrollment.registries import checks

cron.register(housekeeping.clear_expired_sessions, queue_name="default", cron="17 3 * * *")
cron.register(checks.requeue_stale_identity_checks, queue_name="default", cron="*/30 * * * *")
