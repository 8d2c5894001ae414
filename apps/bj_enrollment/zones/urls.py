from django.urls import path

from apps.bj_enrollment.zones import views

app_name = "zones"
urlpatterns = [
    path("zones/", views.lookup_page, name="page"),
    path("api/v1/zones/lookup", views.lookup_api, name="api"),
]
