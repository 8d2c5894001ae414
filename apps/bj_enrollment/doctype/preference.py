"""Preferences (志愿, R41): what a district lets its students list, and each student's ranked schools.

A student has at most two lists: the draft the family is editing and the list it last confirmed with
an SMS code. The lottery reads only the confirmed list, copied into the run's input when the input is
committed (lottery/student_inputs.py), so a later change never alters a committed draw. The rules for
saving and confirming live in services/preferences.py.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.bj_enrollment.choices import ConfirmationMethod, Level, Ownership


def _through_student(prefix: str) -> dict:
    """The student's own scope paths, reached through `prefix` (one definition: the Student's)."""
    from apps.bj_enrollment.doctype.student import Student

    def paths(value):
        return tuple(prefix + p for p in ((value,) if isinstance(value, str) else value))

    return {key: paths(value) for key, value in Student.scope_paths.items()}


class PreferenceSetting(models.Model):
    """Per campaign and district: how many schools a student may rank and which schools qualify
    (junior highs of the student's district of the chosen ownership, within the graduating school's
    学区 when `within_zone`). The window is the campaign's JUNIOR_REGISTRATION stage."""

    campaign = models.ForeignKey(
        "bj_enrollment.Campaign", models.CASCADE, related_name="preference_settings", verbose_name=_("campaign")
    )
    district = models.ForeignKey(
        "bj_enrollment.District", models.CASCADE, related_name="preference_settings", verbose_name=_("district")
    )
    max_choices = models.PositiveSmallIntegerField(_("number of choices"), default=10)
    within_zone = models.BooleanField(
        _("only the graduating school's zone (学区)"), default=False,
        help_text=_("A student lists only junior highs in a service zone that holds the graduating school."),
    )
    ownership = models.CharField(_("ownership"), max_length=16, choices=Ownership.choices, default=Ownership.PUBLIC)

    history = HistoricalRecords()

    scope_paths = {"district": "district_id"}

    class Meta:
        verbose_name = _("preference setting")
        verbose_name_plural = _("preference settings")
        ordering = ["campaign", "district"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "district"], name="preference_setting_one_per_district"),
            models.CheckConstraint(
                condition=models.Q(max_choices__gte=1, max_choices__lte=30), name="preference_setting_choices_range"
            ),
        ]

    def __str__(self):
        return f"{self.campaign} · {self.district}"

    def clean(self):
        if self.campaign_id and self.campaign.level != Level.JUNIOR:
            raise ValidationError({"campaign": _("Preferences belong to a junior-high campaign.")})
        if not 1 <= (self.max_choices or 0) <= 30:
            raise ValidationError({"max_choices": _("Between 1 and 30 choices.")})


class PreferenceList(models.Model):
    """One student's ranked schools: the draft being edited, or the list last confirmed."""

    class Kind(models.TextChoices):
        DRAFT = "draft", _("Draft")
        CONFIRMED = "confirmed", _("Confirmed")

    student = models.ForeignKey(
        "bj_enrollment.Student", models.CASCADE, related_name="preference_lists", verbose_name=_("student")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    saved_at = models.DateTimeField(_("saved at"), auto_now=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmation_method = models.CharField(
        _("confirmation method"), max_length=16, choices=ConfirmationMethod.choices, blank=True
    )

    history = HistoricalRecords()

    scope_paths = _through_student("student__")

    class Meta:
        verbose_name = _("preference list")
        verbose_name_plural = _("preference lists")
        ordering = ["student", "kind"]
        constraints = [models.UniqueConstraint(fields=["student", "kind"], name="preference_list_one_per_kind")]

    def __str__(self):
        return f"{self.student} · {self.get_kind_display()}"


class Preference(models.Model):
    """One ranked school of a list (typed child table): rank 1 is the first choice."""

    preference_list = models.ForeignKey(
        PreferenceList, models.CASCADE, related_name="preferences", verbose_name=_("preference list")
    )
    rank = models.PositiveSmallIntegerField(_("rank"))
    school = models.ForeignKey(
        "bj_enrollment.School", models.PROTECT, related_name="preferences", verbose_name=_("school")
    )

    history = HistoricalRecords()

    # the student's districts and schools, and the school listed (it sees the demand for it)
    scope_paths = {
        **_through_student("preference_list__student__"),
        "school": (*_through_student("preference_list__student__")["school"], "school_id"),
    }

    class Meta:
        verbose_name = _("preference")
        verbose_name_plural = _("preferences")
        ordering = ["preference_list", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["preference_list", "rank"], name="preference_unique_rank"),
            models.UniqueConstraint(fields=["preference_list", "school"], name="preference_unique_school"),
            models.CheckConstraint(condition=models.Q(rank__gte=1), name="preference_rank_from_one"),
        ]
        indexes = [models.Index(fields=["school", "rank"], name="preference_school_rank")]

    def __str__(self):
        return f"{self.rank}. {self.school}"
