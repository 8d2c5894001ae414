from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.bj_enrollment.choices import ApplicationState, HousingType, HukouCategory, Stage
from apps.lowcode.constraints import ChecksCoveredConstraints


class Application(ChecksCoveredConstraints, models.Model):
    """A child's registration in one campaign and one district: the form, its account and its state.

    The database itself guarantees R9 and R3 (one live application per child and campaign, hence one
    district) through `live_child`, and R13 (unique 8-digit form numbers).
    """

    campaign = models.ForeignKey(
        "bj_enrollment.Campaign", models.PROTECT, related_name="applications", verbose_name=_("campaign")
    )
    child = models.ForeignKey(
        "bj_enrollment.Child", models.PROTECT, related_name="applications", verbose_name=_("child")
    )
    district = models.ForeignKey(
        "bj_enrollment.District", models.PROTECT, related_name="applications", verbose_name=_("district")
    )
    school = models.ForeignKey(
        "bj_enrollment.School",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("school"),
    )
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="application",
        verbose_name=_("parent account"),
    )
    form_number = models.CharField(_("form number"), max_length=8, unique=True, editable=False)
    verification_code = models.CharField(_("verification code"), max_length=6, editable=False)
    # No choices: the active workflow's states are the allowed values (clean() checks them), so a
    # state an administrator adds in the desk is accepted.
    state = models.CharField(_("state"), max_length=32, default=ApplicationState.REGISTERED)
    mobile = models.CharField(_("registered mobile"), max_length=20, db_index=True)
    hukou_category = models.CharField(_("hukou category"), max_length=16, choices=HukouCategory.choices)
    residence_district = models.ForeignKey(
        "bj_enrollment.District", models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("residence district"),
    )
    residence_street = models.ForeignKey(
        "bj_enrollment.Street",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("residence town or subdistrict"),
    )
    residence_address = models.CharField(_("residence address"), max_length=200, blank=True)
    housing_type = models.CharField(_("housing type"), max_length=16, choices=HousingType.choices, blank=True)
    single_guardian = models.BooleanField(_("single guardian"), default=False)
    material_number = models.CharField(
        _("study certificate material number"),
        max_length=32,
        blank=True,
        help_text=_("Issued when the five-certificate review passes (R4, R20)."),
    )
    rejection_reason = models.TextField(_("rejection reason"), blank=True)
    remarks = models.TextField(_("remarks"), blank=True)
    custom = models.JSONField(_("custom fields"), default=dict, blank=True, editable=False)
    # R17: what the registries said beyond the properties (guardian 1's residence permit), for the family
    registry_answers = models.JSONField(_("registry answers"), default=dict, blank=True, editable=False)
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    details_confirmed_at = models.DateTimeField(_("details confirmed at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # The child while the application is live, NULL once cancelled or void: a unique index over
    # (campaign, live_child) is R9/R3 in the database, and a cancelled child may register again (R33).
    live_child = models.GeneratedField(
        expression=models.Case(
            models.When(state__in=ApplicationState.ended(), then=models.Value(None)),
            default=models.F("child_id"),
        ),
        output_field=models.BigIntegerField(null=True),
        db_persist=True,
    )

    history = HistoricalRecords(excluded_fields=["live_child", "updated_at"])

    scope_paths = {"district": "district_id", "school": ("school_id", "walk_ins__school_id")}
    workflow_condition_attributes = ("counts_as_local",)
    custom_fields_attr = "custom"

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-registered_at"]
        permissions = [("register_on_behalf", _("Can register a child on the family's behalf (R2, R6)"))]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "live_child"], name="application_one_live_per_child"),
            models.CheckConstraint(
                condition=models.Q(form_number__regex=r"^[0-9]{8}$"), name="application_form_number_8_digits"
            ),
        ]
        # The desk lists order by (-registered_at, -id): each index ends with both, so a page is read
        # in index order (no sort of a district's rows); see bench/desk_bench.py.
        indexes = [
            models.Index(fields=["district", "state", "-registered_at", "-id"], name="app_district_state"),
            models.Index(fields=["district", "-registered_at", "-id"], name="app_district_recent"),
            models.Index(fields=["school", "state", "-registered_at", "-id"], name="app_school_state"),
            models.Index(fields=["campaign", "state"], name="app_campaign_state"),
            models.Index(fields=["-registered_at", "-id"], name="app_registered"),
        ]

    def __str__(self):
        return self.form_number

    @property
    def registration_open(self) -> bool:
        """R1/R17: whether the parent may still enter or change data (the district's window applies)."""
        return self.campaign.is_open(Stage.REGISTRATION, self.district)

    @property
    def counts_as_local(self) -> bool:
        """R5: Beijing hukou or a verified category that counts as such (rules/categories.py)."""
        from apps.bj_enrollment.rules.categories import counts_as_local

        return counts_as_local(self)

    def get_state_display(self) -> str:
        """The state's label in the active workflow (the field has no choices: states are data)."""
        from apps.lowcode.workflow.states import label

        return label(self)

    def clean(self):
        from apps.lowcode.workflow.states import check_known

        check_known(self)

    def validate_constraints(self, exclude=None):
        """R9/R3 says first why the one-live-application constraint refuses. Like Django's own
        constraint checks it is left out when the validation leaves out all it depends on (a form of
        the residence fields: one query less at every details save)."""
        from apps.bj_enrollment.rules.registration import check_one_live_application

        if not {"campaign", "child", "state"} <= set(exclude or ()):
            check_one_live_application(self)
        # Django's own check of (campaign, live_child) reads the generated column of an unsaved row as
        # NULL and so finds every cancelled application of the campaign: the check above is R9's, and
        # the unique index the database's
        super().validate_constraints({*(exclude or ()), "live_child"})
