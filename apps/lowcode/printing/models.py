"""Print formats: a DocType's printable layout, stored as data and edited in the desk (Frappe's Print Format)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _


class PageSize(models.TextChoices):
    A4 = "A4", "A4"
    A5 = "A5", "A5"
    A3 = "A3", "A3"
    B5 = "B5", "B5"
    LETTER = "letter", _("Letter")
    LEGAL = "legal", _("Legal")


class Orientation(models.TextChoices):
    PORTRAIT = "portrait", _("Portrait")
    LANDSCAPE = "landscape", _("Landscape")


class PrintFormat(models.Model):
    """A Jinja2 template plus CSS for one DocType, rendered in the sandbox from the DocType's print context.

    At most one active default per DocType: the database holds the rule (a unique generated column)
    and saving a new default takes the flag from the previous one.
    """

    key = models.SlugField(
        _("key"), max_length=100, unique=True, help_text=_("Stable name; default formats are matched by it.")
    )
    name = models.CharField(_("title"), max_length=140)
    document_type = models.ForeignKey(ContentType, models.PROTECT, related_name="+", verbose_name=_("document type"))
    template = models.TextField(
        _("template"), help_text=_("HTML with placeholders such as {{ form_number }}, filled from the document.")
    )
    css = models.TextField(_("CSS"), blank=True)
    page_size = models.CharField(_("page size"), max_length=8, choices=PageSize.choices, default=PageSize.A4)
    orientation = models.CharField(
        _("orientation"), max_length=10, choices=Orientation.choices, default=Orientation.PORTRAIT
    )
    is_default = models.BooleanField(
        _("default"), default=False, help_text=_("Used when no format is chosen; replaces the previous default.")
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # The DocType while this is the default, NULL otherwise: unique, so two defaults cannot coexist.
    default_for = models.GeneratedField(
        expression=models.Case(
            models.When(is_default=True, then=models.F("document_type_id")), default=models.Value(None)
        ),
        output_field=models.BigIntegerField(null=True),
        db_persist=True,
    )

    class Meta:
        verbose_name = _("print format")
        verbose_name_plural = _("print formats")
        ordering = ["document_type", "-is_default", "name"]
        constraints = [models.UniqueConstraint(fields=["default_for"], name="printformat_one_default_per_doctype")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        with transaction.atomic():
            if self.is_default:
                others = PrintFormat.objects.filter(document_type_id=self.document_type_id, is_default=True)
                if self.pk:
                    others = others.exclude(pk=self.pk)
                # Locked, then cleared: two administrators making two defaults at once queue here.
                ids = list(others.select_for_update().values_list("pk", flat=True))
                if ids:
                    PrintFormat.objects.filter(pk__in=ids).update(is_default=False)
            super().save(*args, **kwargs)

    def clean(self):
        from apps.lowcode.printing import service

        errors = {}
        if self.is_default and not self.active:
            errors["is_default"] = _("An inactive format cannot be the default.")
        if "</" in self.css:
            errors["css"] = _("CSS cannot contain “</”.")
        if self.document_type_id and self.template:
            model = self.document_type.model_class()
            try:
                sample = service.sample_context(model)
            except service.PrintError as exc:
                errors["document_type"] = exc.message
            else:
                problem = service.template_problem(self.template, sample)
                if problem:
                    errors["template"] = _("The template cannot be used: %(problem)s") % {"problem": problem}
        if errors:
            raise ValidationError(errors)

    def validate_constraints(self, exclude=None):
        # Saving a new default moves the flag rather than failing; the unique column still guards races.
        super().validate_constraints(exclude={*(exclude or ()), "default_for"})


class PrintFailure(models.Model):
    """One document a format failed to print (template error on real data, over the time or size
    budget): written by the print service, read in the desk, never edited."""

    print_format = models.ForeignKey(PrintFormat, models.CASCADE, related_name="failures",
                                     verbose_name=_("print format"))
    document_type = models.ForeignKey(ContentType, models.CASCADE, related_name="+", verbose_name=_("document type"))
    object_id = models.CharField(_("document ID"), max_length=64)
    error = models.TextField(_("error"))
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("print failure")
        verbose_name_plural = _("print failures")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.print_format} · {self.object_id}"
