from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.bj_enrollment.choices import Gender, IdType
from apps.bj_enrollment.rules.identity import check_resident_id
from apps.bj_enrollment.rules.names import pinyin_key


class Child(models.Model):
    """The person being enrolled; one row per identity document, kept across campaigns and re-registrations."""

    name = models.CharField(_("name"), max_length=64)
    name_pinyin = models.CharField(_("pinyin"), max_length=160, blank=True, db_index=True, editable=False)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"))
    id_type = models.CharField(_("ID type"), max_length=20, choices=IdType.choices, default=IdType.RESIDENT_ID)
    id_number = models.CharField(_("ID number"), max_length=32)
    nationality = models.CharField(_("nationality"), max_length=32, default="中国")
    ethnicity = models.CharField(_("ethnicity"), max_length=16, blank=True)
    hukou_province = models.CharField(_("hukou province"), max_length=32)
    hukou_district = models.ForeignKey(
        "bj_enrollment.District",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hukou district"),
        help_text=_("Only for Beijing hukou."),
    )
    hukou_address = models.CharField(_("hukou address"), max_length=200, blank=True)
    household_number = models.CharField(_("household number"), max_length=32, blank=True)
    custom = models.JSONField(_("custom fields"), default=dict, blank=True, editable=False)

    history = HistoricalRecords()

    scope_paths = {
        "district": "applications__district_id",
        "school": ("applications__school_id", "applications__walk_ins__school_id"),
    }
    custom_fields_attr = "custom"

    class Meta:
        verbose_name = _("child")
        verbose_name_plural = _("children")
        ordering = ["name_pinyin"]
        constraints = [models.UniqueConstraint(fields=["id_type", "id_number"], name="child_one_row_per_id")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        """The sort key follows the name, also when only some columns are written (a details save
        writes the ones its form changed); a save that leaves the name out leaves the key alone."""
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "name" in update_fields:
            self.name_pinyin = pinyin_key(self.name)
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "name_pinyin"}
        super().save(*args, **kwargs)

    def clean(self):
        if self.id_type == IdType.RESIDENT_ID and self.id_number:
            try:
                self.id_number = check_resident_id(self.id_number, self.birth_date, self.gender or None)
            except ValidationError as exc:
                raise ValidationError({"id_number": exc}) from None
