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
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from unfold.widgets import UnfoldAdminSelectWidget, UnfoldAdminTextareaWidget

from apps.lowcode.workflow import engine
from apps.lowcode.workflow.definitions import action_label, definition_for
from apps.lowcode.workflow.errors import WorkflowError

BULK_LIMIT = 1000
REFUSALS_SHOWN = 10


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
        name = f"{self.opts.app_label}_{self.opts.model_name}_workflow_action"
        own = [path("<path:object_id>/workflow/", self.admin_site.admin_view(self.workflow_action_view), name=name)]
        return own + super().get_urls()

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
        selected = list(queryset[: BULK_LIMIT + 1])
        if len(selected) > BULK_LIMIT:
            self.message_user(
                request,
                _("Select at most %(limit)d documents at a time; narrow the list with the filters.")
                % {"limit": BULK_LIMIT},
                messages.WARNING,
            )
            return None
        if form.is_bound and form.is_valid():
            outcome = engine.apply_action_to_each(
                request.user, selected, form.cleaned_data["workflow_action"], form.cleaned_data["reason"]
            )
            self._report(request, form.cleaned_data["workflow_action"], outcome)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Apply a workflow action"),
            "opts": self.opts,
            "form": form,
            "documents": selected,
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
