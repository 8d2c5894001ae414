"""Large exports written by a worker: the request records what to export and answers with a progress page.

`start(user, queryset, ...)` saves an `ExportFile` with the user's filtered queryset and queues
`run` on the "long" queue. The worker reads the rows in key-ordered chunks (bounded memory), writes CSV
or an openpyxl write-only workbook to a temporary file, counts its progress on the row and stores the
file with Django's storage API. Only the owner downloads it, until it expires (`purge_expired`).

Nothing in the job's arguments but the row's key; what it exports is on the row:
`columns` is the import path of `f(model, **params) -> [(header, getter)]`, a getter being an
attribute path ("child.name") or a callable; `scope` the import path of `f(queryset, user)`, applied
again in the worker so the file never holds a row the owner could not see when it was written.
Every cell goes through `export_cells.safe_row` (formula injection).
"""

from __future__ import annotations

import contextvars
import csv
import datetime as dt
import pickle
import tempfile
from collections.abc import Iterable
from pathlib import Path

from django.apps import apps
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from apps.lowcode import jobs
from apps.lowcode.export_cells import safe_row
from apps.lowcode.models import ExportFile

KEEP = dt.timedelta(hours=24)
CHUNK = 2000  # rows per database round trip, and between two progress updates
FOLDER = "exports"
QUEUE = "long"
CONTENT_TYPES = {
    ExportFile.Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ExportFile.Format.CSV: "text/csv; charset=utf-8",
}


def start(user, queryset, *, title: str, columns: str, file_format: str = ExportFile.Format.XLSX,
          params: dict | None = None, scope: str | None = None) -> ExportFile:
    """Record the export and queue it once the caller's transaction commits."""
    import_string(columns)  # a wrong path fails here, in front of the user, not in the worker
    if scope:
        import_string(scope)
    with transaction.atomic():
        export = ExportFile.objects.create(
            owner=user, title=title[:200], file_format=file_format, query=pickle.dumps(queryset.query),
            spec={"model": queryset.model._meta.label, "columns": columns, "params": params or {}, "scope": scope},
        )
        jobs.enqueue(run, export.key, queue=QUEUE)
    return export


_labels: contextvars.ContextVar[dict | None] = contextvars.ContextVar("export_labels", default=None)


def by_value(path: str, getter):
    """A column that depends only on the attribute at `path` (a choice's or a state's label): within
    one export it is computed once per distinct value, not once per row (a label lookup per row was
    most of an export's time)."""

    def value(obj):
        memo = _labels.get()
        if memo is None:
            return getter(obj)
        key = (id(value), _attribute(obj, path))
        if key not in memo:
            memo[key] = getter(obj)
        return memo[key]

    return value


def _attribute(obj, path: str):
    for part in path.split("."):
        obj = getattr(obj, part, None) if obj is not None else None
    return obj


def cell_value(obj, getter):
    """A getter's value as a spreadsheet cell: numbers and dates kept, aware times in local time."""
    value = getter(obj) if callable(getter) else _attribute(obj, getter)
    if value is None:
        return ""
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        value = timezone.localtime(value).replace(tzinfo=None)
    return value if isinstance(value, int | float) or hasattr(value, "isoformat") else str(value)


def queryset_of(export: ExportFile):
    """The owner's queryset as it was asked for, narrowed again to the owner's scope of today."""
    model = apps.get_model(export.spec["model"])
    queryset = model._default_manager.all()
    queryset.query = pickle.loads(export.query)  # noqa: S301 - written by `start`, never by a user
    if export.spec.get("scope"):
        queryset = import_string(export.spec["scope"])(queryset, export.owner)
    return queryset


def run(key: str) -> int:
    """The worker's job: write the file, counting progress on the row; returns the rows written."""
    export = ExportFile.objects.select_related("owner").get(key=key)
    if export.state == ExportFile.State.DONE:
        return export.rows_done
    queryset = queryset_of(export)
    model = queryset.model
    columns = import_string(export.spec["columns"])(model, **export.spec.get("params", {}))
    total = queryset.count()
    ExportFile.objects.filter(pk=export.pk).update(state=ExportFile.State.RUNNING, rows_total=total, rows_done=0,
                                                   error="")
    rows = (safe_row([cell_value(obj, getter) for _header, getter in columns]) for obj in _in_chunks(queryset))
    headers = safe_row([str(header) for header, _getter in columns])
    token = _labels.set({})
    try:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder, f"export.{export.file_format}")
            writer = _write_csv if export.file_format == ExportFile.Format.CSV else _write_xlsx
            written = writer(path, str(model._meta.verbose_name_plural), headers, _counted(export, rows))
            with path.open("rb") as handle:
                name = default_storage.save(f"{FOLDER}/{export.key}.{export.file_format}", File(handle))
    finally:
        _labels.reset(token)
    now = timezone.now()
    ExportFile.objects.filter(pk=export.pk).update(
        state=ExportFile.State.DONE, rows_done=written, rows_total=max(total, written), file=name,
        finished_at=now, expires_at=now + KEEP,
    )
    from apps.lowcode.audit.record import Action, record

    record(export.owner, Action.EXPORT, model, count=written, detail=f"{export.title} ({export.file_format})")
    return written


def _in_chunks(queryset):
    """The rows in primary-key order, CHUNK at a time by key (WHERE pk > last LIMIT CHUNK): memory stays
    flat on MariaDB too, whose client would otherwise hold the whole result of an iterator()."""
    queryset, last = queryset.order_by("pk"), None
    while True:
        chunk = list((queryset if last is None else queryset.filter(pk__gt=last))[:CHUNK])
        yield from chunk
        if len(chunk) < CHUNK:
            return
        last = chunk[-1].pk


def _counted(export: ExportFile, rows: Iterable[list]):
    done = 0
    for row in rows:
        yield row
        done += 1
        if done % CHUNK == 0:
            ExportFile.objects.filter(pk=export.pk).update(rows_done=done)
            jobs.heartbeat(dt.timedelta(minutes=10))


def _write_csv(path: Path, _title: str, headers: list, rows: Iterable[list]) -> int:
    written = 0
    with path.open("w", encoding="utf-8-sig", newline="") as handle:  # the BOM: Excel opens Chinese text right
        writer = csv.writer(handle)
        writer.writerow(headers)
        for row in rows:
            writer.writerow(row)
            written += 1
    return written


def _write_xlsx(path: Path, title: str, headers: list, rows: Iterable[list]) -> int:
    from openpyxl import Workbook

    book = Workbook(write_only=True)  # rows stream to a temporary file: memory stays flat
    sheet = book.create_sheet(title[:31] or "Sheet1")
    sheet.append(headers)
    written = 0
    for row in rows:
        sheet.append(row)
        written += 1
    book.save(path)
    return written


@jobs.when_dead(run)
def _given_up(job) -> None:
    ExportFile.objects.filter(key=job.args[0]).update(state=ExportFile.State.FAILED, error=job.last_error[:2000])


def for_owner(user, key: str) -> ExportFile | None:
    """The export if `user` asked for it; None for anyone else (the caller answers 404)."""
    return ExportFile.objects.filter(key=key, owner=user).first() if getattr(user, "is_authenticated", False) \
        else None


def downloadable(export: ExportFile) -> bool:
    return export.state == ExportFile.State.DONE and export.expires_at is not None \
        and export.expires_at > timezone.now() and bool(export.file)


def purge_expired() -> int:
    """For the scheduler: delete expired files and their rows; returns how many."""
    expired = list(ExportFile.objects.filter(expires_at__lte=timezone.now()))
    for export in expired:
        if export.file:
            default_storage.delete(export.file)
    ExportFile.objects.filter(pk__in=[e.pk for e in expired]).delete()
    return len(expired)
