"""Large exports written by a worker: the request records what to export and answers with a progress page.

`start(user, queryset, ...)` saves an `ExportFile` with the user's filtered queryset and queues
`run` on the "long" queue. The worker reads the rows in key-ordered chunks (bounded memory), as values when
every column names what it reads (export_columns.value_plan), else as model instances; writes CSV or a
streamed Excel sheet (xlsx_stream) to a temporary file, counts its progress on the row and stores the
file with Django's storage API. Only the owner downloads it, until it expires (`purge_expired`).

Nothing in the job's arguments but the row's key; what it exports is on the row:
`columns` is the import path of `f(model, **params) -> [(header, getter)]`, a getter being an
attribute path ("child.name"), `from_value`/`by_value` (export_columns) or a callable; `scope` the
import path of `f(queryset, user)`, applied again in the worker so the file never holds a row the
owner could not see when it was written.
Every cell goes through `export_cells.safe_cell` (formula injection).
"""

from __future__ import annotations

import csv
import datetime as dt
import pickle
import tempfile
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from types import MethodType

from django.apps import apps
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from apps.lowcode import jobs
from apps.lowcode.export_cells import safe_row
from apps.lowcode.export_columns import attribute, labels_remembered, value_plan
from apps.lowcode.export_columns import cell_value as _cell
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


def cell_value(obj, getter):
    """A getter's value as a spreadsheet cell: numbers and dates kept, aware times in local time. A path
    naming a method ("get_ownership_display") is its result, not the method's text."""
    value = getter(obj) if callable(getter) else attribute(obj, getter)
    if isinstance(value, MethodType | partial):  # get_<field>_display is a partialmethod
        value = value()
    return _cell(value)


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
    plan = value_plan(model, columns)
    if plan:
        rows = _value_rows(queryset, *plan)
    else:
        rows = (safe_row([cell_value(obj, getter) for _header, getter in columns]) for obj in _in_chunks(queryset))
    headers = safe_row([str(header) for header, _getter in columns])
    with labels_remembered():
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder, f"export.{export.file_format}")
            writer = _write_csv if export.file_format == ExportFile.Format.CSV else _write_xlsx
            written = writer(path, str(model._meta.verbose_name_plural), headers, _counted(export, rows))
            with path.open("rb") as handle:
                name = default_storage.save(f"{FOLDER}/{export.key}.{export.file_format}", File(handle))
    now = timezone.now()
    ExportFile.objects.filter(pk=export.pk).update(
        state=ExportFile.State.DONE, rows_done=written, rows_total=max(total, written), file=name,
        finished_at=now, expires_at=now + KEEP,
    )
    from apps.lowcode.audit.record import Action, record

    record(export.owner, Action.EXPORT, model, count=written, detail=f"{export.title} ({export.file_format})")
    return written


def _keys(queryset):
    """The rows' keys in key order, CHUNK at a time (WHERE pk > last LIMIT CHUNK, no join needed): memory
    stays flat on MariaDB too, whose client would otherwise hold the whole result of an iterator(). The
    rows themselves are then read by their key range: with the joins and the limit in one query MariaDB
    read the small district table first and sorted every remaining application for each chunk (0.2 s a
    chunk, 25 s of a 100,000-row export)."""
    queryset, last = queryset.order_by("pk"), None
    while True:
        keys = list((queryset if last is None else queryset.filter(pk__gt=last)).values_list("pk", flat=True)[:CHUNK])
        if keys:
            yield keys
        if len(keys) < CHUNK:
            return
        last = keys[-1]


def _in_chunks(queryset):
    """The model instances in key order (the columns' callables need them)."""
    queryset = queryset.order_by("pk")
    for keys in _keys(queryset):
        yield from queryset.filter(pk__gte=keys[0], pk__lte=keys[-1])


def _value_rows(queryset, lookups: list[str], cells: list):
    """The rows' cells from values: one values_list per chunk, one cell function per column."""
    queryset = queryset.order_by("pk")
    for keys in _keys(queryset):
        for values in queryset.filter(pk__gte=keys[0], pk__lte=keys[-1]).values_list(*lookups):
            yield [to_cell(values[index]) for index, to_cell in cells]


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
    from apps.lowcode import xlsx_stream  # openpyxl's helpers: the worker's, not every web process's

    return xlsx_stream.write(path, title[:31] or "Sheet1", headers, rows)


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
