"""Desk pages for R5 category claims: the district verifies or refuses a family's claim, in its scope,
with a reason the family reads; the decision itself is services/categories.decide."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from unfold.admin import TabularInline

from apps.bj_enrollment.desk.base import ScopedAdmin
from apps.bj_enrollment.models import CategoryClaim
from apps.bj_enrollment.services import categories
from apps.lowcode.history import HistoryAdmin

Status = CategoryClaim.Status


class DecisionForm(forms.ModelForm):
    decision = forms.ChoiceField(
        label=_("decision"), choices=[(Status.VERIFIED, _("Verify")), (Status.REFUSED, _("Refuse"))],
        widget=forms.RadioSelect,
    )

    class Meta:
        model = CategoryClaim
        fields = ("reason",)

    def clean(self):
        data = super().clean()
        if "decision" in data:  # the service's own check, asked before the save so it shows on the form
            categories.check_decision(self.instance, data["decision"] == Status.VERIFIED, data.get("reason", ""))
        return data


@admin.register(CategoryClaim)
class CategoryClaimAdmin(HistoryAdmin, ScopedAdmin):
    form = DecisionForm
    list_display = ("application", "category", "document_number", "status", "declared_at", "decided_at")
    list_filter = ("status", "category")
    list_select_related = ("application", "category")
    search_fields = ("=application__form_number", "=document_number")
    readonly_fields = ("application", "category", "document_number", "status", "reviewer", "declared_at", "decided_at")
    fields = (("application", "category"), "document_number", ("status", "declared_at"), "decision", "reason",
              ("reviewer", "decided_at"))

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        """Only a pending claim is decided; a decided one is read (its history says who and why)."""
        pending = obj is None or obj.status == Status.PENDING
        return pending and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        categories.decide(request.user, obj.pk, form.cleaned_data["decision"] == Status.VERIFIED, obj.reason)


class CategoryClaimInline(TabularInline):
    """The application's claims, read-only: they are decided on the claim's own page."""

    model = CategoryClaim
    extra = 0
    tab = True
    can_delete = False
    show_change_link = True
    fields = ("category", "document_number", "status", "reason", "reviewer", "decided_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False
