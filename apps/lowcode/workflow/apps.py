from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "apps.lowcode.workflow"
    label = "lowcode_workflow"
    verbose_name = _("Workflows")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

        from apps.lowcode.workflow import checks  # noqa: F401  (registers the system checks)
        from apps.lowcode.workflow.guard import forget_guarded_models, refuse_state_change_outside_engine
        from apps.lowcode.workflow.models import State, Transition, Workflow, changed, touch_parent

        # The engine is the only door to a document's state (see guard.py).
        pre_save.connect(refuse_state_change_outside_engine, dispatch_uid="workflow-state-guard")
        for signal in (post_save, post_delete):
            signal.connect(forget_guarded_models, sender=Workflow, dispatch_uid=f"workflow-guard-{signal is post_save}")

        # Any change to a workflow's rows gives it a new revision, so engines reload it; a workflow
        # saved (activated, deactivated) or deleted is looked up again by every process.
        for signal in (post_save, post_delete):
            signal.connect(changed, sender=Workflow, dispatch_uid=f"workflow-changed-{signal is post_save}")
        for model in (State, Transition):
            post_delete.connect(touch_parent, sender=model, dispatch_uid=f"workflow-touch-{model.__name__}")
        m2m_changed.connect(touch_parent, sender=State.edit_roles.through, dispatch_uid="workflow-touch-edit-roles")
        m2m_changed.connect(touch_parent, sender=Transition.roles.through, dispatch_uid="workflow-touch-roles")
