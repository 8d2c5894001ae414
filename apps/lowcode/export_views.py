"""The desk's pages for a worker-written export: its progress, then its download, for its owner only.

Mounted in config/urls.py under the desk's `admin_view` (staff log-in, second factor, session limits).
Anyone but the owner gets 404, as for a file that does not exist.
"""

from __future__ import annotations

from django.contrib import admin
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from apps.lowcode import export_jobs
from apps.lowcode.models import ExportFile


def _own(request, key: str) -> ExportFile:
    export = export_jobs.for_owner(request.user, key)
    if export is None:
        raise Http404
    return export


def export_progress_view(request, key: str):
    export = _own(request, key)
    total, done = export.rows_total, export.rows_done
    context = {
        **admin.site.each_context(request),
        "title": _("Export: %(title)s") % {"title": export.title},
        "export": export,
        "percent": 100 if export.state == ExportFile.State.DONE else (int(100 * done / total) if total else 0),
        "working": export.state in (ExportFile.State.QUEUED, ExportFile.State.RUNNING),
        "downloadable": export_jobs.downloadable(export),
        "expired": export.state == ExportFile.State.DONE and not export_jobs.downloadable(export),
    }
    return TemplateResponse(request, "lowcode/export_progress.html", context)


def export_download_view(request, key: str):
    export = _own(request, key)
    if not export_jobs.downloadable(export):
        raise Http404
    name = f"{export.title}-{export.finished_at:%Y%m%d-%H%M}.{export.file_format}"
    response = FileResponse(default_storage.open(export.file, "rb"), as_attachment=True, filename=name,
                            content_type=export_jobs.CONTENT_TYPES[export.file_format])
    response["Cache-Control"] = "private, no-store"
    return response
