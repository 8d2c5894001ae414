from django.urls import path

from apps.bj_enrollment.disclosure import views

app_name = "disclosure"
urlpatterns = [
    path("", views.index, name="index"),
    path("district/<str:code>/", views.district_page, name="district"),
    path("school/<str:code>/", views.school_page, name="school"),
    path("school/<str:code>.pdf", views.school_pdf, name="school_pdf"),
]
