"""Schedules for the `scheduler` process (`manage.py rqcron apps.bj_enrollment.cron`)."""

from rq import cron

from apps.bj_enrollment import housekeeping

cron.register(housekeeping.clear_expired_sessions, queue_name="default", cron="17 3 * * *")
