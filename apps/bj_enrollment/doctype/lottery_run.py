from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class LotteryRun(models.Model):
    """One draw (电脑随机派位, R35/R36/R41) as a record: its frozen input, the commitments published
    before the draw, the seed revealed at the draw and who did what when.

    Order of events, each timed: input frozen and its hash published (committed), the ceremony's seed
    hash published (seed_committed), the seed typed in again and checked against it (draw), results
    applied to the applications. A run is never repeated silently: a later run over the same campaign,
    district and zone must name the run it `supersedes` and say why (`repeat_reason`); both stay.
    """

    class Mode(models.TextChoices):
        ZONE = "zone", _("Multi-school zone")
        PREFERENCE = "preference", _("Preference lottery")
        PRIVATE = "private", _("Private-school lottery (公民同招)")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        COMMITTED = "committed", _("Committed")
        RUNNING = "running", _("Drawing")
        DONE = "done", _("Drawn")
        FAILED = "failed", _("Failed")
        APPLIED = "applied", _("Results applied")

    campaign = models.ForeignKey(
        "bj_enrollment.Campaign", models.PROTECT, related_name="lottery_runs", verbose_name=_("campaign")
    )
    district = models.ForeignKey(
        "bj_enrollment.District", models.PROTECT, null=True, blank=True, related_name="lottery_runs",
        verbose_name=_("district"), help_text=_("Empty: the city-wide lottery day, every district its own market."),
    )
    zone = models.ForeignKey(
        "bj_enrollment.ServiceZone",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="lottery_runs",
        verbose_name=_("service zone"),
    )
    # R43: the private school whose applicants a private-school lottery draws (its district is the run's)
    school = models.ForeignKey(
        "bj_enrollment.School", models.PROTECT, null=True, blank=True, related_name="private_lottery_runs",
        verbose_name=_("private school"),
    )
    mode = models.CharField(_("mode"), max_length=16, choices=Mode.choices, default=Mode.ZONE)
    title = models.CharField(_("title"), max_length=200)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.DRAFT, editable=False)
    supersedes = models.OneToOneField(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("repeats run"),
    )
    repeat_reason = models.TextField(_("reason for repeating"), blank=True)
    algorithm = models.CharField(_("algorithm version"), max_length=32, editable=False)
    input_document = models.JSONField(_("input"), null=True, blank=True, editable=False)
    input_commitment = models.CharField(_("input commitment (SHA-256)"), max_length=64, blank=True, editable=False)
    seed_commitment = models.CharField(_("seed commitment (SHA-256)"), max_length=64, blank=True, editable=False)
    seed = models.CharField(_("seed"), max_length=1024, blank=True, editable=False)
    result_hash = models.CharField(_("result hash (SHA-256)"), max_length=64, blank=True, editable=False)
    output_document = models.JSONField(_("output"), null=True, blank=True, editable=False)
    participants = models.PositiveIntegerField(_("participants"), default=0, editable=False)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0, editable=False)
    error = models.TextField(_("error"), blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+", verbose_name=_("created by"),
        editable=False,
    )
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("committed by"), editable=False,
    )
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("drawn by"), editable=False,
    )
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("results applied by"), editable=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    committed_at = models.DateTimeField(_("committed at"), null=True, blank=True, editable=False)
    seed_committed_at = models.DateTimeField(_("seed commitment published at"), null=True, blank=True, editable=False)
    started_at = models.DateTimeField(_("draw started at"), null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(_("draw finished at"), null=True, blank=True, editable=False)
    applied_at = models.DateTimeField(_("results applied at"), null=True, blank=True, editable=False)

    # A district's own draw is its district's; the city-wide day (no district, R41) is read by every
    # district whose students it drew (its progress, files and refusals), changed by the city only.
    scope_paths = {"district": ("district_id", "entries__student__district_id")}

    class Meta:
        verbose_name = _("lottery run")
        verbose_name_plural = _("lottery runs")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(supersedes__isnull=True) | ~models.Q(repeat_reason=""),
                name="lottery_repeat_needs_reason",
            ),
        ]
        indexes = [models.Index(fields=["campaign", "district", "zone"], name="lottery_run_scope")]

    def __str__(self):
        return self.title

    @staticmethod
    def read_only_in_scope(run, scope) -> bool:
        """The city-wide day is the city's ceremony: a district reads it and changes nothing."""
        return run.district_id is None and not scope.everything


class LotteryEntry(models.Model):
    """One participant's outcome in a run; `school` empty means explicitly unassigned."""

    run = models.ForeignKey(LotteryRun, models.CASCADE, related_name="entries", verbose_name=_("lottery run"))
    application = models.ForeignKey(
        "bj_enrollment.Application", models.PROTECT, null=True, blank=True, related_name="lottery_entries",
        verbose_name=_("application"),
    )
    # a junior-high campaign's participant (小升初, R41): a student instead of an application
    student = models.ForeignKey(
        "bj_enrollment.Student", models.PROTECT, null=True, blank=True, related_name="lottery_entries",
        verbose_name=_("student"),
    )
    participant_id = models.CharField(_("participant id"), max_length=128)
    lottery_number = models.CharField(_("lottery number"), max_length=64)
    position = models.PositiveIntegerField(_("position in the draw"))
    school = models.ForeignKey(
        "bj_enrollment.School", models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("assigned school"),
    )
    preference_rank = models.PositiveSmallIntegerField(_("preference obtained"), null=True, blank=True)
    priority_class = models.PositiveSmallIntegerField(_("priority class"), default=0)

    scope_paths = {"district": ("run__district_id", "student__district_id"), "school": "school_id"}

    class Meta:
        verbose_name = _("lottery entry")
        verbose_name_plural = _("lottery entries")
        ordering = ["run", "position"]
        constraints = [
            models.UniqueConstraint(fields=["run", "application"], name="lottery_entry_once_per_run"),
            models.UniqueConstraint(fields=["run", "student"], name="lottery_student_once_per_run"),
            models.UniqueConstraint(fields=["run", "participant_id"], name="lottery_participant_once_per_run"),
        ]

    def __str__(self):
        return f"{self.participant_id} · {self.lottery_number}"


class MultipleBirthGroup(models.Model):
    """Twins, triplets… of one family bound by the district so the lottery places them at one school
    (多胞胎同校, bj-lottery-2 in docs/lottery.md §14). Bound and unbound through lottery/multiple_births.py,
    which checks that the children share their birth date and a guardian."""

    campaign = models.ForeignKey("bj_enrollment.Campaign", models.PROTECT, related_name="+", verbose_name=_("campaign"))
    district = models.ForeignKey("bj_enrollment.District", models.PROTECT, related_name="+", verbose_name=_("district"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+", verbose_name=_("created by"),
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    scope_paths = {"district": "district_id"}

    class Meta:
        verbose_name = _("multiple birth group")
        verbose_name_plural = _("multiple birth groups")
        ordering = ["-created_at"]

    def __str__(self):
        return "、".join(sorted(str(m) for m in self.members.select_related("application", "student")))


class MultipleBirthMember(models.Model):
    """One application (primary) or student (junior high) in a group; each belongs to one group at most
    and a member is exactly one of the two (the database says so)."""

    group = models.ForeignKey(MultipleBirthGroup, models.CASCADE, related_name="members", verbose_name=_("group"))
    application = models.OneToOneField(
        "bj_enrollment.Application", models.PROTECT, null=True, blank=True, related_name="multiple_birth",
        verbose_name=_("application"),
    )
    student = models.OneToOneField(
        "bj_enrollment.Student", models.PROTECT, null=True, blank=True, related_name="multiple_birth",
        verbose_name=_("student"),
    )

    history = HistoricalRecords()

    scope_paths = {"district": "group__district_id"}

    class Meta:
        verbose_name = _("multiple birth group member")
        verbose_name_plural = _("multiple birth group members")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(application__isnull=False, student__isnull=True)
                | models.Q(application__isnull=True, student__isnull=False),
                name="multiple_birth_member_one_record",
            ),
        ]

    def __str__(self):
        return self.application.form_number if self.application_id else self.student.education_id
