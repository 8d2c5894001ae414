"""What travels between sites (Frappe's "export customizations"): one list of model labels, each with
the fields naming a row on every site (its natural key; database ids differ between sites).

Every concrete, editable field of a listed model travels, so a field added to one of them travels
without a change here. `children` are rows edited as part of their parent (a workflow's states and
transitions): exported inside it and replaced with it. The list is in import order: a row comes
after the rows it names (roles before the workflows that grant them, workflows before the message
templates waiting for their actions). `hooks` adds a model's own rules beyond its `full_clean`.
Labels of apps not installed on a site are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps


@dataclass(frozen=True)
class Child:
    accessor: str  # the parent's reverse relation, e.g. "states"
    key: tuple[str, ...]  # natural key among the parent's children


@dataclass(frozen=True)
class Exportable:
    label: str  # "app_label.ModelName"
    key: tuple[str, ...]
    children: tuple[Child, ...] = ()
    hooks: str = ""  # module with before_write/after_write(obj, record, user) -> problems (the desk's rules)
    exclude: tuple[str, ...] = ()  # fields that belong to the site, not the configuration (a row's owner)
    superseded_by: str = ""  # a model label: when installed, it carries these rows (a group by its role)
    revalidate: bool = False  # its unchanged rows are checked again after the import (what they name may change)

    @property
    def model(self):
        return apps.get_model(self.label)


EXPORTABLE = (
    # Where roles are data (bj_enrollment.Role), a role's rows travel and write its group: name and
    # permissions (bj_enrollment/role_transfer.py); plain groups travel only on a site without them.
    Exportable("auth.Group", key=("name",), superseded_by="bj_enrollment.Role"),
    Exportable(
        "bj_enrollment.Role",
        key=("name",),
        children=(Child("doc_permissions", ("document_type",)),),
        hooks="apps.bj_enrollment.role_transfer",
    ),
    Exportable("bj_enrollment.Category", key=("code",)),
    Exportable("lowcode_customfields.CustomField", key=("document_type", "fieldname")),
    Exportable(
        "lowcode_workflow.Workflow",
        key=("name",),
        children=(Child("states", ("name",)), Child("transitions", ("from_state", "action"))),
        hooks="apps.lowcode.configuration.workflows",
    ),
    Exportable("lowcode_reports.SavedReport", key=("name",), exclude=("owner",)),
    Exportable("lowcode_printing.PrintFormat", key=("key",)),
    Exportable("lowcode_messaging.MessageTemplate", key=("key",), revalidate=True),  # its event may vanish
)


def _installed(label: str) -> bool:
    try:
        apps.get_model(label)
    except LookupError:
        return False
    return True


def installed() -> list[Exportable]:
    return [
        entry
        for entry in EXPORTABLE
        if _installed(entry.label) and not (entry.superseded_by and _installed(entry.superseded_by))
    ]


def by_label(label: str) -> Exportable | None:
    return next((e for e in installed() if e.model._meta.label_lower == label.lower()), None)


def for_model(model) -> Exportable | None:
    return next((e for e in installed() if e.model is model), None)
