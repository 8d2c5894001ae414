"""The graduates' spreadsheet import in the worker (R37, #15): a city's file holds 150,000 graduates,
minutes of work and too much memory for a desk request.

`start` stores the upload in the private storage (no URL serves it), records a GraduateImport of
source "file" and queues `run` through the outbox: only the row's id travels. `run` copies the file to
a local temporary file outside any transaction (the storage may be remote), then imports it with
imports/students.import_students reading it as a stream (dataimport.SpreadsheetRows), the requester's
scope applied again: every row is checked in a first pass (the page counts the rows checked), then all
are written in one transaction, or none when a row is bad (the row lists them by line). The upload is
deleted once the import is done, refused or given up. The progress page and its scope are the registry
import's (graduate_import_jobs.visible).
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import uuid
from pathlib import Path, PurePath

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from apps.bj_enrollment.imports import students as students_import
from apps.lowcode import jobs
from apps.lowcode.dataimport import SpreadsheetRows

QUEUE = "long"  # a city's 150,000 rows take minutes; the writing pass is one transaction (no heartbeat seen)
FOLDER = "imports"
LEASE = dt.timedelta(minutes=10)  # between two chunks of 2,000 rows, and for the writing pass


def start(user, upload, campaign):
    """Store the upload and record the import; queued once the caller's transaction commits."""
    from apps.bj_enrollment.models import GraduateImport
    from apps.bj_enrollment.scope import scope_of

    suffix = PurePath(upload.name).suffix.lower()  # .xlsx or .csv, checked by the form
    name = default_storage.save(f"{FOLDER}/{uuid.uuid4().hex}{suffix}", upload)  # before the transaction
    scope = scope_of(user)
    try:
        with transaction.atomic():
            row = GraduateImport.objects.create(
                source=GraduateImport.Source.FILE, file=name, file_name=PurePath(upload.name).name[:200],
                campaign=campaign, district_id=scope.district_id, school_id=scope.school_id, requested_by=user,
            )
            jobs.enqueue(run, row.pk, queue=QUEUE)
    except BaseException:
        default_storage.delete(name)
        raise
    return row


def run(import_id: int) -> str:
    """The worker's job; returns the row's final state."""
    from apps.bj_enrollment.models import GraduateImport

    row = GraduateImport.objects.select_related("campaign", "requested_by").get(pk=import_id)
    if not row.working:
        return row.state  # delivered twice: it ran already
    State = GraduateImport.State
    rows = GraduateImport.objects.filter(pk=row.pk)

    def progress(phase: str, done: int) -> None:
        total = max(done, table.size) if phase == "checking" else done  # counted once checked
        rows.update(state=State.CHECKING if phase == "checking" else State.WRITING, rows_done=done, rows_total=total)
        jobs.heartbeat(LEASE)

    with tempfile.TemporaryDirectory() as folder:
        local = Path(folder, "upload" + PurePath(row.file).suffix)
        with default_storage.open(row.file, "rb") as source, local.open("wb") as copy:
            shutil.copyfileobj(source, copy, 1 << 20)
        rows.update(state=State.CHECKING, rows_done=0, rows_total=0, error="")
        table = SpreadsheetRows(local, students_import.COLUMNS, students_import.REQUIRED)
        try:
            result = students_import.import_students(table, user=row.requested_by, campaign=row.campaign,
                                                     progress=progress)
        except ValidationError as exc:  # the file as a whole: not a spreadsheet, unknown or missing columns
            result = students_import.StudentImportResult(errors=[students_import.RowError(1, m)
                                                                 for m in exc.messages])
    rows.update(
        state=State.DONE if result.ok else State.REFUSED,
        created=result.created, updated=result.updated, unchanged=result.unchanged,
        conflicts=[[c.row, str(c.message)] for c in result.conflicts],
        errors=[[e.row, str(e.message)] for e in result.errors], errors_left_off=result.errors_left_off,
        error="", finished_at=timezone.now(), file="",
    )
    default_storage.delete(row.file)  # graduates' ID numbers and phones: not kept once imported
    return State.DONE if result.ok else State.REFUSED


@jobs.when_dead(run)
def _given_up(job) -> None:
    from apps.bj_enrollment.models import GraduateImport

    row = GraduateImport.objects.filter(pk=job.args[0], state__in=GraduateImport.WORKING).first()
    if row is None:
        return
    GraduateImport.objects.filter(pk=row.pk).update(
        state=GraduateImport.State.FAILED, error=job.last_error[:2000], finished_at=timezone.now(), file="",
    )
    if row.file:
        default_storage.delete(row.file)
