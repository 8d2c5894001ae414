from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from apps.bj_enrollment.api import v1
from apps.bj_enrollment.desk.on_behalf import on_behalf_view
from apps.bj_enrollment.desk.preferences import demand_view as preference_demand_view
from apps.bj_enrollment.desk.registry_export import registry_export_view
from apps.bj_enrollment.desk.statistics import statistics_view
from apps.bj_enrollment.disclosure.chances import chances_page
from apps.lowcode.export_views import export_download_view, export_progress_view
from apps.lowcode.reports.desk import urls as report_urls

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("", RedirectView.as_view(pattern_name="portal:start", permanent=False)),
    path("portal/junior/", include("apps.bj_enrollment.portal.junior_urls")),
    path("portal/", include("apps.bj_enrollment.portal.urls")),
    path("captcha/", include("captcha.urls")),
    path("disclosure/", include("apps.bj_enrollment.disclosure.urls")),
    path("chances/", chances_page, name="chances"),  # R42, public
    path("", include("apps.bj_enrollment.zones.urls")),
    path("api/v1/", v1.api.urls),
] + i18n_patterns(
    path("desk/statistics/", admin.site.admin_view(statistics_view), name="desk-statistics"),
    path("desk/preferences/demand/", admin.site.admin_view(preference_demand_view), name="desk-preference-demand"),
    path("desk/registry-export/", admin.site.admin_view(registry_export_view), name="desk-registry-export"),
    path("desk/register-on-behalf/", admin.site.admin_view(on_behalf_view), name="desk-on-behalf"),
    path("desk/exports/<str:key>/", admin.site.admin_view(export_progress_view), name="desk-export"),
    path("desk/exports/<str:key>/download/", admin.site.admin_view(export_download_view),
         name="desk-export-download"),
    path("desk/reports/", include(report_urls(admin.site))),
    path("desk/", admin.site.urls),
    prefix_default_language=False,
)
