from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class PrivateApplicationSetting(models.Model):
    """R43: how many private junior highs one student may apply to in a junior-high campaign (one when
    the city sets nothing)."""

    campaign = models.OneToOneField(
        "bj_enrollment.Campaign", models.CASCADE, related_name="private_application_setting",
        verbose_name=_("campaign"),
    )
    max_choices = models.PositiveSmallIntegerField(_("private schools per student"), default=1)

    class Meta:
        verbose_name = _("private-school application setting")
        verbose_name_plural = _("private-school application settings")

    def __str__(self):
        return str(self.campaign)


class PrivateApplication(models.Model):
    """R43 (seed 002): a family's application to a private junior high, made in the private-school window
    after confirming the graduate data, changed or withdrawn until the window closes (services/
    private_applications.py). Over the plan the school admits by the verifiable lottery (公民同招); a
    student it does not admit continues on the public route."""

    class State(models.TextChoices):
        APPLIED = "applied", _("Applied")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        ADMITTED = "admitted", _("Admitted")
        NOT_ADMITTED = "not_admitted", _("Not admitted (continues on the public route)")

    student = models.ForeignKey(
        "bj_enrollment.Student", models.PROTECT, related_name="private_applications", verbose_name=_("student")
    )
    school = models.ForeignKey(
        "bj_enrollment.School", models.PROTECT, related_name="private_applications",
        verbose_name=_("private school"),
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.APPLIED)
    created_at = models.DateTimeField(_("applied at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    # the private school sees its applicants; the student's district sees its students' applications
    scope_paths = {"district": ("student__district_id", "school__district_id"), "school": "school_id"}

    class Meta:
        verbose_name = _("private-school application")
        verbose_name_plural = _("private-school applications")
        ordering = ["school", "created_at"]
        indexes = [models.Index(fields=["school", "state"], name="private_application_school")]

    def __str__(self):
        return f"{self.student} → {self.school}"
