"""R2-R6: the short eligibility guide on the start page, with the campaign's dates filled in."""

from django.utils.translation import gettext as _

from apps.bj_enrollment.choices import Stage


def eligibility_guide(campaign) -> list[tuple[str, str]]:
    """(heading, text) pairs; dates come from the campaign, never from the code."""
    return [
        (
            _("Age"),
            _(
                "Children born from %(start)s to %(cutoff)s register this year. Older children are registered "
                "by the district on the family's behalf."
            )
            % {"start": campaign.cohort_start.isoformat(), "cutoff": campaign.age_cutoff.isoformat()},
        ),
        (
            _("Beijing hukou"),
            _(
                "Register in the district of the child's hukou or of the family's residence; when they differ, "
                "choose one of the two. One child registers in one district only."
            ),
        ),
        (
            _("Non-Beijing hukou"),
            _(
                "Register in the district that reviews the family's five certificates. The form can be printed "
                "only after the district approves them."
            ),
        ),
        (
            _("Special cases"),
            _(
                "Foreign nationals, children from Hong Kong, Macao and Taiwan, over-age children and special "
                "categories: contact the district education committee, which registers them."
            ),
        ),
    ]


def calendar(campaign) -> list[tuple[str, object, object]]:
    """R1: the campaign's city-wide stages and their dates, in order, for the start page (a district
    may set its own dates inside these; its page says so)."""
    own = Stage.of_level(campaign.level)
    windows = campaign.windows.filter(district__isnull=True, stage__in=own).order_by("opens_at")
    return [(window.get_stage_display(), window.opens_at, window.closes_at) for window in windows]
