from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.bj_enrollment.choices import (
    AdmissionRoute,
    ConfirmationMethod,
    Gender,
    IdType,
    Level,
    Relationship,
    StudentSource,
    StudentState,
)
from apps.bj_enrollment.rules.identity import normalise_id_number


class Student(models.Model):
    """One primary graduate in one junior-high campaign (小升初, R37-R41): the registry's data, the
    family's confirmation and, at the end, the route and school of admission.

    `district` is the graduating school's district and changes only through an approved transfer
    (R39); the workflow (`workflows/student.json`) moves `state`.
    """

    campaign = models.ForeignKey(
        "bj_enrollment.Campaign", models.PROTECT, related_name="students", verbose_name=_("campaign")
    )
    education_id = models.CharField(_("education ID"), max_length=32)
    name = models.CharField(_("name"), max_length=64)
    id_type = models.CharField(_("ID type"), max_length=20, choices=IdType.choices, default=IdType.RESIDENT_ID)
    id_number = models.CharField(_("ID number"), max_length=32, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, blank=True)
    hukou_province = models.CharField(_("hukou province"), max_length=32, blank=True)
    hukou_district = models.ForeignKey(
        "bj_enrollment.District", models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("hukou district"), help_text=_("Only for Beijing hukou."),
    )
    hukou_address = models.CharField(_("hukou address"), max_length=200, blank=True)
    graduating_school = models.ForeignKey(
        "bj_enrollment.School", models.PROTECT, related_name="graduates", verbose_name=_("graduating school")
    )
    graduating_class = models.CharField(_("graduating class"), max_length=32, blank=True)
    district = models.ForeignKey(
        "bj_enrollment.District", models.PROTECT, related_name="students", verbose_name=_("district"),
        help_text=_("The graduating school's district; only an approved transfer changes it (R39)."),
    )
    mobile = models.CharField(_("mobile on file"), max_length=20, blank=True)
    source = models.CharField(_("source"), max_length=16, choices=StudentSource.choices, default=StudentSource.REGISTRY)
    arrival_document_number = models.CharField(
        _("hukou proof or study certificate number"), max_length=64, blank=True,
        help_text=_("New arrivals only (R40): the hukou proof or the street office's study certificate."),
    )
    # No choices: the active workflow's states are the allowed values (clean() checks them).
    state = models.CharField(_("state"), max_length=32, default=StudentState.IMPORTED)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True, editable=False)
    confirmation_method = models.CharField(
        _("confirmation method"), max_length=16, choices=ConfirmationMethod.choices, blank=True, editable=False
    )
    # R22-style: the printed confirmation sheet's number and its verification code (rules/form_numbers.py)
    confirmation_number = models.CharField(
        _("confirmation number"), max_length=8, unique=True, null=True, blank=True, editable=False
    )
    verification_code = models.CharField(_("verification code"), max_length=6, blank=True, editable=False)
    correction_request = models.TextField(_("correction requested by the family"), blank=True)
    admission_route = models.CharField(
        _("admission route"), max_length=32, choices=AdmissionRoute.choices, blank=True, editable=False
    )
    admission_record = models.ForeignKey(
        "lowcode_workflow.TransitionRecord", models.PROTECT, null=True, blank=True, related_name="+",
        editable=False, verbose_name=_("admission decision"),
        help_text=_("The transition that set the admission route (R41)."),
    )
    school = models.ForeignKey(
        "bj_enrollment.School", models.PROTECT, null=True, blank=True, related_name="admitted_students",
        verbose_name=_("junior high school"),
    )
    custom = models.JSONField(_("custom fields"), default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    # A transfer under review shows the student to the transfer-in district too (R39); after the
    # decision only `district` counts (the old district keeps the transfer's history).
    scope_paths = {
        "district": ("district_id", "transfers__reviewing_district_id"),
        "school": ("graduating_school_id", "school_id"),
    }
    custom_fields_attr = "custom"

    class Meta:
        verbose_name = _("student")
        verbose_name_plural = _("students")
        ordering = ["graduating_school", "graduating_class", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "education_id"], name="student_one_per_education_id"),
        ]
        indexes = [
            models.Index(fields=["district", "state", "id"], name="student_district_state"),
            models.Index(fields=["graduating_school", "state", "id"], name="student_school_state"),
            models.Index(fields=["school", "state"], name="student_admitted_school"),
        ]

    def __str__(self):
        return f"{self.name} ({self.education_id})"

    def get_state_display(self) -> str:
        """The state's label in the active workflow (the field has no choices: states are data)."""
        from apps.lowcode.workflow.states import label

        return label(self)

    def clean(self):
        from apps.lowcode.workflow.states import check_known

        check_known(self)
        if self.campaign_id and self.campaign.level != Level.JUNIOR:
            raise ValidationError({"campaign": _("Students belong to a junior-high campaign.")})
        if self.graduating_school_id and not self.graduating_school.offers_primary:
            raise ValidationError({"graduating_school": _("The graduating school must be a primary school.")})
        if self.school_id and not self.school.offers_junior:
            raise ValidationError({"school": _("The admitting school must be a junior high school.")})
        if self.id_number:
            self.id_number = normalise_id_number(self.id_number)

    @staticmethod
    def read_only_in_scope(student, scope) -> bool:
        """R39: the district a student belongs to changes it. While a transfer is under review the
        transfer-in district reads the student (to decide) but changes nothing until the move; after an
        approved transfer the graduating school still reads its graduate (it filed the transfer; history
        stays visible) but changes nothing: the new district has the student."""
        if scope.school_id is None:
            return scope.district_id is not None and scope.district_id != student.district_id
        return (scope.school_id == student.graduating_school_id
                and scope.school_id != student.school_id and student.moved_by_transfer)

    @property
    def moved_by_transfer(self) -> bool:
        """The current district is no longer the graduating school's: only an approved transfer moves it."""
        return self.district_id != self.graduating_school.district_id


class StudentGuardian(models.Model):
    """A guardian of a student as the registry or the school has them (typed child table)."""

    student = models.ForeignKey(Student, models.CASCADE, related_name="guardians", verbose_name=_("student"))
    name = models.CharField(_("name"), max_length=64)
    relationship = models.CharField(_("relationship"), max_length=16, choices=Relationship.choices, blank=True)
    phone = models.CharField(_("mobile"), max_length=20, blank=True)
    id_number = models.CharField(_("ID number"), max_length=32, blank=True)

    history = HistoricalRecords()

    scope_paths = {
        "district": ("student__district_id", "student__transfers__reviewing_district_id"),
        "school": ("student__graduating_school_id", "student__school_id"),
    }

    class Meta:
        verbose_name = _("student guardian")
        verbose_name_plural = _("student guardians")
        ordering = ["student", "id"]

    def __str__(self):
        return self.name

    @staticmethod
    def read_only_in_scope(guardian, scope) -> bool:
        return Student.read_only_in_scope(guardian.student, scope)
