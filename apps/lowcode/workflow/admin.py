"""Workflows in the desk: one page per workflow with its states and transitions as inlines.

The whole workflow is validated before anything is saved: the transitions' formset sees the complete
submission (header, states and transitions) and runs the same `validation.problems` as the loader
and the system check, so an unreachable state or a condition naming a missing field is reported on
the page, and nothing is written.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from unfold.admin import ModelAdmin, StackedInline, TabularInline

from apps.lowcode.readonly import ReadOnlyAdminMixin
from apps.lowcode.workflow import validation
from apps.lowcode.workflow.models import BulkTransition, State, Transition, TransitionRecord, Workflow
from apps.lowcode.workflow.spec import STATE_FLAGS, StateSpec, TransitionSpec, WorkflowSpec


def _flag(data, key: str) -> bool:
    return data.get(key) not in (None, "", "off", "false", "False")


def _groups(ids) -> tuple[str, ...]:
    ids = [i for i in ids if str(i).isascii() and str(i).isdigit()]
    return tuple(sorted(Group.objects.filter(pk__in=ids).values_list("name", flat=True)))


_FLAG_DEFAULTS = {flag: getattr(StateSpec, flag) for flag in STATE_FLAGS}


def _states_from(data) -> tuple[StateSpec, ...]:
    """The states as submitted (the sibling formset's raw fields; `states` is its prefix)."""
    states = []
    for i in range(int(data.get("states-TOTAL_FORMS") or 0)):
        key = f"states-{i}-"
        name = (data.get(key + "name") or "").strip()
        if not name or _flag(data, key + "DELETE"):
            continue
        states.append(
            StateSpec(
                name=name,
                label=(data.get(key + "label") or "").strip(),
                style=data.get(key + "style") or "",
                terminal=_flag(data, key + "terminal"),
                edit_roles=_groups(data.getlist(key + "edit_roles")),
                **{
                    flag: _flag(data, key + flag) if isinstance(default, bool) else (data.get(key + flag) or "").strip()
                    for flag, default in _FLAG_DEFAULTS.items()
                },
            )
        )
    return tuple(states)


class TransitionFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        data = self.data
        try:
            document_type = ContentType.objects.get(pk=data.get("document_type"))
        except (ContentType.DoesNotExist, ValueError):
            return  # the header form reports it
        transitions = tuple(
            TransitionSpec(
                from_state=form.cleaned_data["from_state"].strip(),
                action=form.cleaned_data["action"].strip(),
                to_state=form.cleaned_data["to_state"].strip(),
                roles=tuple(sorted(g.name for g in form.cleaned_data.get("roles", []))),
                allow_document_user=form.cleaned_data.get("allow_document_user", False),
                allow_system=form.cleaned_data.get("allow_system", False),
                condition=form.cleaned_data.get("condition", ""),
                reason_required=form.cleaned_data.get("reason_required", False),
                allow_self_approval=form.cleaned_data.get("allow_self_approval", True),
                reason_options=form.cleaned_data.get("reason_options", ""),
            )
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        )
        spec = WorkflowSpec(
            name=data.get("name", ""),
            document_type=f"{document_type.app_label}.{document_type.model}",
            initial_state=(data.get("initial_state") or "").strip(),
            state_field=(data.get("state_field") or "").strip(),
            user_field=(data.get("user_field") or "").strip(),
            is_active=_flag(data, "is_active"),
            states=_states_from(data),
            transitions=transitions,
        )
        problems = validation.problems(spec)
        if self.instance.pk is not None and (spec.is_active or self.instance.is_active):
            problems += validation.retirement_problems(self.instance, {s.name for s in spec.states})
        if problems:
            raise ValidationError(problems)


class StateInline(StackedInline):
    """Each state with its flags: what the family sees (label, step, outcome) and what the code
    does with documents in it (printable, ended, takes a seat, review). Stored value changes or
    deletions of a state documents are in are refused at save (validation.retirement_problems)."""

    model = State
    extra = 0
    fields = (
        ("name", "label", "style", "position"),
        ("terminal", "edit_roles"),
        ("parent_label", "parent_hint"),
        ("step_title", "portal_step", "outcome"),
        ("printable", "ended", "takes_seat", "review", "review_decision"),
    )
    filter_horizontal = ("edit_roles",)
    tab = True


class TransitionInline(TabularInline):
    model = Transition
    formset = TransitionFormSet
    extra = 0
    fields = (
        "from_state", "action", "to_state", "roles", "allow_document_user", "allow_system", "condition",
        "reason_required", "reason_options", "allow_self_approval", "position",
    )
    filter_horizontal = ("roles",)
    tab = True


@admin.register(Workflow)
class WorkflowAdmin(ModelAdmin):
    list_display = ("name", "document_type", "initial_state", "is_active", "source", "updated_at")
    list_filter = ("is_active", "document_type")
    search_fields = ("name",)
    fields = ("name", "document_type", ("state_field", "user_field"), "initial_state", "is_active", "source")
    readonly_fields = ("source",)
    inlines = [StateInline, TransitionInline]


@admin.register(TransitionRecord)
class TransitionRecordAdmin(ReadOnlyAdminMixin, ModelAdmin):
    """Append-only: what happened to documents, for audits; nobody adds, edits or deletes here."""

    list_display = ("created_at", "content_type", "object_id", "action", "from_state", "to_state", "user", "reason")
    list_filter = ("workflow", "action", "to_state")
    list_select_related = ("content_type", "user")
    search_fields = ("=object_id", "action")
    date_hierarchy = "created_at"
    show_full_result_count = False

    def get_actions(self, request):
        return {}


@admin.register(BulkTransition)
class BulkTransitionAdmin(ReadOnlyAdminMixin, ModelAdmin):
    """Batches run by the worker; each user sees their own (a superuser all), as on the progress page."""

    list_display = ("action", "content_type", "requested_by", "total", "applied", "done", "state", "created_at")
    list_filter = ("state",)
    exclude = ("object_ids",)

    def get_queryset(self, request):
        batches = super().get_queryset(request)
        return batches if request.user.is_superuser else batches.filter(requested_by=request.user)
