"""Schedules for the `scheduler` process (`manage.py rqcron apps.bj_enrollment.cron`)."""

from rq import cron

from apps.bj_enrollment import housekeeping
from apps.bj_enrollment.registries import checks
from apps.bj_enrollment.services import reminders
from apps.lowcode import export_jobs, jobs
from apps.lowcode.messaging import sending
from apps.lowcode.workflow import bulk

# Re-drives every job that a Redis or worker failure dropped (apps/lowcode/jobs.py).
cron.register(jobs.sweep, queue_name="default", cron="* * * * *")
cron.register(sending.requeue_stuck, queue_name="default", cron="*/10 * * * *")
cron.register(bulk.requeue_stuck, queue_name="default", cron="*/10 * * * *")
cron.register(housekeeping.clear_expired_sessions, queue_name="default", cron="17 3 * * *")
cron.register(export_jobs.purge_expired, queue_name="default", cron="23 * * * *")  # desk exports after 24 h
cron.register(checks.requeue_stale_identity_checks, queue_name="default", cron="*/30 * * * *")
cron.register(reminders.remind_school_check, queue_name="default", cron="30 8 * * *")
