"""The staff roles as Django groups (R25), with their permissions kept in sync on every migrate."""

from django.contrib.auth.models import Group, Permission

CITY_ADMIN = "市教委管理员"
DISTRICT_REVIEWER = "区教委审核员"
DISTRICT_ADMIN = "区教委管理员"
SCHOOL_REVIEWER = "学校审核员"

# The city administrator configures everything of the enrollment app and the low-code layer
# (append-only records refuse changes in their own desk pages, whatever the permission says).
CITY_APPS = (
    "bj_enrollment", "lowcode_workflow", "lowcode_customfields", "lowcode_printing", "lowcode_messaging",
    "lowcode_audit",  # who read whom: city administrators search it; the desk never edits it
    "lowcode_reports",  # saved reports: builds them, shares them with roles, changes anyone's
)
_REFERENCE = ("district", "street", "school", "servicezone", "campaign", "campaignwindow", "category")
_CASE = ("application", "child", "guardian", "property")

_DISTRICT = {
    *{("bj_enrollment", f"view_{m}") for m in (*_REFERENCE, *_CASE, "zonelookup", "lotteryentry", "registryexport")},
    *{
        ("bj_enrollment", f"{a}_{m}")
        for m in ("zonearea", "schoolplan")
        for a in ("add", "change", "delete", "view")
    },
    # Districts draw their own zones (R34), run their lotteries and release their disclosure (R28).
    *{
        ("bj_enrollment", f"{a}_{m}")
        for m in ("servicezone", "lotteryrun", "disclosurerelease")
        for a in ("add", "change", "view")
    },
    ("bj_enrollment", "change_application"),
    ("bj_enrollment", "register_on_behalf"),
    # R5: the district verifies or refuses the families' category claims
    ("bj_enrollment", "view_categoryclaim"),
    ("bj_enrollment", "change_categoryclaim"),
}

ROLE_PERMISSIONS: dict[str, set[tuple[str, str]]] = {
    CITY_ADMIN: {
        *{("auth", f"{a}_user") for a in ("add", "change", "view")},
        ("auth", "view_group"),
    },
    DISTRICT_REVIEWER: _DISTRICT,
    # A district reviewer who may also change final results (R24) and set the district's own dates
    # inside the city's (R1); scoped to the district like one.
    DISTRICT_ADMIN: _DISTRICT
    | {("bj_enrollment", f"{a}_campaignwindow") for a in ("add", "change", "delete")}
    | {("lowcode_reports", f"{a}_savedreport") for a in ("add", "change", "delete", "view")},  # their own reports
    SCHOOL_REVIEWER: {
        *{
            ("bj_enrollment", f"view_{m}")
            for m in ("school", "servicezone", "campaign", "campaignwindow", "schoolplan", "registryexport", *_CASE)
        },
        ("bj_enrollment", "change_application"),
    },
}


# Who may grant what (R25): a role grants only the roles below its own; superuser status and a
# superuser's account are the superuser's alone.
ROLE_RANK = {SCHOOL_REVIEWER: 1, DISTRICT_REVIEWER: 2, DISTRICT_ADMIN: 3, CITY_ADMIN: 4}


def rank(user) -> int:
    if user.is_superuser:
        return max(ROLE_RANK.values()) + 1
    names = getattr(user, "_role_names", None)
    if names is None:
        names = user._role_names = set(user.groups.values_list("name", flat=True))
    return max((ROLE_RANK.get(name, 0) for name in names), default=0)


def grantable_roles(user) -> list[str]:
    """The roles `user` may give to someone: those strictly below their own."""
    own = rank(user)
    return [name for name, value in ROLE_RANK.items() if value < own]


def may_manage(user, other) -> bool:
    """Whether `user` may change `other`'s account (details, password, roles, scope)."""
    if user.is_superuser:
        return True
    if other.is_superuser or other.pk == user.pk:
        return False
    return rank(other) < rank(user)


def sync_roles(using: str = "default") -> None:
    """Create the groups and set exactly their permissions; safe to run any number of times."""
    for role, wanted in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.using(using).get_or_create(name=role)
        perms = [
            Permission.objects.using(using).get(content_type__app_label=app, codename=codename)
            for app, codename in sorted(wanted)
        ]
        if role == CITY_ADMIN:
            perms += Permission.objects.using(using).filter(content_type__app_label__in=CITY_APPS)
        group.permissions.set(perms)


def sync_roles_after_migrate(sender, using="default", **kwargs) -> None:
    sync_roles(using)
