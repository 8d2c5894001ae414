"""Application.state loses its choices: the active workflow's states are the allowed values.

Sites whose application workflow already exists get the shipped file's labels (where blank) and state
flags (printable, ended, portal step, …) on the states the file names, so the code that now reads
flags behaves as before even where an administrator edited the workflow (the loader then keeps their
copy and would not apply the new file). A workflow nobody edited stays "unedited" for the loader."""

import json
import uuid
from pathlib import Path

from django.db import migrations, models

FILE = Path(__file__).resolve().parent.parent / "workflows" / "application.json"


def flags_from_file(apps, schema_editor):
    from apps.lowcode.workflow import spec as specs

    Workflow = apps.get_model("lowcode_workflow", "Workflow")
    shipped = {s.name: s for s in specs.from_dict(json.loads(FILE.read_text())).states}
    workflows = Workflow.objects.filter(document_type__app_label="bj_enrollment", document_type__model="application")
    for workflow in workflows:
        unedited = specs.fingerprint(specs.from_workflow(workflow)) == workflow.loaded_fingerprint
        for state in workflow.states.filter(name__in=shipped):
            default = shipped[state.name]
            state.label = state.label or default.label
            for flag in specs.STATE_FLAGS:
                setattr(state, flag, getattr(default, flag))
            state.save()
        workflow.revision = uuid.uuid4()
        if unedited:
            workflow.loaded_fingerprint = specs.fingerprint(specs.from_workflow(workflow))
        workflow.save(update_fields=["revision", "loaded_fingerprint"])


class Migration(migrations.Migration):

    dependencies = [
        ("bj_enrollment", "0013_registry_answers"),
        ("lowcode_workflow", "0005_state_flags"),
    ]

    operations = [
        migrations.AlterField(
            model_name="application",
            name="state",
            field=models.CharField(default="registered", max_length=32, verbose_name="state"),
        ),
        migrations.AlterField(
            model_name="historicalapplication",
            name="state",
            field=models.CharField(default="registered", max_length=32, verbose_name="state"),
        ),
        migrations.RunPython(flags_from_file, migrations.RunPython.noop),
    ]
