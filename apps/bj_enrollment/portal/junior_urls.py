from django.urls import path

from apps.bj_enrollment.portal import junior, junior_preferences, junior_private

app_name = "portal-junior"
urlpatterns = [
    path("", junior.home, name="home"),
    path("login/", junior.login_view, name="login"),
    path("logout/", junior.logout_view, name="logout"),
    path("confirm/", junior.confirm, name="confirm"),
    path("correction/", junior.correction, name="correction"),
    path("confirmation.pdf", junior.print_sheet, name="print"),
    path("private/", junior_private.private_page, name="private"),  # 民办学校报名 (R43)
    path("preferences/", junior_preferences.preferences_page, name="preferences"),  # 志愿 (R41)
]
