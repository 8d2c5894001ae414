"""When a family may still add, replace or remove its documents (R1, R20): while the registration
window is open and the district has not decided the five-certificate review as the family sees it.

"Not decided yet" is read from the printing rule (R21), which already knows from the workflow's state
flags whether the application is before the review, in it, or past it; no state name is written
here. A decision the family may not see yet (R20) still counts as under review, so the upload page
never tells the result early.
"""

from django.core.exceptions import ValidationError

from apps.bj_enrollment import error_codes
from apps.bj_enrollment.rules import eligibility, printing

OPEN_CODES = (error_codes.NOT_VERIFIED.code, error_codes.AWAITING_REVIEW.code)


def check_can_change(application) -> None:
    """Raise the family's reason when its documents can no longer change."""
    eligibility.check_registration_window(application.campaign, application.district)
    try:
        printing.check_can_print(application)
    except ValidationError as exc:
        if getattr(exc, "code", None) in OPEN_CODES:
            return
    raise error_codes.DOCUMENTS_CLOSED.error()


def can_change(application) -> bool:
    try:
        check_can_change(application)
    except ValidationError:
        return False
    return True
