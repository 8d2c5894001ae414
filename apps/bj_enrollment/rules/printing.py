"""R21: the information-collection form can be printed only once the child is fully verified (and,
without Beijing hukou, approved by the five-certificate review); from then on at any time."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from apps.bj_enrollment.choices import ApplicationState as S

PRINTABLE = (S.READY_TO_PRINT, S.PRE_ADMITTED, S.SCHOOL_REJECTED, S.DISTRICT_REJECTED, S.CONFIRMED)


def check_can_print(application) -> None:
    from apps.bj_enrollment.rules.five_certificates import shown_state

    state = shown_state(application)
    if state in PRINTABLE:
        return
    if state == S.FIVE_CERTIFICATE_REVIEW:
        raise ValidationError(
            _("The form can be printed after the district approves the five certificates."), code="awaiting_review"
        )
    if state in (S.REGISTERED, S.IDENTITY_CHECK):
        raise ValidationError(
            _("The form can be printed after the details are submitted and the identity check has passed."),
            code="not_verified",
        )
    raise ValidationError(_("This application's form cannot be printed."), code="not_printable")
