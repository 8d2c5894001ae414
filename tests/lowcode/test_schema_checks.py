"""An upgrade must migrate: `migrate` runs the database checks before it adds a release's new columns,
so the checks that read stored rows wait for the schema."""

import pytest
from django.core.management import call_command

from apps.lowcode.workflow.spec import fingerprint, from_dict


@pytest.mark.django_db(transaction=True)
def test_checks_wait_for_pending_migrations():
    call_command("migrate", "lowcode_workflow", "0001", verbosity=0)  # as before the reason presets
    try:
        call_command("check", "--database", "default")  # reading Transition would need the new column
        call_command("migrate", verbosity=0)
    finally:
        call_command("migrate", verbosity=0)


def test_a_new_setting_at_its_default_does_not_make_a_stored_workflow_look_edited():
    base = {"name": "w", "document_type": "a.b", "initial_state": "x", "states": [{"name": "x"}],
            "transitions": [{"from_state": "x", "action": "Go", "to_state": "x"}]}
    with_default = {**base, "transitions": [{**base["transitions"][0], "reason_options": []}]}
    with_value = {**base, "transitions": [{**base["transitions"][0], "reason_options": ["甲"]}]}
    assert fingerprint(from_dict(base)) == fingerprint(from_dict(with_default))
    assert fingerprint(from_dict(base)) != fingerprint(from_dict(with_value))
