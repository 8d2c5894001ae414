"""System checks: what a model offers to conditions must exist, and (with `check --database`)
every stored workflow must still be valid against the code it runs on, e.g. after a field was
renamed or a choice removed by a deploy."""

from django.apps import apps
from django.core.checks import Error, Tags, register


@register()
def check_condition_attributes(app_configs=None, **kwargs):
    found = []
    for model in apps.get_models():
        for name in getattr(model, "workflow_condition_attributes", ()):
            if not hasattr(model, name):
                found.append(
                    Error(
                        f"{model._meta.label}.workflow_condition_attributes names {name!r}, which the model lacks.",
                        obj=model,
                        id="lowcode_workflow.E001",
                    )
                )
    return found


@register(Tags.database)
def check_stored_workflows(app_configs=None, databases=None, **kwargs):
    if not databases:
        return []
    from apps.lowcode.schema import rows_checkable
    from apps.lowcode.workflow import spec, validation
    from apps.lowcode.workflow.models import Workflow

    found = []
    for alias in databases:
        if not rows_checkable(alias, Workflow):
            continue
        for workflow in Workflow.objects.using(alias).select_related("document_type"):
            for problem in validation.problems(spec.from_workflow(workflow)):
                found.append(Error(f"Workflow {workflow.name!r}: {problem}", obj=workflow, id="lowcode_workflow.E002"))
    return found
