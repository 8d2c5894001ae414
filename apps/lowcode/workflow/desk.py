"""Workflow in the desk for any ModelAdmin: action buttons and the timeline on the change page, a
bulk action on the list, and the state field kept read-only (the engine owns it).

Every path goes through the admin's own `get_object`/`get_queryset` (so its scope applies) and then
through the engine (so roles, object permission, conditions and reasons apply); the desk decides
nothing itself.

    class ApplicationAdmin(WorkflowAdminMixin, ..., ModelAdmin): ...
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from unfold.widgets import UnfoldAdminSelectWidget, UnfoldAdminTextareaWidget

from apps.lowcode.workflow import bulk, engine
from apps.lowcode.workflow import states as workflow_states
from apps.lowcode.workflow.definitions import action_label, definition_for
from apps.lowcode.workflow.errors import WorkflowError
from apps.lowcode.workflow.models import BulkTransition

IN_REQUEST_LIMIT = 50  # more documents than this go to the worker, with a progress page
BULK_LIMIT = 50_000  # one batch at most: a district's whole confirmation list
REFUSALS_SHOWN = 10


class StateColours(dict):
    """The badge colour of each state of `model`'s active workflow, read at render (states are data).

    Given to Unfold's `@display(label=...)`, which draws a badge only when the mapping is truthy: an
    empty dict, which this is to Python, made every state a plain "name, label" text."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def __getitem__(self, state):
        return workflow_states.styles(self.model).get(state, "")

    def __contains__(self, state):
        return True

    def __bool__(self):
        return True


class BulkActionForm(forms.Form):
    workflow_action = forms.ChoiceField(label=gettext_lazy("Action"), widget=UnfoldAdminSelectWidget)
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,
        widget=UnfoldAdminTextareaWidget(attrs={"rows": 3}),
        help_text=gettext_lazy("Required for some actions; recorded with each document."),
    )


def composed_reason(preset: str, words: str) -> str:
    """A preset reason and the reviewer's own words, as the parent will read them."""
    preset, words = preset.strip(), words.strip()
    return f"{preset}：{words}" if preset and words else preset or words


class WorkflowAdminMixin:
    change_form_outer_before_template = "lowcode_workflow/actions.html"
    change_form_outer_after_template = "lowcode_workflow/timeline.html"

    # --- the engine owns the state field ---------------------------------------------------------

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        definition = definition_for(self.model)
        if definition is not None and definition.state_field not in fields:
            fields += (definition.state_field,)
        return fields

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or engine.can_edit(request.user, obj))

    # --- change page: buttons and timeline -------------------------------------------------------

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}_workflow"
        view = self.admin_site.admin_view
        own = [
            path("<path:object_id>/workflow/", view(self.workflow_action_view), name=f"{prefix}_action"),
            path("workflow-bulk/<int:bulk_id>/", view(self.bulk_progress_view), name=f"{prefix}_bulk"),
            path("workflow-bulk/<int:bulk_id>/status/", view(self.bulk_status_view), name=f"{prefix}_bulk_status"),
        ]
        return own + super().get_urls()

    def _bulk(self, request, bulk_id):
        """A user follows their own batches only (a superuser any): the ids inside came from their scope."""
        found = BulkTransition.objects.filter(pk=bulk_id, content_type__model=self.opts.model_name)
        if not request.user.is_superuser:
            found = found.filter(requested_by=request.user)
        batch = found.first()
        if batch is None:
            raise Http404
        return batch

    def bulk_progress_view(self, request, bulk_id):
        batch = self._bulk(request, bulk_id)
        names = f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}"
        title = _("%(action)s: %(count)d documents") % {"action": action_label(batch.action), "count": batch.total}
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.opts,
            "batch": batch,
            "state": BulkTransition.State(batch.shown_state),
            "refusals": [
                {"label": label, "message": message, "url": reverse(f"{names}_change", args=[quote(pk)])}
                for pk, label, message in batch.refusals[:200]
            ],
            "changelist": reverse(f"{names}_changelist"),
        }
        return TemplateResponse(request, "lowcode_workflow/bulk_progress.html", context)

    def bulk_status_view(self, request, bulk_id):
        batch = self._bulk(request, bulk_id)
        return JsonResponse(
            {"state": batch.shown_state, "done": batch.done, "total": batch.total, "applied": batch.applied,
             "refused": len(batch.refusals), "percent": batch.percent}
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk is not None:
            context["workflow"] = self.workflow_context(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def workflow_context(self, request, obj) -> dict | None:
        definition = definition_for(self.model)
        if definition is None:
            return None
        state = definition.state_of(obj)
        records = list(engine.history(obj))
        actions = [
            {
                "action": t.action,
                "label": action_label(t.action),
                "reason_required": t.reason_required,
                "reason_options": [line for line in t.reason_options.splitlines() if line.strip()],
            }
            for t in engine.available_actions(request.user, obj)
        ]
        return {
            "state": state,
            "state_label": definition.state_label(state),
            "state_style": definition.state_style(state),
            "actions": actions,
            "reason_presets": any(a["reason_options"] for a in actions),
            "url": reverse(
                f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_workflow_action",
                args=[quote(obj.pk)],
            ),
            "timeline": [
                {
                    "record": record,
                    "action": action_label(record.action),
                    "from_label": definition.state_label(record.from_state),
                    "to_label": definition.state_label(record.to_state),
                    "to_style": definition.state_style(record.to_state),
                    "user": engine.user_display(record.user),
                }
                for record in reversed(records)
            ],
        }

    def workflow_action_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        try:
            record = engine.apply_action(
                request.user,
                obj,
                request.POST.get("action", ""),
                composed_reason(request.POST.get("reason_preset", ""), request.POST.get("reason", "")),
                expected_state=request.POST.get("state") or None,
            )
        except WorkflowError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("%(action)s: %(document)s is now %(state)s.")
                % {"action": action_label(record.action), "document": obj, "state": engine.state_label(obj)},
            )
        change_url = reverse(
            f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_change", args=[quote(obj.pk)]
        )
        return HttpResponseRedirect(change_url)

    # --- list: one bulk action with a confirmation page ------------------------------------------

    def get_actions(self, request):
        actions = super().get_actions(request)
        if definition_for(self.model) is not None and self._bulk_choices(request):
            actions["apply_workflow_action"] = (
                WorkflowAdminMixin.apply_workflow_action,
                "apply_workflow_action",
                _("Apply a workflow action to the selected %(verbose_name_plural)s"),
            )
        return actions

    def _bulk_choices(self, request) -> list[tuple[str, str]]:
        """Staff actions the user holds a role for; whether each document allows it is the engine's
        call, document by document."""
        definition = definition_for(self.model)
        user = request.user
        groups = engine.group_ids(user)
        names = {
            t.action
            for ts in definition.outgoing.values()
            for t in ts
            if definition.role_ids.get(t.pk) and (user.is_superuser or definition.role_ids[t.pk] & groups)
        }
        return [(name, action_label(name)) for name in definition.actions() if name in names]

    def apply_workflow_action(self, request, queryset):
        choices = self._bulk_choices(request)
        form = BulkActionForm(request.POST if "apply" in request.POST else None)
        form.fields["workflow_action"].choices = choices
        ids = list(queryset.values_list("pk", flat=True)[: BULK_LIMIT + 1])  # the user's scoped list only
        if len(ids) > BULK_LIMIT:
            self.message_user(
                request,
                _("Select at most %(limit)d documents at a time; narrow the list with the filters.")
                % {"limit": BULK_LIMIT},
                messages.WARNING,
            )
            return None
        if form.is_bound and form.is_valid():
            action, reason = form.cleaned_data["workflow_action"], form.cleaned_data["reason"]
            if len(ids) > IN_REQUEST_LIMIT:
                queued = bulk.queue(request.user, self.model, ids, action, reason)
                name = f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_workflow_bulk"
                return HttpResponseRedirect(reverse(name, args=[queued.pk]))
            self._report(request, action, engine.apply_action_to_each(request.user, list(queryset), action, reason))
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Apply a workflow action"),
            "opts": self.opts,
            "form": form,
            "documents": list(queryset[:IN_REQUEST_LIMIT]),
            "count": len(ids),
            "ids": ids,
            "select_across": request.POST.get("select_across") == "1",
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "lowcode_workflow/bulk_action.html", context)

    def _report(self, request, action, outcome) -> None:
        label = action_label(action)
        if outcome.applied:
            self.message_user(
                request,
                ngettext(
                    "%(action)s: applied to %(count)d document.",
                    "%(action)s: applied to %(count)d documents.",
                    len(outcome.applied),
                )
                % {"action": label, "count": len(outcome.applied)},
                messages.SUCCESS,
            )
        if outcome.refused:
            shown = [f"{document}: {reason}" for document, reason in outcome.refused[:REFUSALS_SHOWN]]
            more = len(outcome.refused) - len(shown)
            if more:
                shown.append(_("and %(count)d more") % {"count": more})
            self.message_user(
                request,
                ngettext(
                    "%(action)s: refused for %(count)d document: %(reasons)s",
                    "%(action)s: refused for %(count)d documents: %(reasons)s",
                    len(outcome.refused),
                )
                % {"action": label, "count": len(outcome.refused), "reasons": "; ".join(shown)},
                messages.WARNING,
            )
