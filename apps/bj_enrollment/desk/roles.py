"""Roles in the desk (Frappe's Role and Role Permissions Manager): a role's scope level, rank, what it
may do per DocType and which workflow actions it takes, on one page.

Who may configure what is decided in `roles.py` (a rank below one's own, a scope no broader, rights
one holds oneself); whether the workflows stay takeable, in `role_coverage.py`. Both are asked
before anything is written; the save goes through `services/roles.py` in the page's transaction.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from unfold.admin import ModelAdmin, TabularInline

from apps.bj_enrollment import roles
from apps.bj_enrollment.doctype.role import SCOPE_BREADTH, Role, RolePermission
from apps.bj_enrollment.role_coverage import unstaffed_actions
from apps.bj_enrollment.role_defaults import CITY_APPS, DEFAULT_ROLES
from apps.bj_enrollment.services import roles as role_service
from apps.lowcode.workflow.definitions import action_label
from apps.lowcode.workflow.models import Transition

CONFIGURABLE_APPS = (*CITY_APPS, "auth")
FLAG_PREFIXES = (*role_service.FLAGS, ("can_export", "export"))


def offered_transitions():
    return (
        Transition.objects.filter(workflow__is_active=True)
        .select_related("workflow")
        .prefetch_related("roles")
        .order_by("workflow__name", "position", "pk")
    )


class TransitionChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.workflow.name}: {obj.from_state} → {action_label(obj.action)} → {obj.to_state}"


class RoleForm(forms.ModelForm):
    workflow_actions = TransitionChoice(
        queryset=Transition.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("workflow actions"),
        help_text=gettext_lazy("The actions this role may take, on documents in its scope it may change."),
    )

    class Meta:
        model = Role
        fields = ("name", "description", "scope_level", "rank", "extra_permissions")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workflow_actions"].queryset = offered_transitions()
        if self.instance.pk:
            self.fields["workflow_actions"].initial = [
                t.pk for t in offered_transitions() if any(g.pk == self.instance.group_id for g in t.roles.all())
            ]

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        taken = Group.objects.filter(name=name)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.group_id)
        if taken.exists():
            raise ValidationError(_("A role or group named %(name)s already exists.") % {"name": name})
        return name

    def clean(self):
        data = super().clean()
        user = self.request.user
        if user.is_superuser:
            return data
        if "rank" in data and not roles.may_configure_role(user, data["rank"]):
            self.add_error("rank", _("You may only give a role a rank below your own (%(rank)s).")
                           % {"rank": roles.rank(user)})
        own = SCOPE_BREADTH.get(roles.scope_level(user) or "", 0)
        if SCOPE_BREADTH.get(data.get("scope_level", ""), 0) > own:
            self.add_error("scope_level", _("You may not give a role a broader scope than your own."))
        return data


class RolePermissionFormSet(BaseInlineFormSet):
    """Sees the whole submission: the rights one may hand out, and whether every workflow action
    still has a role that may take it."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        user = self.request.user
        rows = [f.cleaned_data for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        problems = []
        held = user.get_all_permissions()
        for row in rows:
            ct = row["document_type"]
            if len([r for r in rows if r["document_type"] == ct]) > 1:
                problems.append(_("%(type)s is listed twice.") % {"type": ct})
            for flag, prefix in FLAG_PREFIXES:
                if row.get(flag) and not user.is_superuser and f"{ct.app_label}.{prefix}_{ct.model}" not in held:
                    problems.append(_("You may not grant %(right)s on %(type)s: you do not hold it yourself.")
                                    % {"right": RolePermission._meta.get_field(flag).verbose_name, "type": ct})
        offered = {str(t.pk): t.pk for t in offered_transitions()}
        chosen = {offered[v] for v in self.data.getlist("workflow_actions") if v in offered}
        already = set(unstaffed_actions())  # reported by the system check; not this save's doing
        problems += [
            problem
            for problem in unstaffed_actions(
                group_id=self.instance.group_id,
                change_types={row["document_type"].pk for row in rows if row.get("can_change")},
                transition_ids=chosen,
            )
            if problem not in already
        ]
        if problems:
            raise ValidationError(list(dict.fromkeys(problems)))


class RolePermissionInline(TabularInline):
    model = RolePermission
    formset = RolePermissionFormSet
    extra = 0
    can_delete = False  # a right is taken away by clearing it: a missing row would be loaded again (role_defaults)
    fields = ("document_type", "can_read", "can_create", "can_change", "can_delete", "can_export")
    tab = True

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.request = request
        return formset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "document_type":
            kwargs["queryset"] = ContentType.objects.filter(app_label__in=CONFIGURABLE_APPS).order_by(
                "app_label", "model"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_add_permission(self, request, obj=None):
        return _may_edit(request, obj)

    def has_change_permission(self, request, obj=None):
        return _may_edit(request, obj)



def _may_edit(request, role) -> bool:
    return request.user.has_perm("bj_enrollment.change_role") and (
        role is None or request.user.is_superuser or roles.may_configure_role(request.user, role.rank)
    )


@admin.register(Role)
class RoleAdmin(ModelAdmin):
    form = RoleForm
    inlines = [RolePermissionInline]
    list_display = ("name", "scope_level", "rank", "description")
    search_fields = ("name",)
    actions = []
    filter_horizontal = ("extra_permissions",)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.request = request
        return form

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "extra_permissions":
            held = Permission.objects.select_related("content_type").filter(
                content_type__app_label__in=CONFIGURABLE_APPS
            )
            if not request.user.is_superuser:
                held = held.filter(pk__in=request.user.user_permissions.values("pk")) | held.filter(
                    group__user=request.user
                )
            kwargs["queryset"] = held.distinct()
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and _may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.name in DEFAULT_ROLES:
            return False  # a built-in role would come back at the next migrate: take its rights away instead
        return super().has_delete_permission(request, obj) and _may_edit(request, obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        role = form.instance
        role_service.apply_permissions(role)
        role_service.set_workflow_actions(role, form.cleaned_data["workflow_actions"], offered_transitions())

    def delete_view(self, request, object_id, extra_context=None):
        role = self.get_object(request, object_id)
        if request.method == "POST" and role is not None and self.has_delete_permission(request, role):
            already = set(unstaffed_actions())
            problems = [p for p in unstaffed_actions(group_id=role.group_id, deleted=True) if p not in already]
            if problems:
                for problem in problems:
                    self.message_user(request, problem, messages.ERROR)
                return redirect(reverse("admin:bj_enrollment_role_change", args=[role.pk]))
        return super().delete_view(request, object_id, extra_context)

    def delete_model(self, request, obj):
        role_service.delete_role(obj)
