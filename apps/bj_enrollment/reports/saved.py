"""The enrollment DocTypes saved reports may read (apps/lowcode/reports), their allowed columns and
masks, scoped by `scope.restrict` like every desk list. Verification codes, accounts and raw ID
numbers or mobiles never leave through a report."""

from __future__ import annotations

from apps.bj_enrollment.models import Application, Child, School, SchoolPlan
from apps.bj_enrollment.scope import restrict
from apps.lowcode.masking import mask_id_number, mask_phone
from apps.lowcode.reports import registry


def _may_export(user, model) -> bool:
    """The desk's export gate per DocType, once roles carry an export right (#14 item 2); until then
    whoever may run a report may export it."""
    from apps.bj_enrollment import roles

    gate = getattr(roles, "may_export", None)
    return gate(user, model) if gate is not None else True


def register() -> None:
    registry.register(
        Application,
        columns=[
            "form_number", "campaign", "child", "district", "school", "state", "hukou_category", "mobile",
            "residence_district", "residence_street", "housing_type", "single_guardian", "material_number",
            "registered_at", "details_confirmed_at",
        ],
        masks={"mobile": mask_phone},
        scope=restrict,
        personal=True,
        may_export=_may_export,
    )
    registry.register(
        Child,
        columns=[
            "name", "gender", "birth_date", "id_type", "id_number", "nationality", "ethnicity", "hukou_province",
            "hukou_district",
        ],
        masks={"id_number": mask_id_number},
        scope=restrict,
        personal=True,
        may_export=_may_export,
    )
    registry.register(
        School,
        columns=["code", "name", "district", "street", "ownership", "offers_primary", "offers_junior", "address",
                 "phone", "active"],
        scope=restrict,
        may_export=_may_export,
    )
    registry.register(SchoolPlan, columns=["campaign", "school", "seats"], scope=restrict, may_export=_may_export)
