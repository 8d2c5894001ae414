"""Documents the family uploads for the district's review (R4, R20: the five certificates and others).

A DocumentRequirement is configuration: per campaign and hukou category (and optionally one district),
which document, how many files, required or not, which types. An ApplicationDocument is one file a
family uploaded for a requirement; it is never deleted: removing or replacing it sets `removed_at`,
so the district can still see what was there (the application's history says who did what, when).
Written by services/documents.py only; read through its permission- and scope-checked view.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.bj_enrollment.choices import HukouCategory
from apps.lowcode import uploads

KIND_CHOICES = [(kind, uploads.LABELS[kind]) for kind in uploads.ALL_KINDS]
DEFAULT_KINDS = [uploads.JPEG, uploads.PNG, uploads.PDF]


def default_kinds() -> list[str]:
    return list(DEFAULT_KINDS)


class DocumentRequirement(models.Model):
    campaign = models.ForeignKey(
        "bj_enrollment.Campaign", models.CASCADE, related_name="document_requirements", verbose_name=_("campaign")
    )
    district = models.ForeignKey(
        "bj_enrollment.District",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="document_requirements",
        verbose_name=_("district"),
        help_text=_("Blank: every district of the campaign; a district may ask for more of its own families."),
    )
    hukou_category = models.CharField(
        _("hukou category"),
        max_length=16,
        choices=HukouCategory.choices,
        blank=True,
        help_text=_("Blank: children of either hukou category."),
    )
    name = models.CharField(
        _("document"), max_length=60, help_text=_("E.g. 户口簿, 房产证, 居住证, 社保, 在京务工就业证明.")
    )
    instructions = models.CharField(
        _("instructions for the family"),
        max_length=300,
        blank=True,
        help_text=_("E.g. which pages to photograph."),
    )
    required = models.BooleanField(
        _("required"),
        default=True,
        help_text=_("The details cannot be submitted before at least one file is uploaded."),
    )
    max_files = models.PositiveSmallIntegerField(
        _("files at most"), default=1, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    kinds = models.JSONField(_("accepted types"), default=default_kinds)
    max_size_mb = models.PositiveSmallIntegerField(
        _("size per file at most (MB)"), default=10, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    scope_paths = {"district": "district_id"}

    class Meta:
        verbose_name = _("document requirement")
        verbose_name_plural = _("document requirements")
        ordering = ["campaign", "position", "pk"]

    def __str__(self):
        return self.name

    @property
    def max_bytes(self) -> int:
        return self.max_size_mb * 1024 * 1024

    @property
    def kinds_label(self) -> str:
        return uploads.kinds_label(self.kinds)

    @property
    def accept(self) -> str:
        return uploads.accept_attribute(self.kinds)


def document_path(instance, filename: str) -> str:
    """A random name per file under the application's form number: no personal name in storage paths,
    nothing guessable (files are never served by their path anyway)."""
    return f"documents/{instance.application.form_number}/{uuid.uuid4().hex}{uploads.EXTENSIONS[instance.kind]}"


class ApplicationDocument(models.Model):
    application = models.ForeignKey(
        "bj_enrollment.Application", models.PROTECT, related_name="documents", verbose_name=_("application")
    )
    requirement = models.ForeignKey(
        DocumentRequirement, models.PROTECT, related_name="documents", verbose_name=_("document")
    )
    file = models.FileField(_("file"), upload_to=document_path, max_length=200)
    name = models.CharField(_("file name"), max_length=100)
    kind = models.CharField(_("type"), max_length=8, choices=KIND_CHOICES)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("uploaded by")
    )
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("removed by"),
    )
    replaced_by = models.ForeignKey(
        "self", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("replaced by")
    )

    scope_paths = {
        "district": "application__district_id",
        "school": ("application__school_id", "application__walk_ins__school_id"),
    }

    class Meta:
        verbose_name = _("uploaded document")
        verbose_name_plural = _("uploaded documents")
        ordering = ["requirement__position", "uploaded_at", "pk"]
        indexes = [models.Index(fields=["application", "removed_at"], name="document_application_current")]

    def __str__(self):
        return f"{self.requirement} · {self.name}"

    @property
    def is_image(self) -> bool:
        return self.kind in uploads.IMAGE_KINDS

    @property
    def content_type(self) -> str:
        return uploads.CONTENT_TYPES[self.kind]
