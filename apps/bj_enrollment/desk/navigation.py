"""The desk sidebar grouped by the work people do, showing only what the user may open."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

GROUPS = [
    (
        _("Enrollment"),
        [
            ("bj_enrollment", "application", "assignment"),
            ("bj_enrollment", "child", "child_care"),
            ("bj_enrollment", "guardian", "family_restroom"),
            ("bj_enrollment", "property", "home"),
        ],
    ),
    (
        _("Schools and zones"),
        [
            ("bj_enrollment", "district", "location_city"),
            ("bj_enrollment", "street", "signpost"),
            ("bj_enrollment", "school", "school"),
            ("bj_enrollment", "servicezone", "map"),
        ],
    ),
    (
        _("Campaigns"),
        [
            ("bj_enrollment", "campaign", "event"),
            ("bj_enrollment", "campaignwindow", "date_range"),
            ("bj_enrollment", "category", "label"),
        ],
    ),
    (_("Staff"), [("auth", "user", "person"), ("auth", "group", "group")]),
]


def sidebar(request):
    from django.apps import apps

    groups = []
    for title, entries in GROUPS:
        items = []
        for app_label, model_name, icon in entries:
            if not request.user.has_perm(f"{app_label}.view_{model_name}"):
                continue
            model = apps.get_model(app_label, model_name)
            items.append(
                {
                    "title": model._meta.verbose_name_plural,
                    "icon": icon,
                    "link": reverse(f"admin:{app_label}_{model_name}_changelist"),
                }
            )
        if items:
            groups.append({"title": title, "separator": True, "items": items})
    return groups
