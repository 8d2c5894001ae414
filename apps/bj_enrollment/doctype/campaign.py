import secrets

from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.bj_enrollment.choices import Level, Stage


def new_lottery_key() -> str:
    return secrets.token_hex(32)


class Campaign(models.Model):
    """One year's enrollment for one level; every date and limit of the rules lives here (R1, R2, R10, R12)."""

    year = models.PositiveSmallIntegerField(_("year"))
    level = models.CharField(_("level"), max_length=16, choices=Level.choices, default=Level.PRIMARY)
    name = models.CharField(_("name"), max_length=100)
    age_cutoff = models.DateField(
        _("born on or before"), help_text=_("R2: a child born after this day is too young this year.")
    )
    cohort_start = models.DateField(
        _("normal cohort born on or after"),
        help_text=_("R2: a child born before this day is over-age and registered by the district."),
    )
    max_accounts_per_mobile = models.PositiveSmallIntegerField(_("accounts per mobile number"), default=3)
    sms_resend_seconds = models.PositiveIntegerField(_("seconds between SMS codes"), default=180)
    sms_code_ttl_seconds = models.PositiveIntegerField(_("SMS code validity (seconds)"), default=600)
    residence_permit_min_months = models.PositiveSmallIntegerField(
        _("minimum residence permit duration (months)"), default=12
    )
    zone_lookup_limit = models.PositiveSmallIntegerField(_("zone look-ups per ID number"), default=2)
    school_check_reminder_days = models.PositiveSmallIntegerField(
        _("school-check reminder (days before)"),
        default=2,
        help_text=_("R30: families ready to print get one SMS this many days before their school-check days; 0: none."),
    )
    active = models.BooleanField(_("active"), default=True)
    # docs/lottery.md §2: participant ids are an HMAC of the child's ID number under this key, fixed
    # for the campaign, so re-registering never changes a child's id. Never shown or exported.
    lottery_key = models.CharField(max_length=64, default=new_lottery_key, editable=False)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-year", "level"]
        constraints = [
            models.UniqueConstraint(fields=["year", "level"], name="campaign_one_per_year_and_level"),
            models.CheckConstraint(
                condition=models.Q(cohort_start__lt=models.F("age_cutoff")), name="campaign_cohort_order"
            ),
        ]

    def __str__(self):
        return self.name

    @classmethod
    def current(cls, level: str = Level.PRIMARY) -> "Campaign | None":
        """The campaign families of `level` register in now: the latest active one. The one answer for
        the portal, the API, the zone look-up, the disclosure and the desk's register-on-behalf."""
        return cls.objects.filter(active=True, level=level).order_by("-year").first()

    @property
    def form_number_prefix(self) -> str:
        """R13: form numbers start with the two-digit campaign year."""
        return f"{self.year % 100:02d}"

    def window(self, stage: str, district=None):
        """The window in force for a district: its own if it set one, else the city's (R1)."""
        rows = [
            w for w in self.windows.all() if w.stage == stage and w.district_id in (None, getattr(district, "pk", None))
        ]
        rows.sort(key=lambda w: w.district_id is None)
        return rows[0] if rows else None

    def is_open(self, stage: str, district=None, at=None) -> bool:
        window = self.window(stage, district)
        return bool(window and window.contains(at or timezone.now()))


class CampaignWindow(models.Model):
    """A dated stage of a campaign, city-wide or overridden by one district (R1)."""

    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="windows", verbose_name=_("campaign"))
    stage = models.CharField(_("stage"), max_length=32, choices=Stage.choices)
    district = models.ForeignKey(
        "bj_enrollment.District",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="campaign_windows",
        verbose_name=_("district"),
        help_text=_("Empty: the city-wide window."),
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    # NULL is never equal to NULL in a unique index, so city-wide rows get district key 0.
    district_key = models.GeneratedField(
        expression=Coalesce("district_id", 0), output_field=models.BigIntegerField(), db_persist=True
    )

    class Meta:
        verbose_name = _("window")
        verbose_name_plural = _("windows")
        ordering = ["campaign", "opens_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "stage", "district_key"], name="window_one_per_stage_and_district"
            ),
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")), name="window_closes_after_opening"
            ),
        ]

    def __str__(self):
        return f"{self.campaign} · {self.get_stage_display()}"

    def clean(self):
        from apps.bj_enrollment.rules.windows import check_window_dates

        check_window_dates(self)

    def contains(self, moment) -> bool:
        return self.opens_at <= moment < self.closes_at
