from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.bj_enrollment import error_codes
from apps.bj_enrollment.choices import IdType, Relationship
from apps.bj_enrollment.rules.identity import check_resident_id, normalise_id_number
from apps.lowcode.constraints import ChecksCoveredConstraints


class Guardian(ChecksCoveredConstraints, models.Model):
    """Guardian 1 (who owns the account) or guardian 2 of an application (R15)."""

    application = models.ForeignKey(
        "bj_enrollment.Application", models.CASCADE, related_name="guardians", verbose_name=_("application")
    )
    position = models.PositiveSmallIntegerField(_("guardian"), choices=[(1, _("Guardian 1")), (2, _("Guardian 2"))])
    name = models.CharField(_("name"), max_length=64)
    relationship = models.CharField(_("relationship"), max_length=16, choices=Relationship.choices, blank=True)
    nationality = models.CharField(_("nationality"), max_length=32, default="中国")
    hukou_place = models.CharField(_("hukou place"), max_length=100, blank=True)
    id_type = models.CharField(_("ID type"), max_length=20, choices=IdType.choices, default=IdType.RESIDENT_ID)
    id_number = models.CharField(_("ID number"), max_length=32, blank=True)
    education = models.CharField(_("education"), max_length=32, blank=True)
    phone = models.CharField(_("mobile"), max_length=20)
    work_type = models.CharField(_("work type"), max_length=32, blank=True)
    employer = models.CharField(_("employer"), max_length=100, blank=True)
    employer_district = models.CharField(_("employer's district"), max_length=32, blank=True)
    residence_permit_number = models.CharField(_("residence permit number"), max_length=32, blank=True)
    residence_permit_since = models.DateField(_("residence permit held since"), null=True, blank=True)
    custom = models.JSONField(_("custom fields"), default=dict, blank=True, editable=False)

    history = HistoricalRecords()

    scope_paths = {
        "district": "application__district_id",
        "school": ("application__school_id", "application__walk_ins__school_id"),
    }
    custom_fields_attr = "custom"

    class Meta:
        verbose_name = _("guardian")
        verbose_name_plural = _("guardians")
        ordering = ["application", "position"]
        constraints = [
            models.UniqueConstraint(fields=["application", "position"], name="guardian_one_per_position"),
            models.CheckConstraint(condition=models.Q(position__in=[1, 2]), name="guardian_position_1_or_2"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        """The ID number in its one normal form (the residence-permit registry is asked with it); a resident
        ID checked like the child's (characters, region, birth date, check digit) and never the child's
        own, whichever form (portal draft, desk) saves it (R9, R15)."""
        if not self.id_number:
            return
        self.id_number = normalise_id_number(self.id_number)
        if self.id_type == IdType.RESIDENT_ID:
            try:
                check_resident_id(self.id_number)
            except ValidationError as exc:
                raise ValidationError({"id_number": exc}) from None
        child = getattr(self.application, "child", None) if self.application_id else None
        if child is not None and (child.id_type, child.id_number) == (self.id_type, self.id_number):
            raise ValidationError({"id_number": error_codes.GUARDIAN_IS_CHILD.error()})
