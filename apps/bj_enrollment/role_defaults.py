"""The built-in roles (R25), loaded once: after that they are the administrators' to change.

At every migrate the loader only adds what was never there: a built-in role that does not exist yet,
and a built-in role's permission row for a DocType it has no row for (a DocType a release adds;
the city administrator gets every DocType of the configurable apps). An existing row, however an
administrator edited it, is left as it is, so nothing is reset. Built-in roles cannot be deleted in
the desk (they would come back at the next migrate); an administrator takes their rights away instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType

from apps.bj_enrollment.doctype.role import Role, RolePermission, ScopeLevel
from apps.bj_enrollment.roles import CITY_ADMIN, DISTRICT_ADMIN, DISTRICT_REVIEWER, SCHOOL_REVIEWER
from apps.bj_enrollment.services.roles import apply_permissions

# Every DocType of these apps is the city administrator's (append-only records refuse changes in
# their own desk pages, whatever the permission says).
CITY_APPS = (
    "bj_enrollment", "lowcode_workflow", "lowcode_customfields", "lowcode_printing", "lowcode_messaging",
    "lowcode_audit",  # who read whom: city administrators search it; the desk never edits it
    "lowcode_configuration",  # export and import the configuration (its import records' permissions)
    "lowcode_reports",  # saved reports
)
READ, CREATE, CHANGE, DELETE, EXPORT = "r", "c", "w", "d", "x"
ALL = "rcwdx"


@dataclass(frozen=True)
class DefaultRole:
    scope_level: str
    rank: int
    doc_permissions: dict[str, str]  # "app_label.model" → flags, e.g. "rx"
    extra: tuple[str, ...] = ()  # "app_label.codename"
    every_doctype_of: tuple[str, ...] = field(default=())


def _each(models, flags: str) -> dict[str, str]:
    return {f"bj_enrollment.{m}": flags for m in models}


_REFERENCE = ("district", "street", "school", "servicezone", "campaign", "campaignwindow", "category")
_CASE = ("application", "child", "guardian", "property")
_DISTRICT = {
    **_each((*_REFERENCE, *_CASE, "zonelookup", "lotteryentry", "registryexport", "categoryclaim"), "rx"),
    **_each(("zonearea", "schoolplan"), "rcwdx"),
    # Districts draw their own zones (R34), run their lotteries and release their disclosure (R28).
    **_each(("servicezone", "lotteryrun", "disclosurerelease"), "rcwx"),
    "bj_enrollment.multiplebirthgroup": "rcd",  # binds twins for the lottery (docs/lottery.md §14)
    # 志愿 (R41): reads the setting and the lists (the demand page); its administrators set the setting
    **_each(("preferencesetting", "preferencelist", "preference"), "rx"),
    **_each(("application", "categoryclaim"), "rwx"),  # R5: the district verifies category claims
    # Junior high (R37-R41): the district reviews its students; feeder pairs are its administrators'
    **_each(("student", "studentguardian"), "rwx"),
    "bj_enrollment.feederpair": "rx",
    "bj_enrollment.transfer": "rwx",  # R39: decides transfers out of and into the district
    "bj_enrollment.newarrival": "rcx",  # R40: registers and reviews new arrivals
    "bj_enrollment.privateapplication": "rx",  # R43: its students' private-school applications
}

DEFAULT_ROLES: dict[str, DefaultRole] = {
    CITY_ADMIN: DefaultRole(
        ScopeLevel.CITY, 4, {"auth.user": "rcw"},
        extra=("auth.view_group", "lowcode_reports.manage_all_savedreports"),  # changes anyone's saved report
        every_doctype_of=CITY_APPS,
    ),
    DISTRICT_REVIEWER: DefaultRole(ScopeLevel.DISTRICT, 2, _DISTRICT, extra=("bj_enrollment.register_on_behalf",)),
    # A district reviewer who may also change final results (R24) and set the district's own dates
    # inside the city's (R1); scoped to the district like one.
    DISTRICT_ADMIN: DefaultRole(
        ScopeLevel.DISTRICT, 3,
        # the district's own dates inside the city's (R1) and the documents it asks its families for (R20)
        {**_DISTRICT, "bj_enrollment.campaignwindow": "rcwdx", "bj_enrollment.documentrequirement": "rcwd",
         "lowcode_reports.savedreport": "rcwd",  # builds and shares its own saved reports
         "bj_enrollment.feederpair": "rcwdx",  # 对口直升: which primary schools feed which junior highs
         "bj_enrollment.preferencesetting": "rcwdx"},  # 志愿: how many choices, which schools (R41)
        extra=("bj_enrollment.register_on_behalf",),
    ),
    SCHOOL_REVIEWER: DefaultRole(
        ScopeLevel.SCHOOL, 1,
        {
            **_each(("school", "servicezone", "campaign", "campaignwindow", "schoolplan", "registryexport", *_CASE),
                    "rx"),
            "bj_enrollment.application": "rwx",
            **_each(("preferencelist", "preference"), "r"),  # 志愿 (R41): the demand for the school
            # the graduating school corrects its graduates' data (R38)
            **_each(("student", "studentguardian"), "rwx"),
            "bj_enrollment.feederpair": "rx",
            "bj_enrollment.transfer": "rcx",  # R39: the graduating school files its graduates' transfers
            "bj_enrollment.privateapplication": "rx",  # R43: a private school sees its applicants
        },
    ),
}


def _doc_permissions(default: DefaultRole, using: str) -> dict[int, str]:
    types = ContentType.objects.using(using)
    wanted: dict[int, str] = {}
    for ct in types.filter(app_label__in=default.every_doctype_of):
        wanted[ct.pk] = ALL
    for label, flags in default.doc_permissions.items():
        app_label, model = label.split(".")
        ct = types.filter(app_label=app_label, model=model).first()
        if ct is not None:
            wanted[ct.pk] = flags
    return wanted


def load_default_roles(using: str = "default") -> list[str]:
    """Add the built-in roles and rows never loaded; returns the names of the roles it added to."""
    touched = []
    for name, default in DEFAULT_ROLES.items():
        role = Role.objects.using(using).filter(name=name).first()
        added = False
        if role is None:
            role = Role(name=name, scope_level=default.scope_level, rank=default.rank)
            role.save(using=using)
            extra = [
                Permission.objects.using(using).filter(content_type__app_label=app, codename=codename).first()
                for app, codename in (e.split(".") for e in default.extra)
            ]
            role.extra_permissions.set([p for p in extra if p is not None])
            added = True
        present = set(RolePermission.objects.using(using).filter(role=role).values_list("document_type_id", flat=True))
        missing = [
            RolePermission(
                role=role, document_type_id=ct, can_read=READ in flags, can_create=CREATE in flags,
                can_change=CHANGE in flags, can_delete=DELETE in flags, can_export=EXPORT in flags,
            )
            for ct, flags in _doc_permissions(default, using).items()
            if ct not in present
        ]
        if missing:
            RolePermission.objects.using(using).bulk_create(missing)
            added = True
        if added:
            apply_permissions(role, using)
            touched.append(name)
    return touched
