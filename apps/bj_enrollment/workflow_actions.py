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
