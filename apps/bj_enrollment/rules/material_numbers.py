"""R4/R20: approving the five-certificate review issues the study-certificate material number.

The number is `settings.MATERIAL_NUMBER_FORMAT` (site config `material_number_format`), by default
CL + the district code's last two digits + the campaign year + a 5-digit sequence per district and
campaign, e.g. CL01202600042. It is issued inside the approval's transaction with the district row
locked, so two reviewers approving at the same moment get consecutive numbers, never the same one.
The demo builder numbers its approvals with the same `material_numbers` sequence.
"""

from collections.abc import Iterator

from django.conf import settings

from apps.bj_enrollment.rules.identity import is_ascii_digits
from apps.lowcode.workflow import states


def material_numbers(district, campaign) -> Iterator[str]:
    """The district's next numbers in `campaign`, in order, after the highest one already issued."""
    from apps.bj_enrollment.models import Application

    fields = {"district": district.code, "district_short": district.code[-2:], "year": campaign.year}
    prefix = settings.MATERIAL_NUMBER_FORMAT.split("{sequence")[0].format(**fields)
    last = (
        Application.objects.filter(campaign_id=campaign.pk, district_id=district.pk)
        .filter(material_number__startswith=prefix)
        .order_by("-material_number")
        .values_list("material_number", flat=True)
        .first()
    )
    tail = last[len(prefix) :] if last else ""
    sequence = int(tail) + 1 if is_ascii_digits(tail) else 1
    while True:
        yield settings.MATERIAL_NUMBER_FORMAT.format(**fields, sequence=sequence)
        sequence += 1


def issue_material_number(document, record) -> None:
    from apps.bj_enrollment.models import District

    # the review's approval: out of the review state into a printable decision (state flags)
    if not states.flag(document, "review", record.from_state) or document.material_number:
        return
    to = record.to_state
    if not (states.flag(document, "review_decision", to) and states.flag(document, "printable", to)):
        return
    district = District.objects.select_for_update().get(pk=document.district_id)
    document.material_number = next(material_numbers(district, document.campaign))
    document.save(update_fields=["material_number", "updated_at"])  # a history row: the timeline shows it
