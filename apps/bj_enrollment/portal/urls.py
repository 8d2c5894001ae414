from django.urls import path

from apps.bj_enrollment.portal import documents, views

app_name = "portal"
urlpatterns = [
    path("", views.start, name="start"),
    path("register/", views.registration, name="register"),
    path("privacy/", views.privacy, name="privacy"),
    path("registered/", views.registered, name="registered"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("home/", views.home, name="home"),
    path("details/", views.details_view, name="details"),
    path("details/confirm/", views.confirm_details, name="confirm_details"),
    path("details/withdraw/", views.withdraw_details, name="withdraw"),
    path("details/category/", views.declare_category, name="declare_category"),
    path("form.pdf", views.print_form, name="print"),
    path("documents/", documents.documents_page, name="documents"),
    path("documents/upload/", documents.upload, name="document_upload"),
    path("documents/<int:document_id>/", documents.document_file, name="document_file"),
    path("documents/<int:document_id>/remove/", documents.remove, name="document_remove"),
    path("password/forgot/", views.forgot_password, name="forgot_password"),
    path("password/change/", views.change_password, name="change_password"),
    path("cancel/", views.cancel_account, name="cancel"),
]
