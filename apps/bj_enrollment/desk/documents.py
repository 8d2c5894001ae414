"""Desk pages for documents: the document requirements (configuration, city-wide or a district's own),
and beside each application its files as thumbnails with a viewer, removed and replaced files kept.

The application's two document URLs check the application's view permission and scope
(ScopedAdmin.get_object) and the document's own (services/documents.readable); every file sent to
staff, a thumbnail included, is recorded as a read of the application's personal data.
"""

from django import forms
from django.contrib import admin
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from unfold.admin import TabularInline

from apps.bj_enrollment.desk.base import ScopedAdmin
from apps.bj_enrollment.doctype.document import KIND_CHOICES
from apps.bj_enrollment.document_files import file_response
from apps.bj_enrollment.models import ApplicationDocument, DocumentRequirement
from apps.bj_enrollment.scope import scope_of
from apps.bj_enrollment.services import documents
from apps.lowcode import uploads
from apps.lowcode.readonly import ReadOnlyAdminMixin


class RequirementForm(forms.ModelForm):
    # HEIC is offered once a HEIF opener (pillow-heif) is installed; until then uploads.py refuses it
    kinds = forms.MultipleChoiceField(
        label=_("accepted types"),
        choices=lambda: [(k, label) for k, label in KIND_CHOICES if k != uploads.HEIC or uploads.heic_supported()],
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = DocumentRequirement
        fields = (
            "campaign",
            "district",
            "hukou_category",
            "name",
            "instructions",
            "required",
            "max_files",
            "kinds",
            "max_size_mb",
            "position",
        )


@admin.register(DocumentRequirement)
class DocumentRequirementAdmin(ScopedAdmin):
    """City administrators configure requirements for every district; a district administrator adds
    and changes its own district's (the scope refuses a row for another district or for all)."""

    form = RequirementForm
    list_display = (
        "name",
        "campaign",
        "district",
        "hukou_category",
        "required",
        "max_files",
        "kinds_label",
        "max_size_mb",
        "position",
    )
    list_filter = ("campaign", "hukou_category", "required")
    search_fields = ("name",)
    ordering = ("campaign", "position", "pk")

    @admin.display(description=_("accepted types"))
    def kinds_label(self, obj):
        return obj.kinds_label

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if "district" in form.base_fields and not scope_of(request.user).everything:
            form.base_fields["district"].required = True  # a district configures only its own families
        return form


def _document_url(admin_site, document, thumb=False) -> str:
    url = reverse(
        f"{admin_site.name}:bj_enrollment_application_document_file", args=[document.application_id, document.pk]
    )
    return f"{url}?thumb=1" if thumb else url


class ApplicationDocumentInline(ReadOnlyAdminMixin, TabularInline):
    """The application's files, newest state first; read-only (families upload, nobody edits here)."""

    model = ApplicationDocument
    fk_name = "application"
    extra = 0
    tab = True
    can_delete = False
    verbose_name_plural = _("documents")
    fields = ("requirement", "preview", "name", "size", "uploaded_at", "uploaded_by", "removed_at", "removed_by")
    readonly_fields = fields
    ordering = ("requirement__position", "removed_at", "uploaded_at")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("bj_enrollment.view_application")

    @admin.display(description=_("file"))
    def preview(self, obj):
        viewer = reverse(f"{self.admin_site.name}:bj_enrollment_application_documents", args=[obj.application_id])
        if obj.is_image:
            picture = format_html(
                '<img src="{}" alt="{}" class="document-thumb" loading="lazy" '
                'style="width:96px;height:96px;object-fit:cover;border-radius:6px">',
                _document_url(self.admin_site, obj, thumb=True),
                obj.requirement.name,
            )
        else:
            picture = format_html('<span class="font-semibold">PDF</span>')
        return format_html('<a href="{}#document-{}">{}</a>', viewer, obj.pk, picture)


class DocumentsDeskMixin:
    """For ApplicationAdmin: the documents tab on the change page, a viewer page and the file URL."""

    def get_inlines(self, request, obj):
        inlines = list(super().get_inlines(request, obj))
        if obj is not None and not getattr(request, "_reading_history", False):
            inlines.append(ApplicationDocumentInline)
        return inlines

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        own = [
            path(
                "<path:object_id>/documents/",
                self.admin_site.admin_view(self.documents_view),
                name=f"{info[0]}_{info[1]}_documents",
            ),
            path(
                "<path:object_id>/documents/<int:document_id>/",
                self.admin_site.admin_view(self.document_file_view),
                name=f"{info[0]}_{info[1]}_document_file",
            ),
        ]
        return own + super().get_urls()

    def _viewable(self, request, object_id):
        application = self.get_object(request, object_id)  # the scoped queryset: out of scope is None
        if application is None or not self.has_view_permission(request, application):
            raise Http404
        return application

    def documents_view(self, request, object_id):
        application = self._viewable(request, object_id)
        files = [
            {"document": d, "url": _document_url(self.admin_site, d)}
            for d in application.documents.select_related("requirement", "uploaded_by", "removed_by").order_by(
                "requirement__position", "removed_at", "uploaded_at"
            )
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": _("Documents of %(number)s") % {"number": application.form_number},
            "application": application,
            "files": files,
            "opts": self.opts,
            "back": reverse(f"{self.admin_site.name}:bj_enrollment_application_change", args=[application.pk]),
        }
        return TemplateResponse(request, "desk/application_documents.html", context)

    @xframe_options_sameorigin  # the viewer shows a PDF in a frame of the desk's own page
    def document_file_view(self, request, object_id, document_id):
        application = self._viewable(request, object_id)
        document = documents.open_for(request, document_id, application_id=application.pk)
        if request.GET.get("thumb") and document.is_image:
            return file_response(document, content=documents.thumbnail(document))
        return file_response(document)
