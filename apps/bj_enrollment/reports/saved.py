"""The enrollment DocTypes saved reports may read (apps/lowcode/reports), their allowed columns and
masks, scoped by `scope.restrict` like every desk list. Verification codes, accounts and raw ID
numbers or mobiles never leave through a report."""

from __future__ import annotations

from apps.bj_enrollment.models import Application, Child, School, SchoolPlan
from apps.bj_enrollment.scope import restrict
from apps.lowcode.masking import mask_id_number, mask_phone
from apps.lowcode.reports import registry


def _state_choices() -> list[tuple[str, str]]:
    """The application's states and their labels: the workflow's, once states are data (#14 item 1)."""
    try:
        from apps.lowcode.workflow.states import choices
    except ImportError:
        return list(Application._meta.get_field("state").flatchoices)
    return choices(Application)


def register() -> None:
    registry.register(
        Application,
        columns=[
            "form_number", "campaign", "child", "district", "school", "state", "hukou_category", "mobile",
            "residence_district", "residence_street", "housing_type", "single_guardian", "material_number",
            "registered_at", "details_confirmed_at",
        ],
        masks={"mobile": mask_phone},
        choices={"state": _state_choices},
        scope=restrict,
        personal=True,
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
    )
    registry.register(
        School,
        columns=["code", "name", "district", "street", "ownership", "offers_primary", "offers_junior", "address",
                 "phone", "active"],
        scope=restrict,
    )
    registry.register(SchoolPlan, columns=["campaign", "school", "seats"], scope=restrict)
