"""Row-level scope (Frappe's User Permissions), defined once and used by querysets and object checks.

A scoped DocType declares `scope_paths`: the lookup from its rows to a district id and a school id.
Reference data without `scope_paths` (districts, campaigns, categories) is visible to all staff; a
school's user sees nothing of a DocType without a "school" path. tests/bj_enrollment/test_scope_matrix.py
holds every scoped desk DocType to this.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Model, Q, QuerySet

from apps.bj_enrollment import access, roles


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    district_id: int | None = None
    school_id: int | None = None


NOTHING = Scope()


def scope_of(user) -> Scope:
    cached = getattr(user, "_bj_scope", None)
    if cached is not None:
        return cached
    scope = _compute_scope(user)
    if getattr(user, "is_authenticated", False):
        user._bj_scope = scope
    return scope


def _compute_scope(user) -> Scope:
    if not getattr(user, "is_authenticated", False) or not user.is_active or not user.is_staff:
        return NOTHING
    level = roles.scope_level(user)  # the broadest of the user's roles (doctype/role.py)
    if user.is_superuser or level == "city":
        return Scope(everything=True)
    row = access.of(user).staff_scope  # the StaffScope row: district, school, the school's district
    if row is None:
        return NOTHING
    district_id, school_id, school_district_id = row
    if school_id:
        return Scope(district_id=school_district_id, school_id=school_id)
    if level == "school":
        return NOTHING  # a school-level role sees a school, never a whole district
    return Scope(district_id=district_id)


def restrict(queryset: QuerySet, user) -> QuerySet:
    """The part of `queryset` the user may see."""
    paths = getattr(queryset.model, "scope_paths", None)
    scope = scope_of(user)
    if paths is None or scope.everything:
        return queryset
    if scope.school_id:
        # A school's user sees its school's rows; a DocType without a school path holds a district's
        # rows (claims, lotteries, twins, look-ups), never a school's (R25).
        return _filter(queryset, paths["school"], scope.school_id) if "school" in paths else queryset.none()
    if scope.district_id and "district" in paths:
        return _filter(queryset, paths["district"], scope.district_id)
    return queryset.none()


def _filter(queryset: QuerySet, paths: str | tuple[str, ...], value: int) -> QuerySet:
    """Rows reached by any of the paths (a school's applications: its own, and the families that
    walked in with their form, R23)."""
    paths = (paths,) if isinstance(paths, str) else paths
    if len(paths) == 1 and not _crosses_to_many(queryset.model, paths[0]):
        return queryset.filter(**{paths[0]: value})
    # A join across a to-many relation would repeat rows; a subquery per path keeps one row per object.
    model = queryset.model._default_manager
    direct = [p for p in paths if not _crosses_to_many(queryset.model, p)]
    condition = Q()
    for path in direct:
        condition |= Q(**{path: value})
    for path in paths:
        if path not in direct:
            condition |= Q(pk__in=model.filter(**{path: value}).values("pk"))
    return queryset.filter(condition)


def _crosses_to_many(model, path: str) -> bool:
    for part in path.split("__")[:-1]:
        field = model._meta.get_field(part)
        if field.one_to_many or field.many_to_many:
            return True
        model = field.related_model
    return False


def in_scope(user, obj: Model) -> bool:
    return restrict(type(obj)._default_manager.filter(pk=obj.pk), user).exists()


def may_change(user, obj: Model) -> bool:
    """Scope for changing or deleting: in scope, unless the DocType keeps the row read-only for this
    user's scope (`read_only_in_scope(obj, scope)`, e.g. a graduating school after its graduate moved
    to another district by transfer: it still reads the student, it no longer changes it)."""
    if not in_scope(user, obj):
        return False
    read_only = getattr(type(obj), "read_only_in_scope", None)
    return read_only is None or not read_only(obj, scope_of(user))
