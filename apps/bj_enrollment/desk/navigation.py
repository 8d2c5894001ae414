"""The desk sidebar grouped by the work people do, showing only what the user may open."""

import functools

from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils.translation import gettext_lazy as _

from apps.bj_enrollment.templatetags.desk_frame import Keyed

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


@functools.cache
def _entries(script_prefix: str) -> tuple:
    """Each group's items as (permission, title, icon, link), the links reversed once per process
    (and URL prefix): the sidebar is on every desk page, and building it afresh — a reverse, a model
    look-up and Unfold's deep copy and URL parsing per item — was 6 ms of each."""
    from django.apps import apps

    groups = []
    for title, entries in GROUPS:
        items = []
        for first, second, icon in entries:
            try:
                if first in PAGE_TITLES:  # a desk page of its own: (url name, permission, icon)
                    items.append((second, PAGE_TITLES[first], icon, reverse(first)))
                else:
                    model = apps.get_model(first, second)
                    link = reverse(f"admin:{first}_{second}_changelist")
                    items.append((f"{first}.view_{second}", model._meta.verbose_name_plural, icon, link))
            except (LookupError, NoReverseMatch):  # a model this site does not register
                continue
        groups.append((title, tuple(items)))
    return tuple(groups)


def sidebar(request):
    """The groups in Unfold's shape, with only the items the user may open; an item is active on its
    own pages (Unfold's rule: its path within the request's, the index aside). The list's key (which
    entries are shown, which is active) is what its template is rendered once per process for
    (templates/unfold/helpers/app_list.html): the titles, icons and links follow from it."""
    prefix, groups, shown = get_script_prefix(), [], []
    for group, (title, entries) in enumerate(_entries(prefix)):
        items = []
        for number, (permission, label, icon, link) in enumerate(entries):
            if request.user.has_perm(permission):
                active = link in request.path
                shown.append((group, number, active))
                # every key Unfold's template reads: a missing one costs the engine four exceptions and a dir()
                items.append({"title": label, "icon": icon, "link": link, "active": active, "has_permission": True,
                              "link_callback": None, "badge": None})
        if items:
            groups.append({"title": title, "separator": True, "collapsible": False, "items": items})
    return Keyed(groups, key=(prefix, tuple(shown)))
