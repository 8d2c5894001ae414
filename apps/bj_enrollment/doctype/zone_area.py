from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _

from apps.bj_enrollment.zones.normalise import compound_key, road_key


class Parity(models.TextChoices):
    """Which house (or building) numbers of a range a zone row covers."""

    ALL = "all", _("All numbers")
    ODD = "odd", _("Odd numbers")
    EVEN = "even", _("Even numbers")


class ZoneArea(models.Model):
    """One line of a service zone: a residential compound, or a street with an optional number range (R34).

    The look-up matches addresses against these rows; `ServiceZone.areas` stays the published
    description and an import source. On a compound row the range counts buildings, on a street
    row house numbers.
    """

    zone = models.ForeignKey(
        "bj_enrollment.ServiceZone", models.CASCADE, related_name="area_rows", verbose_name=_("service zone")
    )
    road = models.CharField(
        _("street or road"), max_length=64, blank=True, help_text=_("Street, road, hutong or lane, e.g. 东四十条.")
    )
    compound = models.CharField(
        _("residential compound"),
        max_length=100,
        blank=True,
        help_text=_("Compound, community or courtyard, e.g. 甲22号院 or 华清嘉园; beats a street range."),
    )
    number_from = models.PositiveIntegerField(_("from number"), null=True, blank=True)
    number_to = models.PositiveIntegerField(_("to number"), null=True, blank=True)
    parity = models.CharField(_("numbers"), max_length=8, choices=Parity.choices, default=Parity.ALL)

    scope_paths = {"district": "zone__district_id", "school": "zone__schools"}

    class Meta:
        verbose_name = _("zone area")
        verbose_name_plural = _("zone areas")
        ordering = ["zone", "road", "compound", "number_from"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(road="", compound=""), name="zone_area_names_a_place"),
            models.CheckConstraint(
                condition=models.Q(number_from__isnull=True, number_to__isnull=True)
                | models.Q(number_from__isnull=False, number_to__isnull=False, number_from__lte=models.F("number_to")),
                name="zone_area_number_range",
            ),
        ]

    def __str__(self):
        return self.describe()

    @property
    def is_compound(self) -> bool:
        return bool(self.compound.strip())

    @property
    def key(self) -> str:
        """What the look-up searches for in an address: the compound (with its street, if given) or the street."""
        if self.is_compound:
            return compound_key(self.road + self.compound)
        return road_key(self.road)

    def describe(self) -> str:
        return describe_area(self.road, self.compound, self.number_from, self.number_to, self.parity)

    def clean(self):
        self.road, self.compound = self.road.strip(), self.compound.strip()
        if not self.road and not self.compound:
            raise ValidationError(_("Enter a street or road, a residential compound, or both."))
        if (self.number_from is None) != (self.number_to is None):
            raise ValidationError(_("Enter both ends of the number range, or neither."))
        if self.number_from is not None and self.number_from > self.number_to:
            raise ValidationError({"number_to": _("The range ends before it starts.")})
        if len(self.key) < 2:
            raise ValidationError(_("This name is too short to be recognised in an address."))


def describe_area(road: str, compound: str, number_from: int | None, number_to: int | None, parity: str) -> str:
    """A zone row as a reason a parent can read (匹配原因), in the active language."""
    place = f"{road}{compound}" if compound else road
    parity_label = Parity(parity).label
    if number_from is None:
        if parity == Parity.ALL:
            return str(_("%(place)s (all)") % {"place": place})
        return f"{place} {parity_label}"
    unit = _("buildings") if compound else _("numbers")
    span = {"place": place, "unit": unit, "from": number_from, "to": number_to}
    if parity == Parity.ALL:
        return str(_("%(place)s, %(unit)s %(from)s–%(to)s") % span)
    return str(_("%(place)s, %(unit)s %(from)s–%(to)s, %(parity)s") % {**span, "parity": parity_label})


def _zones_changed(**kwargs):
    """Cache invalidation of the look-up index, whichever way a row changed (desk, import, shell, cascade).

    Bumped at once and again on commit: a process that rebuilt in between would otherwise keep an index
    without this change.
    """
    from apps.bj_enrollment.zones import index

    index.changed()
    transaction.on_commit(index.changed)


for _sender in ("ZoneArea", "ServiceZone", "District", "Street"):
    post_save.connect(_zones_changed, sender=f"bj_enrollment.{_sender}", dispatch_uid=f"zones-index-{_sender}-save")
    post_delete.connect(_zones_changed, sender=f"bj_enrollment.{_sender}", dispatch_uid=f"zones-index-{_sender}-del")
