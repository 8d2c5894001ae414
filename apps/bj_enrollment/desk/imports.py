"""The one "Import from a spreadsheet" screen of the desk (schools, plans, zone rows): upload, every row
checked, all saved or none, the bad rows listed by their line in the file; a template file with the
headers to start from. An admin whose files are a city's (the graduates) raises `import_max_bytes` and
hands the upload to the worker (`import_in_worker`) instead of importing it within the request."""

from __future__ import annotations

from io import BytesIO

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from unfold.decorators import action
from unfold.widgets import UnfoldAdminFileFieldWidget

from apps.bj_enrollment.desk.export import XLSX
from apps.lowcode.dataimport import read_rows

MB = 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Spreadsheet"), widget=UnfoldAdminFileFieldWidget)

    def __init__(self, *args, max_bytes: int = 5 * MB, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes
        self.fields["file"].help_text = _("An .xlsx or .csv file with a header row; at most %(size)d MB.") % {
            "size": max_bytes // MB}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.max_bytes:
            raise ValidationError(_("The file is larger than %(size)d MB; split it into files of at most %(size)d MB.")
                                  % {"size": self.max_bytes // MB})
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise ValidationError(_("Upload an .xlsx or .csv file."))
        return upload


class SpreadsheetImportMixin:
    """Set `importer`, a module with COLUMNS, REQUIRED, HELP (optional ANY_OF, NOTE) and the import
    function named by `import_function`, which takes the rows and the user and returns an ImportResult
    (one with `conflicts`, rows it left untouched, is reported on the page instead of a redirect).
    The user needs `import_permissions` (by default add and change on the model); uploads above
    `import_max_bytes` are refused."""

    importer = None
    import_function = ""
    import_permissions: tuple[str, ...] = ()
    import_max_bytes = 5 * MB
    actions_list = ["import_file", "import_template"]

    def _require_import_rights(self, request):
        opts = self.model._meta
        needed = self.import_permissions or (
            f"{opts.app_label}.add_{opts.model_name}",
            f"{opts.app_label}.change_{opts.model_name}",
        )
        if not request.user.has_perms(needed):
            raise PermissionDenied

    @action(description=gettext_lazy("Import from a spreadsheet"), url_path="import", icon="upload_file")
    def import_file(self, request):
        self._require_import_rights(request)
        form = ImportForm(request.POST or None, request.FILES or None, max_bytes=self.import_max_bytes)
        importer, result = self.importer, None
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                queued = self.import_in_worker(request, upload)
                if queued is not None:
                    return queued
                rows = read_rows(
                    upload.name, upload.read(), importer.COLUMNS, importer.REQUIRED, getattr(importer, "ANY_OF", ())
                )
                result = getattr(importer, self.import_function)(rows, user=request.user)
            except ValidationError as exc:
                form.add_error("file", exc)
            if result is not None and result.ok and getattr(result, "conflicts", None):
                # rows left untouched (students' imports): reported on this page, not lost in a redirect
                messages.warning(request, _("Imported with conflicts: %(created)d created, %(updated)d updated, "
                                            "%(unchanged)d unchanged, %(conflicts)d left unchanged (listed below).")
                                 % {"created": result.created, "updated": result.updated,
                                    "unchanged": result.unchanged, "conflicts": len(result.conflicts)})
            elif result is not None and result.ok:
                messages.success(
                    request,
                    _("Imported: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
                    % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
                )
                return redirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import %(things)s") % {"things": self.opts.verbose_name_plural},
            "form": form,
            "result": result,
            "note": getattr(importer, "NOTE", ""),
            "columns": [(importer.COLUMNS[key][0], text) for key, text in importer.HELP],
        }
        return TemplateResponse(request, "desk/import.html", context)

    def import_in_worker(self, request, upload):
        """Override to hand the upload to a worker: the response (the import's progress page), or None to
        import within the request. A ValidationError is shown on the form."""
        return None

    @action(description=gettext_lazy("Spreadsheet template"), url_path="import-template", icon="download")
    def import_template(self, request):
        self._require_import_rights(request)
        from openpyxl import Workbook  # loaded by the pages that write one

        book = Workbook()
        book.active.append([self.importer.COLUMNS[key][0] for key, _text in self.importer.HELP])
        buffer = BytesIO()
        book.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{self.opts.model_name}-import.xlsx"'
        return response
