"""R21: the information-collection form can be printed only once the child is fully verified (and,
without Beijing hukou, approved by the five-certificate review); from then on at any time."""

from apps.bj_enrollment import error_codes
from apps.bj_enrollment.choices import ApplicationState as S

PRINTABLE = (S.READY_TO_PRINT, S.PRE_ADMITTED, S.SCHOOL_REJECTED, S.DISTRICT_REJECTED, S.CONFIRMED)


def check_can_print(application) -> None:
    from apps.bj_enrollment.rules.five_certificates import shown_state

    state = shown_state(application)
    if state in PRINTABLE:
        return
    if state == S.FIVE_CERTIFICATE_REVIEW:
        raise error_codes.AWAITING_REVIEW.error()
    if state in (S.REGISTERED, S.IDENTITY_CHECK):
        raise error_codes.NOT_VERIFIED.error()
    raise error_codes.NOT_PRINTABLE.error()
