"""R20: the five-certificate review's result reaches the parent only from the district's
"five-certificate results" date; before it the parent sees the review still under way (and cannot
print the form, whose material number would tell)."""

from django.utils import timezone

from apps.bj_enrollment.choices import ApplicationState as S
from apps.bj_enrollment.choices import Stage

DECIDED = (S.FIVE_CERTIFICATE_REJECTED, S.READY_TO_PRINT)


def hidden_until(application, at=None):
    """The district's results date while the decision must stay hidden, else None: the one answer
    for every page, API answer, PDF and message (messages are held until then)."""
    if application.state not in DECIDED or application.counts_as_local:  # R5: no review, nothing to hide
        return None
    window = application.campaign.window(Stage.FIVE_CERTIFICATE_RESULTS, application.district)
    if window is None or (at or timezone.now()) >= window.opens_at:
        return None
    return window.opens_at


def result_hidden(application, at=None) -> bool:
    return hidden_until(application, at) is not None


def shown_state(application) -> str:
    """The state as the parent may see it now."""
    return S.FIVE_CERTIFICATE_REVIEW if result_hidden(application) else application.state
