from django.urls import path

from apps.bj_enrollment.disclosure import lottery, views

app_name = "disclosure"
urlpatterns = [
    path("", views.index, name="index"),
    path("district/<str:code>/", views.district_page, name="district"),
    path("school/<str:code>/", views.school_page, name="school"),
    path("school/<str:code>.pdf", views.school_pdf, name="school_pdf"),
    # the public lottery page (docs/lottery.md §2, §14): commitments, files, verifier, a family's result
    path("lottery/", lottery.lottery_page, name="lottery"),
    path("lottery/result/", lottery.lottery_lookup, name="lottery_lookup"),
    path("lottery/verify_lottery.py", lottery.verifier, name="lottery_verifier"),
    path("lottery/<int:run_id>/<str:name>", lottery.lottery_file, name="lottery_file"),
]
