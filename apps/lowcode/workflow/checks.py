"""System checks: what a model offers to conditions must exist, and (with `check --database`, and
at every `migrate`) every stored workflow must still be valid against the code it runs on, e.g.
after a field was renamed or a choice removed by a deploy, and must still have every action the
code takes by name, which an administrator may have renamed or deleted in the desk; an active
message template waiting for an action (`action:<name>`) the workflow no longer has is a warning,
since that message would silently never be sent."""

from collections.abc import Iterable

from django.apps import apps
from django.core.checks import Error, Tags, Warning, register

_required_actions: dict[str, tuple[str, ...]] = {}


def require_actions(model, actions: Iterable[str]) -> None:
    """Declare the actions the owning app's code takes on `model` by name (`lowcode_workflow.E003`)."""
    _required_actions[model._meta.label_lower] = tuple(actions)


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


def _readable(databases, model) -> list[str]:
    """The databases asked about whose rows of `model` can be read (migrated far enough)."""
    from apps.lowcode.schema import rows_checkable

    return [alias for alias in databases or () if rows_checkable(alias, model)]


@register(Tags.database)
def check_stored_workflows(app_configs=None, databases=None, **kwargs):
    from apps.lowcode.workflow import spec, validation
    from apps.lowcode.workflow.models import Workflow

    found = []
    for alias in _readable(databases, Workflow):
        for workflow in Workflow.objects.using(alias).select_related("document_type"):
            for problem in validation.problems(spec.from_workflow(workflow)):
                found.append(Error(f"Workflow {workflow.name!r}: {problem}", obj=workflow, id="lowcode_workflow.E002"))
    return found


@register(Tags.database)
def check_required_actions(app_configs=None, databases=None, **kwargs):
    """A workflow still exactly as its shipped file loaded it is left to the tests of that file: at an
    upgrade, `migrate` checks before it loads the new file, which brings the release's new actions."""
    from apps.lowcode.workflow import spec
    from apps.lowcode.workflow.models import Transition, Workflow

    found = []
    for alias in _readable(databases, Workflow):
        for label, actions in _required_actions.items():
            app_label, model_name = label.split(".")
            workflow = (
                Workflow.objects.using(alias)
                .filter(document_type__app_label=app_label, document_type__model=model_name, is_active=True)
                .first()
            )
            if (
                workflow
                and workflow.source
                and spec.fingerprint(spec.from_workflow(workflow)) == workflow.loaded_fingerprint
            ):
                continue
            if workflow is None and not Workflow.objects.using(alias).filter(
                document_type__app_label=app_label, document_type__model=model_name
            ).exists():
                continue  # a DocType new in this release: `migrate` is about to load its shipped file
            stored = set(Transition.objects.using(alias).filter(workflow=workflow).values_list("action", flat=True))
            where = f"the active workflow {workflow.name!r}" if workflow else "no active workflow"
            found.extend(
                Error(
                    f"The code takes the action {action!r} on {label}, but {where} has no such transition.",
                    hint="Restore the transition (or activate a workflow that has it) in the desk.",
                    obj=workflow,
                    id="lowcode_workflow.E003",
                )
                for action in actions
                if action not in stored
            )
    return found


@register(Tags.database)
def check_template_actions(app_configs=None, databases=None, **kwargs):
    from apps.lowcode.messaging.models import MessageTemplate
    from apps.lowcode.workflow.models import Transition

    found = []
    for alias in _readable(databases, MessageTemplate):
        templates = MessageTemplate.objects.using(alias).filter(active=True, event__startswith="action:")
        for template in templates.select_related("document_type"):
            action = template.event.removeprefix("action:")
            stored = Transition.objects.using(alias).filter(
                workflow__document_type=template.document_type, workflow__is_active=True, action=action
            )
            if not stored.exists():
                found.append(
                    Warning(
                        f"Message template {template.key!r} waits for the action {action!r}, which the active "
                        f"workflow of {template.document_type.app_label}.{template.document_type.model} lacks; "
                        "it is never sent.",
                        obj=template,
                        id="lowcode_workflow.W001",
                    )
                )
    return found
