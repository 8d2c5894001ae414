"""Print formats in the desk: edited like any DocType, refused at save when the template fails, and
previewed as HTML or PDF for a sample or for a document the user may see. The documents a format
failed to print are listed read-only, and counted on the format's list and page."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from unfold.admin import ModelAdmin
from unfold.decorators import action, display

from apps.lowcode.audit import record as audit
from apps.lowcode.desk_search import KEY_VAR, term_from
from apps.lowcode.printing import service
from apps.lowcode.printing.errors import PrintError
from apps.lowcode.printing.models import PrintFailure, PrintFormat
from apps.lowcode.printing.registry import registered_labels
from apps.lowcode.readonly import ReadOnlyAdminMixin

RECENT = timedelta(days=7)  # how far back the failures counted on a format's list and page reach


@admin.register(PrintFormat)
class PrintFormatAdmin(ModelAdmin):
    list_display = ["name", "key", "document_type", "page_size", "orientation", "is_default", "active",
                    "failed_documents", "updated_at"]
    list_filter = ["document_type", "is_default", "active"]
    search_fields = ["name", "key"]
    actions_detail = ["open_preview"]
    readonly_fields = ["failed_documents", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["name", "key", "document_type", ("is_default", "active"), "failed_documents"]}),
        (gettext_lazy("Layout"), {"fields": ["template", "css"]}),
        (gettext_lazy("Page"), {"fields": [("page_size", "orientation"), ("created_at", "updated_at")]}),
    ]

    def get_queryset(self, request):
        recent = Q(failures__created_at__gte=timezone.now() - RECENT)
        return super().get_queryset(request).annotate(
            recent_failures=Count("failures__object_id", filter=recent, distinct=True))

    @display(description=gettext_lazy("Failed documents (7 days)"), ordering="recent_failures")
    def failed_documents(self, obj):
        count = getattr(obj, "recent_failures", 0)
        if not count:
            return "0"
        url = reverse(f"{self.admin_site.name}:lowcode_printing_printfailure_changelist")
        return format_html('<a class="text-red-600 font-semibold" href="{}?print_format__id__exact={}">{}</a>',
                           url, obj.pk, count)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "document_type":
            ids = [ContentType.objects.get_by_natural_key(*label.split(".")).pk for label in registered_labels()]
            kwargs["queryset"] = ContentType.objects.filter(pk__in=ids)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in ("template", "css") and field is not None:
            field.widget.attrs.update({"rows": 24 if db_field.name == "template" else 10, "spellcheck": "false"})
            field.widget.attrs["class"] = f"{field.widget.attrs.get('class', '')} font-mono text-xs"
        return field

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_preview"
        return [path("<path:object_id>/preview/", self.admin_site.admin_view(self.preview_view), name=name),
                *super().get_urls()]

    @action(description=gettext_lazy("Preview"), url_path="open-preview", icon="print")
    def open_preview(self, request, object_id):
        return HttpResponseRedirect(self._preview_url(object_id))

    def _preview_url(self, object_id):
        return reverse(f"{self.admin_site.name}:lowcode_printing_printformat_preview", args=[object_id])

    def preview_view(self, request, object_id):
        """HTML (in a script-less frame) or PDF (`?as=pdf`) for the sample context, or for a document
        found through that DocType's own desk queryset, so the user's scope applies."""
        print_format = self.get_object(request, unquote(object_id))
        if print_format is None:
            raise Http404
        if not self.has_view_permission(request, print_format):
            raise PermissionDenied
        model = print_format.document_type.model_class()
        term, key, moved = term_from(request, "document")  # an ID number typed here stays out of URLs
        if moved:
            return moved
        document, problem, html, status = None, None, "", 200
        try:
            if term:
                document = self.find_document(request, model, term)
                if document is None:
                    status = 404
                    raise PrintError(_("No document matching “%(term)s” that you may see.") % {"term": term})
                audit.record(request, audit.Action.PRINT if request.GET.get("as") == "pdf" else audit.Action.VIEW,
                             model, object_id=document.pk, detail=f"print format {print_format.key}")
            if request.GET.get("as") == "pdf":
                pdf = service.render(print_format, document, pdf=True)
                response = HttpResponse(pdf, content_type="application/pdf")
                name = f"{print_format.key}-{document.pk if document else 'sample'}.pdf"
                response["Content-Disposition"] = f'inline; filename="{name}"'
                return response
            html = service.render(print_format, document)
        except PrintError as exc:
            problem, html = exc.message, ""
        pdf_query = urlencode({KEY_VAR: key, "as": "pdf"} if term else {"as": "pdf"})
        return TemplateResponse(request, "lowcode_printing/preview.html", {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": print_format,
            "title": _("Preview of %(format)s") % {"format": print_format},
            "term": term,
            "document": document,
            "problem": problem,
            "html": html,
            "pdf_url": f"{self._preview_url(print_format.pk)}?{pdf_query}",
            "change_url": reverse(f"{self.admin_site.name}:lowcode_printing_printformat_change",
                                  args=[print_format.pk]),
        }, status=status)

    def find_document(self, request, model, term):
        model_admin = self.admin_site._registry.get(model)
        if model_admin is None:
            queryset = model._default_manager.all() if request.user.is_superuser else model._default_manager.none()
            return queryset.filter(pk=term).first() if term.isascii() and term.isdigit() else None
        if not model_admin.has_view_permission(request):
            return None
        queryset = model_admin.get_queryset(request)
        found = queryset.filter(pk=term).first() if term.isascii() and term.isdigit() else None
        if found is None:
            found = model_admin.get_search_results(request, queryset, term)[0].first()
        return found


@admin.register(PrintFailure)
class PrintFailureAdmin(ReadOnlyAdminMixin, ModelAdmin):
    """Written by the print service only: nobody adds, edits or deletes a failure in the desk."""

    list_display = ["created_at", "print_format", "document_type", "object_id", "error"]
    list_filter = ["print_format", "document_type"]
    search_fields = ["object_id"]
    date_hierarchy = "created_at"
