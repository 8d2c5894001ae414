"""Desk pages of configuration transfer, for the city administrator (or a superuser): the record of
imports, an export download, and an import that shows its preview and writes only when confirmed.

The uploaded file waits in the cache for its uploader's confirmation (an hour), named by a token
in the preview page with the digest of the changes shown; the confirmation runs the import again
and commits only if it would make exactly those changes (`importing.run(expected_digest=...)`)."""

from __future__ import annotations

import hashlib

from django.contrib import admin, messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from unfold.admin import ModelAdmin
from unfold.decorators import action

from apps.lowcode.configuration import exportable, exporting, importing
from apps.lowcode.configuration import preview as previews
from apps.lowcode.configuration.models import ConfigurationImport
from apps.lowcode.readonly import ReadOnlyAdminMixin

MAX_FILE_BYTES = 2_000_000
PENDING_SECONDS = 3600  # how long a previewed file waits for its confirmation


def _pending_key(user, token: str) -> str:
    return f"configuration-import:{user.pk}:{token}"  # only the uploader confirms their preview


PERMISSIONS = {"export": "lowcode_configuration.view_configurationimport",
               "import": "lowcode_configuration.add_configurationimport"}


def may(user, what: str) -> bool:
    """`what` is "export" or "import": the superuser, or the city administrator (see models.py)."""
    return user.is_active and user.is_staff and user.has_perm(PERMISSIONS[what])


@admin.register(ConfigurationImport)
class ConfigurationImportAdmin(ReadOnlyAdminMixin, ModelAdmin):
    list_display = ["imported_at", "imported_by", "file_name", "added", "changed", "unchanged"]
    fields = ["imported_at", "imported_by", "file_name", "digest", "added", "changed", "unchanged", "changes"]
    readonly_fields = fields
    actions_list = ["export_configuration", "import_configuration"]

    def has_module_permission(self, request):
        return may(request.user, "export") or may(request.user, "import")

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_export_configuration_permission(self, request):
        return may(request.user, "export")

    def has_import_configuration_permission(self, request):
        return may(request.user, "import")

    def _page(self, request, template: str, **context):
        return TemplateResponse(
            request,
            f"lowcode_configuration/{template}",
            {**self.admin_site.each_context(request), "opts": self.opts, **context},
        )

    @action(description=gettext_lazy("Export configuration"), url_path="export", icon="download",
            permissions=["export_configuration"])
    def export_configuration(self, request):
        if not may(request.user, "export"):
            raise PermissionDenied
        entries = [e for e in exportable.installed() if _may_view(request.user, e.model)]
        if request.method == "POST":
            response = HttpResponse(
                exporting.dumps(exporting.export(entries)), content_type="application/json; charset=utf-8"
            )
            response["Content-Disposition"] = f'attachment; filename="{exporting.filename()}"'
            return response
        counts = [(e.model._meta.verbose_name_plural, e.model._default_manager.count()) for e in entries]
        return self._page(request, "export.html", title=_("Export configuration"), counts=counts)

    @action(description=gettext_lazy("Import configuration"), url_path="import", icon="upload",
            permissions=["import_configuration"])
    def import_configuration(self, request):
        if not may(request.user, "import"):
            raise PermissionDenied
        if request.method != "POST":
            return self._page(request, "import.html", title=_("Import configuration"))
        confirming = "confirm" in request.POST
        if confirming:
            token = request.POST.get("token", "")
            pending = cache.get(_pending_key(request.user, token)) if token.isalnum() else None
            if pending is None:
                messages.error(request, _("The preview has expired: upload the file again."))
                return self._page(request, "import.html", title=_("Import configuration"))
            content, file_name = pending
        else:
            upload = request.FILES.get("file")
            if upload is None or upload.size > MAX_FILE_BYTES:
                messages.error(request, _("Choose a configuration file (JSON, at most 2 MB)."))
                return self._page(request, "import.html", title=_("Import configuration"))
            content, file_name = upload.read().decode("utf-8", errors="replace"), upload.name
            token = hashlib.sha256(content.encode()).hexdigest()[:32]
            cache.set(_pending_key(request.user, token), (content, file_name), PENDING_SECONDS)
        document = importing.parse(content)
        if document is None:
            messages.error(request, _("This is not a configuration file exported by this platform."))
            return self._page(request, "import.html", title=_("Import configuration"))
        outcome = importing.run(
            document,
            dry_run=not confirming,
            expected_digest=request.POST.get("digest", "") if confirming else None,
            user=request.user,
            file_name=file_name,
        )
        if outcome.applied:
            cache.delete(_pending_key(request.user, token))
            preview = outcome.preview
            messages.success(request, _("Configuration imported: %(added)d added, %(changed)d changed.") % {
                "added": len(preview.of(previews.ADDED)), "changed": len(preview.of(previews.CHANGED))})
            return HttpResponseRedirect(
                reverse(f"{self.admin_site.name}:lowcode_configuration_configurationimport_changelist")
            )
        return self._page(
            request,
            "import.html",
            title=_("Import configuration: preview"),
            preview=outcome.preview,
            added=outcome.preview.of(previews.ADDED),
            changed=outcome.preview.of(previews.CHANGED),
            unchanged=outcome.preview.of(previews.UNCHANGED),
            token=token,
            file_name=file_name,
        )


def _may_view(user, model) -> bool:
    return user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}")
