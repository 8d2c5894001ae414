"""Message templates (edited and previewed) and the message log (read-only, recipients masked)."""

from __future__ import annotations

from django.apps import apps as django_apps
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import BigIntegerField, Q
from django.db.models.functions import Cast
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from unfold.admin import ModelAdmin, TabularInline
from unfold.decorators import action

from apps.lowcode.desk_search import term_from
from apps.lowcode.messaging import rendering, sending
from apps.lowcode.messaging.events import valid_events
from apps.lowcode.messaging.models import MessageAttempt, MessageLog, MessageTemplate
from apps.lowcode.messaging.registry import provider_for, registered_labels
from apps.lowcode.readonly import ReadOnlyAdminMixin


@admin.register(MessageTemplate)
class MessageTemplateAdmin(ModelAdmin):
    list_display = ["key", "document_type", "event", "channel", "active", "updated_at"]
    list_filter = ["channel", "active", "document_type"]
    search_fields = ["key", "event", "text"]
    actions_detail = ["open_preview"]
    fieldsets = [
        (None, {"fields": ["key", "document_type", "event", "channel", "active"]}),
        (gettext_lazy("Message"), {"fields": ["subject", "text"]}),
        (gettext_lazy("SMS provider"), {"fields": ["provider_template_code", "provider_params"]}),
    ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        """The event's help lists the valid events of each DocType (escaped: action names are data)."""
        form = super().get_form(request, obj, change, **kwargs)
        if "event" in form.base_fields:
            per_type = format_html_join(
                "", "<br>{}: {}",
                (
                    (django_apps.get_model(label)._meta.verbose_name,
                     ", ".join(valid_events(django_apps.get_model(label))))
                    for label in registered_labels()
                ),
            )
            form.base_fields["event"].help_text = format_html(
                "{} {}{}", form.base_fields["event"].help_text, _("Valid events:"), per_type
            )
        return form

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "document_type":
            labels = [label.split(".") for label in registered_labels()]
            ids = [ContentType.objects.get_by_natural_key(app, model).pk for app, model in labels]
            kwargs["queryset"] = ContentType.objects.filter(pk__in=ids)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_preview"
        return [
            path("<path:object_id>/preview/", self.admin_site.admin_view(self.preview_view), name=name),
            *super().get_urls(),
        ]

    @action(description=gettext_lazy("Preview"), url_path="open-preview", icon="visibility")
    def open_preview(self, request, object_id):
        return HttpResponseRedirect(
            reverse(f"{self.admin_site.name}:lowcode_messaging_messagetemplate_preview", args=[object_id])
        )

    def preview_view(self, request, object_id):
        """Renders the template for a document the user may see (through that DocType's own desk
        scope), or for the sample context when none is chosen."""
        template = self.get_object(request, unquote(object_id))
        if template is None:
            raise Http404
        if not self.has_view_permission(request, template):
            raise PermissionDenied
        model = template.document_type.model_class()
        term, _key, moved = term_from(request, "document")  # an ID number typed here stays out of URLs
        if moved:
            return moved
        document, problem = None, None
        context = rendering.sample_context(model)
        if term:
            document = self.find_document(request, model, term)
            if document is None:
                problem = _("No document matching “%(term)s” that you may see.") % {"term": term}
            else:
                provider = provider_for(model)
                context = rendering.merge(provider.audience(document).context, rendering.event_context(template.event))
        rendered = subject = ""
        if problem is None:
            problem = rendering.template_problem(template.text, context) or (
                rendering.template_problem(template.subject, context) if template.subject else None
            )
        if problem is None:
            rendered = rendering.render(template.text, context)
            subject = rendering.render(template.subject, context) if template.subject else ""
        return TemplateResponse(
            request,
            "lowcode_messaging/preview.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "original": template,
                "title": _("Preview of %(template)s") % {"template": template},
                "term": term,
                "document": document,
                "problem": problem,
                "rendered": rendered,
                "subject": subject,
                "length": len(rendered),
                "context_items": sorted(context.items()),
                "change_url": reverse(
                    f"{self.admin_site.name}:lowcode_messaging_messagetemplate_change", args=[template.pk]
                ),
            },
        )

    def find_document(self, request, model, term):
        model_admin = self.admin_site._registry.get(model)
        if model_admin is None or not model_admin.has_view_permission(request):
            return None
        queryset = model_admin.get_queryset(request)
        found = model_admin.get_search_results(request, queryset, term)[0].first()
        if found is None and term.isascii() and term.isdigit():
            found = queryset.filter(pk=term).first()
        return found


class MessageAttemptInline(ReadOnlyAdminMixin, TabularInline):
    """Every provider call and check, so an operator sees whether a message could have gone twice."""

    model = MessageAttempt
    fields = ["number", "started_at", "finished_at", "outcome", "detail"]
    readonly_fields = fields
    extra = 0


@admin.register(MessageLog)
class MessageLogAdmin(ReadOnlyAdminMixin, ModelAdmin):
    list_display = [
        "created_at",
        "document_label",
        "event",
        "channel",
        "masked_recipient",
        "shown_status",
        "attempts",
        "sent_at",
    ]
    list_filter = ["status", "channel", "document_type"]
    search_fields = ["document_label", "document_id"]
    actions = ["retry_failed", "resend_unknown"]
    list_select_related = ["document_type"]
    inlines = [MessageAttemptInline]
    fields = [
        "document_type",
        "document_id",
        "document_label",
        "template",
        "event",
        "channel",
        "masked_recipient",
        "subject",
        "text",
        "provider_template_code",
        "provider_params",
        "shown_status",
        "attempts",
        "idempotency_key",
        "provider_message_id",
        "error",
        "created_at",
        "not_before",
        "sent_at",
        "updated_at",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        """Only messages about documents the user may see, by each DocType's own desk scope."""
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        queryset = queryset.annotate(document_number=Cast("document_id", BigIntegerField()))
        visible = Q(pk__in=[])
        for label in registered_labels():
            model = django_apps.get_model(label)
            model_admin = self.admin_site._registry.get(model)
            if model_admin is None or not model_admin.has_view_permission(request):
                continue
            documents = model_admin.get_queryset(request).order_by().values("pk")
            numeric = isinstance(model._meta.pk, models.IntegerField | models.AutoField)
            visible |= Q(document_type=ContentType.objects.get_for_model(model)) & (
                Q(document_number__in=documents) if numeric else Q(document_id__in=documents)
            )
        return queryset.filter(visible)

    @admin.display(description=gettext_lazy("recipient"))
    def masked_recipient(self, obj):
        return obj.masked_recipient

    @admin.display(description=gettext_lazy("status"), ordering="status")
    def shown_status(self, obj):
        """A queued message the owning app holds says until when, so nobody takes it for stuck."""
        if obj.held():
            return _("Held until %(time)s") % {"time": date_format(localtime(obj.not_before), "Y-m-d H:i")}
        return obj.get_status_display()

    def has_retry_permission(self, request):
        return request.user.has_perm("lowcode_messaging.change_messagelog")

    @admin.action(description=gettext_lazy("Retry failed messages"), permissions=["retry"])
    def retry_failed(self, request, queryset):
        count = sending.retry_failed(queryset)
        self.message_user(
            request,
            ngettext("%(count)d failed message queued again.", "%(count)d failed messages queued again.", count)
            % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )

    @admin.action(
        description=gettext_lazy("Send again messages of unknown outcome (the provider confirmed it did not deliver)"),
        permissions=["retry"],
    )
    def resend_unknown(self, request, queryset):
        count = sending.resend_unknown(queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d message of unknown outcome queued again.",
                "%(count)d messages of unknown outcome queued again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )
