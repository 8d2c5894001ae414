"""The application workflow's action names, as the shipped file (`workflows/application.json`) spells them.

Action names are msgids (shown in Chinese through `action_label`); the gettext_noop marks let
makemessages find them. Administrators can rename or delete transitions in the desk, so the actions
the code takes itself are listed in CALLED_BY_CODE and checked against the stored workflow at
start-up (`lowcode_workflow.E003`).
"""

from django.utils.translation import gettext_noop

SUBMIT = gettext_noop("Submit details")
WITHDRAW = gettext_noop("Withdraw to edit")
IDENTITY_VERIFIED_LOCAL = gettext_noop("Identity verified (Beijing hukou)")
IDENTITY_VERIFIED_NONLOCAL = gettext_noop("Identity verified (non-Beijing hukou)")
IDENTITY_FAILED = gettext_noop("Identity check failed")
CHECK_IDENTITY_AGAIN = gettext_noop("Check identity again")
APPROVE = gettext_noop("Approve")
REJECT = gettext_noop("Reject")
REVIEW_AGAIN = gettext_noop("Review again")
PRE_ADMIT = gettext_noop("Pre-admit")
ASSIGN_BY_LOTTERY = gettext_noop("Assign by lottery")
CONFIRM_ADMISSION = gettext_noop("Confirm admission")
CHANGE_RESULT = gettext_noop("Change result")
CANCEL = gettext_noop("Cancel registration")
VOID = gettext_noop("Void registration")

# Taken by the portal, the API, the identity-check jobs and the lottery, not by a reviewer's click.
CALLED_BY_CODE = (
    SUBMIT,
    WITHDRAW,
    IDENTITY_VERIFIED_LOCAL,
    IDENTITY_VERIFIED_NONLOCAL,
    IDENTITY_FAILED,
    ASSIGN_BY_LOTTERY,
    CANCEL,
)

# The junior-high student's workflow (`workflows/student.json`, R37-R41). REVIEW_AGAIN, ASSIGN_BY_LOTTERY
# and CHANGE_RESULT above are shared msgids.
OPEN_FOR_CONFIRMATION = gettext_noop("Open for confirmation")
SUBMIT_NEW_ARRIVAL = gettext_noop("Submit new arrival")  # a district's new arrival (R40), then reviewed
APPROVE_NEW_ARRIVAL = gettext_noop("Approve new arrival")
REFUSE_NEW_ARRIVAL = gettext_noop("Refuse new arrival")
CONFIRM_DATA = gettext_noop("Confirm data")
REPORT_CORRECTION = gettext_noop("Report a correction")
CORRECT_DATA = gettext_noop("Correct data")
REOPEN_FOR_CORRECTION = gettext_noop("Reopen for correction")
ADMIT_FEEDER = gettext_noop("Admit to the feeder school")
ADMIT_BY_REGISTRATION = gettext_noop("Admit by registration")
ADMIT_PRIVATE = gettext_noop("Admit to a private school")
ADMIT_HOME_DISTRICT = gettext_noop("Admit in the home district")
ADMIT_NEW_ARRIVAL = gettext_noop("Admit as a new arrival")
ADMIT_SPECIAL_EDUCATION = gettext_noop("Place in special education")
WITHDRAW_STUDENT = gettext_noop("Withdraw student")

# Taken by the import, the family's portal and API, and the city-wide lottery.
STUDENT_CALLED_BY_CODE = (
    OPEN_FOR_CONFIRMATION,
    SUBMIT_NEW_ARRIVAL,
    CONFIRM_DATA,
    REPORT_CORRECTION,
    ASSIGN_BY_LOTTERY,
)

# The transfer's workflow (`workflows/transfer.json`, R39): the transfer-out district decides, then the
# transfer-in district (services/transfers.check_deciding_district holds each to its side).
APPROVE_TRANSFER_OUT = gettext_noop("Approve transfer out")
REFUSE_TRANSFER_OUT = gettext_noop("Refuse transfer out")
APPROVE_TRANSFER_IN = gettext_noop("Approve transfer in")
REFUSE_TRANSFER_IN = gettext_noop("Refuse transfer in")

# The move of the student follows the second approval (services/transfers.move_student).
TRANSFER_CALLED_BY_CODE = (APPROVE_TRANSFER_IN,)
