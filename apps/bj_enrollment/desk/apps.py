"""Unfold's app config, creating our desk site instead of Unfold's (Unfold swaps `admin.site` in its
`ready`, before the admin modules register their pages on it)."""

from django.contrib import admin
from django.contrib.admin import sites
from unfold.apps import DefaultAppConfig


class DeskThemeConfig(DefaultAppConfig):
    default = False

    def ready(self):
        from apps.bj_enrollment.desk.site import DeskSite

        site = DeskSite()
        admin.site = site
        sites.site = site
