"""The workflow's change page in the desk as a browser posts it, for the tests that save a workflow
there (the desk's inline formsets of states and transitions)."""

from apps.lowcode.workflow.spec import STATE_FLAGS


def workflow_form(workflow, **overrides) -> dict:
    """The workflow's desk page as the browser posts it back: every state with its flags, every
    transition with its options, and `overrides` (field name → value) on top."""
    data = {
        "name": workflow.name,
        "document_type": workflow.document_type_id,
        "state_field": workflow.state_field,
        "user_field": workflow.user_field,
        "initial_state": workflow.initial_state,
        "is_active": "on",
    }
    rows = {"states": list(workflow.states.all()), "transitions": list(workflow.transitions.all())}
    for prefix, items in rows.items():
        data.update({f"{prefix}-TOTAL_FORMS": len(items), f"{prefix}-INITIAL_FORMS": len(items),
                     f"{prefix}-MIN_NUM_FORMS": 0, f"{prefix}-MAX_NUM_FORMS": 1000})
    for i, s in enumerate(rows["states"]):
        row = {"id": s.pk, "workflow": workflow.pk, "name": s.name, "label": s.label, "style": s.style,
               "position": s.position, "edit_roles": [g.pk for g in s.edit_roles.all()]}
        for flag in ("terminal", *STATE_FLAGS):
            value = getattr(s, flag)
            if value is True:
                row[flag] = "on"
            elif value:
                row[flag] = value
        data.update({f"states-{i}-{k}": v for k, v in row.items()})
    for i, t in enumerate(rows["transitions"]):
        row = {"id": t.pk, "workflow": workflow.pk, "from_state": t.from_state, "action": t.action,
               "to_state": t.to_state, "condition": t.condition, "position": t.position,
               "reason_options": t.reason_options, "roles": [g.pk for g in t.roles.all()]}
        for flag in ("allow_document_user", "allow_system", "reason_required", "allow_self_approval"):
            if getattr(t, flag):
                row[flag] = "on"
        data.update({f"transitions-{i}-{k}": v for k, v in row.items()})
    data.update(overrides)
    return data
