"""R20: the five-certificate review's result reaches the parent only from the district's
"five-certificate results" date; before it the parent sees the review still under way (and cannot
print the form, whose material number would tell).

Which states are decisions and which is the review are flags of the workflow's states
(`review_decision`, `review`), not names."""

from django.utils import timezone

from apps.bj_enrollment.choices import Stage
from apps.lowcode.workflow import states


def hidden_until(application, at=None):
    """The district's results date while the decision must stay hidden, else None: the one answer
    for every page, API answer, PDF and message (messages are held until then)."""
    if not states.flag(application, "review_decision") or application.counts_as_local:  # R5: no review
        return None
    window = application.campaign.window(Stage.FIVE_CERTIFICATE_RESULTS, application.district)
    if window is None or (at or timezone.now()) >= window.opens_at:
        return None
    return window.opens_at


def result_hidden(application, at=None) -> bool:
    return hidden_until(application, at) is not None


def shown_state(application) -> str:
    """The state as the parent may see it now: while a decision is hidden, the review state."""
    if result_hidden(application):
        review = states.states_with(application, "review")
        if review:
            return review[0]
    return application.state
