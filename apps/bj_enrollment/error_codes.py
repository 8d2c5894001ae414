"""Every error code the enrollment platform answers with, and the message it is shown with.

A code is a contract: the city's mobile app branches on `code` in the API's
`{"errors": {"<field>": [{"code", "message"}]}}`, and shows `message` to the family. So each code is
declared once, here, with its message (an English msgid, Chinese through the zh_Hans catalogue);
rules and services raise `error_codes.X.error(...)`, and a test checks that every code the API can
return is declared (tests/bj_enrollment/test_error_codes.py).

Codes from Django's form fields (`required`, `invalid`, `max_length`, ...) and from the custom
fields of the lowcode layer are declared too: they reach the API through the portal's forms.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ErrorCode:
    code: str
    message: Promise | str

    def error(self, message: Promise | str | None = None, **params) -> ValidationError:
        """The ValidationError to raise; `message` replaces the default where a caller says more."""
        return ValidationError(message if message is not None else self.message, code=self.code, params=params or None)

    def __str__(self) -> str:
        return self.code


DECLARED: dict[str, ErrorCode] = {}


def _code(code: str, message: Promise | str) -> ErrorCode:
    assert code not in DECLARED, code  # noqa: S101  (a code is declared once)
    DECLARED[code] = ErrorCode(code, message)
    return DECLARED[code]


# --- any field (Django's form-field codes, also used by our rules) ---------------------------------
REQUIRED = _code("required", _("This field is required."))
INVALID = _code("invalid", _("Enter a valid value."))
INVALID_CHOICE = _code("invalid_choice", _("Select a valid choice."))
MAX_LENGTH = _code("max_length", _("This value is too long."))
MIN_LENGTH = _code("min_length", _("This value is too short."))
MAX_VALUE = _code("max_value", _("This value is too large."))
MIN_VALUE = _code("min_value", _("This value is too small."))
MAX_DIGITS = _code("max_digits", _("This number has too many digits."))
MAX_DECIMAL_PLACES = _code("max_decimal_places", _("This number has too many decimal places."))
MAX_WHOLE_DIGITS = _code("max_whole_digits", _("This number has too many digits before the decimal point."))
STEP_SIZE = _code("step_size", _("Enter a valid value."))
NULL_CHARACTERS = _code("null_characters_not_allowed", _("Null characters are not allowed."))
INCOMPLETE = _code("incomplete", _("Enter a complete value."))
INVALID_DATE = _code("invalid_date", _("Enter a valid date."))
INVALID_NUMBER = _code("invalid_number", _("Enter a number."))
INVALID_PHONE = _code("invalid_phone", _("Enter a valid mobile number."))
INVALID_ID = _code("invalid_id", _("Enter a valid ID number."))
PATTERN = _code("pattern", _("Enter a value in the required format."))
UNKNOWN_FIELD = _code("unknown", _("This field is unknown."))
TABLE_ROWS = _code("table_rows", _("Enter the table as a list of rows."))
TABLE_CELL = _code("table_cell", _("A row of the table has a value in the wrong format."))

# --- the request itself (API) -------------------------------------------------------------------------
BAD_REQUEST = _code("bad_request", _("The request could not be understood."))
MALFORMED_BODY = _code("malformed_body", _("The request body must be a JSON object (Content-Type: application/json)."))
UNAUTHORISED = _code("unauthorised", _("Log in first."))
CSRF = _code("csrf", _("The page's security token is missing or old: reload the page, or use a bearer token."))
NOT_FOUND = _code("not_found", _("Nothing was found at this address."))
METHOD_NOT_ALLOWED = _code("method_not_allowed", _("This address does not accept this method."))
RATE_LIMITED = _code("rate_limited", _("Too many attempts; please try again in %(minutes)d minutes."))
SERVER_ERROR = _code(
    "server_error",
    _("Something went wrong on our side; your data is safe. Please try again later (request %(request_id)s)."),
)
WORKFLOW = _code("workflow", _("This step cannot be taken now."))

# --- R1 windows, R2 age, R3 district, R10 accounts per mobile ------------------------------------
WINDOW_MISSING = _code("window_missing", _("Registration has not been scheduled for this district yet."))
WINDOW_NOT_OPEN = _code("window_not_open", _("Registration opens on %(date)s."))
WINDOW_CLOSED = _code("window_closed", _("Registration closed on %(date)s; data can no longer be entered or changed."))
TOO_YOUNG = _code("too_young", _("Only children born on or before %(date)s can register this year."))
OVER_AGE = _code(
    "over_age",
    _(
        "Children born before %(date)s are over-age: please contact the district education committee, "
        "which registers them on your behalf."
    ),
)
WRONG_DISTRICT = _code(
    "wrong_district", _("Register in the district of the child's hukou or of the family's residence.")
)
MOBILE_LIMIT = _code("mobile_limit", _("This mobile number already holds %(count)d accounts, the most allowed."))

# --- R9 identity --------------------------------------------------------------------------------------
ID_LENGTH = _code("id_length", _("A resident ID number has 18 characters."))
ID_CHARACTERS = _code("id_characters", _("A resident ID number has only the digits 0-9, and X as its last character."))
ID_INVALID = _code("id_invalid", _("This is not a valid resident ID number."))
ID_CHECKSUM = _code("id_checksum", _("The check digit of this ID number is wrong."))
ID_REGION = _code("id_region", _("The first six digits of this ID number are not a region code (GB/T 2260)."))
GUARDIAN_IS_CHILD = _code("guardian_is_child", _("This is the child's own ID number; enter the guardian's."))
ID_BIRTH_DATE = _code("id_birth_date", _("The birth date in the ID number differs from the birth date entered."))
ID_GENDER = _code("id_gender", _("The gender in the ID number differs from the gender entered."))
ID_REGISTERED = _code(
    "id_registered",
    _(
        "This ID number is already registered in this campaign. Log in with its account number, "
        "or cancel that account first."
    ),
)
ONE_LIVE_APPLICATION = _code(
    "one_live_application",
    _(
        "This child already has a live application in this campaign (form number %(number)s, %(district)s)."
        " A child registers in one district only."
    ),
)
DISTRICT_HANDLED = _code(
    "district_handled",
    _("Children with this kind of identity document are registered by the district: please contact it."),
)

# --- R11 accounts and passwords, R12 SMS codes, log-in ---------------------------------------------
PASSWORD_LENGTH = _code("password_length", _("The password must be %(min)d to %(max)d characters long."))
PASSWORD_CLASSES = _code(
    "password_classes", _("The password must contain a digit, a lowercase letter and an uppercase letter.")
)
PASSWORD_MISMATCH = _code("mismatch", _("The two passwords differ."))
NO_ACCOUNT = _code("no_account", _("No live account matches this number and mobile."))
INVALID_LOGIN = _code("invalid_login", _("The account number or the password is wrong."))
ACCOUNT_CANCELLED = _code(
    "account_cancelled",
    _("This account was cancelled; it can no longer log in. To apply again, register the child anew."),
)
LOCKED = _code(
    "locked",
    _(
        "This account is locked for a while after too many wrong passwords; try again in %(minutes)d "
        "minutes or reset the password."
    ),
)
SMS_WAIT = _code("sms_wait", _("A code was sent recently; you can request a new one in %(seconds)d seconds."))
SMS_EXPIRED = _code(
    "sms_expired", _("The SMS code has expired or was not requested for this mobile number; request a new one.")
)
SMS_TRIES = _code("sms_tries", _("Too many wrong SMS codes; request a new one."))
SMS_WRONG = _code("sms_wrong", _("The SMS code is wrong."))

# --- R37/R38 the junior-high family side (services/junior_family.py) ---------------------------------
JUNIOR_INVALID_LOGIN = _code(
    "junior_invalid_login", _("No student with this education ID and name is taking part in the junior-high entry.")
)
JUNIOR_LOCKED = _code(
    "junior_locked",
    _("Too many wrong attempts with this education ID; try again in %(minutes)d minutes."),
)
JUNIOR_NO_MOBILE = _code(
    "junior_no_mobile", _("No mobile number is on file for this student; ask the graduating school to add it.")
)
JUNIOR_NOT_AWAITING = _code(
    "junior_not_awaiting", _("The student's data is not waiting for the family's confirmation now.")
)
JUNIOR_CONFIRMATION_CLOSED = _code(
    "junior_confirmation_closed", _("The graduate-data confirmation is not open at the moment.")
)
JUNIOR_CORRECTION_EMPTY = _code(
    "junior_correction_empty", _("Say for at least one item what it should be.")
)
JUNIOR_NOT_CONFIRMED = _code(
    "junior_not_confirmed", _("The confirmation sheet can be printed once the family has confirmed the data.")
)

# --- R15-R18 details, R21 printing --------------------------------------------------------------------
NOT_EDITABLE = _code(
    "not_editable",
    _(
        "The details were submitted and can no longer be changed; withdraw them to edit while the "
        "identity check has not finished."
    ),
)
PERMIT_TOO_SHORT = _code(
    "permit_too_short", _("The residence permit has been held for %(held)d months; at least %(months)d are required.")
)
AWAITING_REVIEW = _code(
    "awaiting_review", _("The form can be printed after the district approves the five certificates.")
)
NOT_VERIFIED = _code(
    "not_verified", _("The form can be printed after the details are submitted and the identity check has passed.")
)
NOT_PRINTABLE = _code("not_printable", _("This application's form cannot be printed."))
PRINT_ERROR = _code(
    "print_error", _("The form cannot be produced right now; please try again later or contact the district.")
)

# --- R5 categories -----------------------------------------------------------------------------------
CATEGORY_UNKNOWN = _code("category_unknown", _("Choose one of the categories listed."))
CATEGORY_VERIFIED = _code("category_verified", _("The district has already verified this category."))
CATEGORY_DECIDED = _code("category_decided", _("This claim has already been decided."))
REASON_REQUIRED = _code("reason_required", _("Give the reason for the refusal; the family will read it."))

# --- R34 zone look-up ---------------------------------------------------------------------------------
LOOKUP_LIMIT = _code(
    "lookup_limit",
    _(
        "This ID number has already been used to look up %(limit)d addresses in %(district)s; "
        "no other address can be looked up. Addresses looked up before can be looked up again."
    ),
)
LOOKUP_CLOSED = _code("closed", _("The service-zone look-up is not open at the moment."))
# (a network's too many look-ups: RATE_LIMITED, "Too many look-ups from this network. Please try again in a minute.")

# --- documents the family uploads (apps/lowcode/uploads.py checks every file by its content) ---------
UPLOAD_EMPTY = _code("upload_empty", _("The file is empty."))
UPLOAD_TOO_LARGE = _code("upload_too_large", _("The file is larger than %(limit)s."))
UPLOAD_TYPE = _code(
    "upload_type", _("This file is not of an accepted type (%(kinds)s); its content decides, not its name.")
)
UPLOAD_HEIC = _code(
    "upload_heic",
    _("HEIC photos cannot be read here; upload a JPG or PNG (or set the camera to 'Most Compatible')."),
)
UPLOAD_DAMAGED = _code("upload_damaged", _("The file cannot be read; it may be damaged."))
UPLOAD_PIXELS = _code("upload_pixels", _("The image has too many pixels (at most %(limit)s million)."))
UPLOAD_PDF_ENCRYPTED = _code("upload_pdf_encrypted", _("The PDF is protected by a password; upload it without one."))
UPLOAD_PDF_ACTIVE = _code("upload_pdf_active", _("The PDF contains scripts or embedded files, which are not accepted."))
DOCUMENTS_CLOSED = _code(
    "documents_closed",
    _("Documents can be uploaded or changed only while registration is open and before the district's review."),
)
DOCUMENT_MISSING = _code("document_missing", _("Upload the %(name)s."))
DOCUMENT_UNKNOWN = _code("document_unknown", _("The district does not ask for this document."))
DOCUMENT_LAST_REQUIRED = _code(
    "document_last_required", _("The %(name)s is required: replace its last file instead of removing it.")
)
DOCUMENT_TOO_MANY = _code("document_too_many", _("At most %(max)s files of the %(name)s; remove or replace one first."))

# --- R41 preferences (志愿, services/preferences.py) ----------------------------------------------------
PREFERENCES_NOT_OFFERED = _code(
    "preferences_not_offered", _("The district has not opened preferences for this student's campaign.")
)
PREFERENCES_CLOSED = _code("preferences_closed", _("The preference window is not open at the moment."))
PREFERENCES_NOT_READY = _code(
    "preferences_not_ready", _("Preferences can be filled in once the family has confirmed the graduate data.")
)
PREFERENCES_TOO_MANY = _code("preferences_too_many", _("At most %(max)d schools may be listed."))
PREFERENCES_NOT_ALLOWED = _code(
    "preferences_not_allowed", _("This school cannot be listed for this student: %(school)s.")
)
PREFERENCES_DUPLICATE = _code("preferences_duplicate", _("A school is listed twice: %(school)s."))
PREFERENCES_NO_MOBILE = _code(
    "preferences_no_mobile",
    _("No mobile number is on file for the code that confirms preferences; ask the graduating school to add it."),
)
PREFERENCES_EMPTY = _code("preferences_empty", _("List at least one school before confirming."))

# --- R43 private-school applications (民办学校报名, services/private_applications.py) ---------------------
PRIVATE_CLOSED = _code("private_closed", _("The private-school application window is not open at the moment."))
PRIVATE_NOT_CONFIRMED = _code(
    "private_not_confirmed", _("A private school can be applied to once the family has confirmed the graduate data.")
)
PRIVATE_ADMITTED = _code(
    "private_admitted", _("The student has been admitted to a school; private schools can no longer be applied to.")
)
PRIVATE_NO_MOBILE = _code(
    "private_no_mobile", _("No mobile number is on file for the code; ask the graduating school to add it.")
)
PRIVATE_NOT_A_PRIVATE_SCHOOL = _code(
    "private_not_a_private_school", _("This is not a private junior high school that can be applied to.")
)
PRIVATE_DUPLICATE = _code("private_duplicate", _("You have applied to %(school)s already."))
PRIVATE_TOO_MANY = _code("private_too_many", _("At most %(max)d private schools may be applied to."))
PRIVATE_NO_APPLICATION = _code("private_no_application", _("There is no such application to change."))
