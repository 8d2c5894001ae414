"""The desk sidebar grouped by the work people do, showing only what the user may open."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

GROUPS = [
    (
        _("Enrollment"),
        [
            ("bj_enrollment", "application", "assignment"),
            ("bj_enrollment", "child", "child_care"),
            ("bj_enrollment", "guardian", "family_restroom"),
            ("bj_enrollment", "property", "home"),
            ("bj_enrollment", "categoryclaim", "verified"),
            ("desk-on-behalf", "bj_enrollment.register_on_behalf", "person_add"),
            ("desk-statistics", "bj_enrollment.view_application", "bar_chart"),
            ("desk-reports", "bj_enrollment.view_application", "query_stats"),  # saved reports shared with me
            ("desk-registry-export", "bj_enrollment.view_registryexport", "output"),
            ("bj_enrollment", "registryexport", "receipt_long"),
            ("bj_enrollment", "disclosurerelease", "campaign"),
        ],
    ),
    (
        _("Schools and zones"),
        [
            ("bj_enrollment", "district", "location_city"),
            ("bj_enrollment", "street", "signpost"),
            ("bj_enrollment", "school", "school"),
            ("bj_enrollment", "servicezone", "map"),
            ("bj_enrollment", "zonearea", "format_list_bulleted"),
            ("bj_enrollment", "zonelookup", "manage_search"),
            ("bj_enrollment", "schoolplan", "event_seat"),
            ("bj_enrollment", "preferencesetting", "format_list_numbered"),  # 志愿 (R41)
            ("desk-preference-demand", "bj_enrollment.view_preferencelist", "leaderboard"),
            ("bj_enrollment", "lotteryrun", "casino"),
            ("bj_enrollment", "highschoolentry", "trending_up"),  # 升学 chances (R42)
            ("bj_enrollment", "privateapplication", "apartment"),  # 民办 applications (R43)
            ("bj_enrollment", "privateapplicationsetting", "tune"),
        ],
    ),
    (
        _("Campaigns"),
        [
            ("bj_enrollment", "campaign", "event"),
            ("bj_enrollment", "campaignwindow", "date_range"),
            ("bj_enrollment", "category", "label"),
            ("bj_enrollment", "documentrequirement", "folder_open"),
        ],
    ),
    (
        _("Configuration"),
        [
            ("lowcode_workflow", "workflow", "account_tree"),
            ("lowcode_workflow", "transitionrecord", "history"),
            ("lowcode_workflow", "bulktransition", "playlist_add_check"),
            ("lowcode_customfields", "customfield", "dynamic_form"),
            ("lowcode_reports", "savedreport", "tune"),
            ("lowcode_printing", "printformat", "print"),
            ("lowcode_printing", "printfailure", "error"),
            ("lowcode_messaging", "messagetemplate", "sms"),
            ("lowcode_messaging", "messagelog", "outbox"),
            ("lowcode", "outboxjob", "pending_actions"),  # superusers only (apps/lowcode/admin.py)
            ("lowcode_configuration", "configurationimport", "sync_alt"),  # export / import (city administrator)
        ],
    ),
    (
        _("Staff"),
        [
            ("auth", "user", "person"),
            ("bj_enrollment", "role", "badge"),
            ("lowcode_audit", "personaldataaccess", "visibility"),
        ],
    ),
]

PAGE_TITLES = {
    "desk-statistics": _("Statistics"),
    "desk-preference-demand": _("Preference demand"),
    "desk-reports": _("Reports"),
    "desk-registry-export": _("Student registry export"),
    "desk-on-behalf": _("Register on a family's behalf"),
}


def _item(request, first: str, second: str, icon: str) -> dict | None:
    from django.apps import apps

    if first in PAGE_TITLES:  # a desk page of its own: (url name, permission, icon)
        if not request.user.has_perm(second):
            return None
        return {"title": PAGE_TITLES[first], "icon": icon, "link": reverse(first)}
    if not request.user.has_perm(f"{first}.view_{second}"):
        return None
    try:
        model = apps.get_model(first, second)
        link = reverse(f"admin:{first}_{second}_changelist")
    except (LookupError, NoReverseMatch):  # a model this site does not register
        return None
    return {"title": model._meta.verbose_name_plural, "icon": icon, "link": link}


def sidebar(request):
    groups = []
    for title, entries in GROUPS:
        items = [item for entry in entries if (item := _item(request, *entry))]
        if items:
            groups.append({"title": title, "separator": True, "items": items})
    return groups
