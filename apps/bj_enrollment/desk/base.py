from django.contrib.admin import RelatedFieldListFilter
from django.core.exceptions import PermissionDenied
from django.db.models import JSONField
from unfold.admin import ModelAdmin
from unfold.contrib.filters.admin import RelatedDropdownFilter
from unfold.paginator import InfinitePaginator

from apps.bj_enrollment.desk import filter_choices
from apps.bj_enrollment.desk.export import export_csv, export_xlsx
from apps.bj_enrollment.roles import may_export
from apps.bj_enrollment.scope import in_scope, may_change, restrict, scope_of
from apps.lowcode.desk_search import KeyedSearchMixin
from apps.lowcode.filter_widgets import DROPDOWN_TEMPLATE, Dropdown


class ScopedAdmin(KeyedSearchMixin, ModelAdmin):
    """Every list, change page, search, autocomplete, filter, action and export goes through
    `get_queryset`, and every object check through `in_scope`: one scope definition for both.
    Search terms are posted and kept out of URLs (KeyedSearchMixin)."""

    actions = [export_xlsx, export_csv]
    export_columns: list[tuple[str, object]] = []  # (header, attribute or callable)

    def get_queryset(self, request):
        return restrict(super().get_queryset(request), request.user)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and (obj is None or in_scope(request.user, obj))

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or may_change(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or may_change(request.user, obj))

    def has_export_permission(self, request):
        """Offers the export actions; the actions ask the same gate themselves."""
        return may_export(request.user, self.model)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = restrict(db_field.related_model._default_manager.all(), request.user)
        scope = scope_of(request.user)
        if db_field.related_model._meta.label == "bj_enrollment.District" and not scope.everything:
            related = related.filter(pk=scope.district_id)  # a district's records name no other district
        kwargs.setdefault("queryset", related)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        """The saved row must still be in the user's scope; the desk's transaction undoes it otherwise."""
        super().save_model(request, obj, form, change)
        if getattr(type(obj), "scope_paths", None) and not in_scope(request.user, obj):
            raise PermissionDenied

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("queryset", restrict(db_field.related_model._default_manager.all(), request.user))
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class LargeTableAdmin(ScopedAdmin):
    """Lists over hundreds of thousands of rows: no COUNT(*) on page views."""

    paginator = InfinitePaginator
    show_full_result_count = False
    list_per_page = 50


class ScopedRelatedFilter(RelatedDropdownFilter):
    """Offers only the related rows in the user's scope, without scanning the filtered table."""

    form_class = Dropdown
    template = DROPDOWN_TEMPLATE

    def field_choices(self, field, request, model_admin):
        """(pk, str) of each row, read with the column most related rows are labelled by (`name`: districts,
        schools, campaigns), else with all but the JSON ones (custom values). A label that read another
        column would load it row by row; tests/bj_enrollment/reviewer/test_list_filters.py checks one query."""
        ordering = self.field_admin_ordering(field, request, model_admin)
        model = field.related_model
        manager = model._default_manager
        columns = {f.name for f in model._meta.concrete_fields}
        related = manager.only("name") if "name" in columns else manager.defer(*_json_columns(model))
        return filter_choices.choices(related, ordering, request.user)  # kept per scope between requests


def _json_columns(model) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if isinstance(f, JSONField)]


__all__ = ["LargeTableAdmin", "RelatedFieldListFilter", "ScopedAdmin", "ScopedRelatedFilter"]
