"""Every enumerated value of the domain, in one place (glossary names in code, Chinese in the UI)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    PRIMARY = "primary", _("Primary school")
    JUNIOR = "junior", _("Junior high school")


class Ownership(models.TextChoices):
    PUBLIC = "public", _("Public")
    PRIVATE = "private", _("Private")


class StreetKind(models.TextChoices):
    SUBDISTRICT = "subdistrict", _("Subdistrict")
    TOWN = "town", _("Town")
    AREA = "area", _("Area")


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", _("Resident identity card")
    HK_MACAO_PERMIT = "hk_macao_permit", _("Hong Kong/Macao residence permit")
    TAIWAN_PERMIT = "taiwan_permit", _("Taiwan residence permit")
    FOREIGN_PERMANENT = "foreign_permanent", _("Foreign permanent resident ID card")
    PASSPORT = "passport", _("Passport")


class HukouCategory(models.TextChoices):
    LOCAL = "local", _("Beijing hukou")
    NONLOCAL = "nonlocal", _("Non-Beijing hukou")


class CategoryKind(models.TextChoices):
    """R5/R6: which lists a special category belongs to."""

    COUNTS_AS_LOCAL = "counts_as_local", _("Counts as Beijing hukou")
    PRIORITY = "priority", _("Priority under equal conditions")
    DISTRICT_HANDLED = "district_handled", _("Registered by the district")


class Stage(models.TextChoices):
    """R1: the dated stages of a campaign."""

    REGISTRATION = "registration", _("Registration and information entry")
    FIVE_CERTIFICATE_RESULTS = "five_certificate_results", _("Five-certificate review results")
    SCHOOL_CHECK = "school_check", _("School preliminary check")
    DISTRICT_CONFIRMATION = "district_confirmation", _("District confirmation")
    RESULTS = "results", _("Results")
    LOTTERY = "lottery", _("Lottery")
    PRIVATE_APPLICATION = "private_application", _("Private-school application")
    # The junior-high campaign's stages (R37-R41)
    GRADUATE_CONFIRMATION = "graduate_confirmation", _("Graduate data confirmation")
    TRANSFER = "transfer", _("Transfer window")
    NEW_ARRIVAL_REVIEW = "new_arrival_review", _("New-arrival review")
    JUNIOR_REGISTRATION = "junior_registration", _("Registration and preferences")

    @classmethod
    def of_level(cls, level: str) -> tuple[str, ...]:
        """The stages a campaign of `level` has (R1 for primary, R37-R41 for junior high), in order."""
        if level == Level.JUNIOR:
            return (cls.GRADUATE_CONFIRMATION, cls.TRANSFER, cls.NEW_ARRIVAL_REVIEW, cls.JUNIOR_REGISTRATION,
                    cls.PRIVATE_APPLICATION, cls.LOTTERY, cls.RESULTS)
        return (cls.REGISTRATION, cls.FIVE_CERTIFICATE_RESULTS, cls.SCHOOL_CHECK, cls.DISTRICT_CONFIRMATION,
                cls.PRIVATE_APPLICATION, cls.LOTTERY, cls.RESULTS)


class ApplicationState(models.TextChoices):
    """The shipped workflow's state names (workflows/application.json, the demo, tests). What a state
    means (printable, ended, …) is a flag of the workflow's state, read through
    apps/lowcode/workflow/states.py; Application.state accepts any state of the active workflow."""

    REGISTERED = "registered", _("Registered")
    IDENTITY_CHECK = "identity_check", _("Identity check")
    IDENTITY_FAILED = "identity_failed", _("Identity check failed")
    FIVE_CERTIFICATE_REVIEW = "five_certificate_review", _("Five-certificate review")
    FIVE_CERTIFICATE_REJECTED = "five_certificate_rejected", _("Five-certificate review rejected")
    READY_TO_PRINT = "ready_to_print", _("Ready to print")
    PRE_ADMITTED = "pre_admitted", _("Pre-admitted")
    SCHOOL_REJECTED = "school_rejected", _("Rejected by the school")
    CONFIRMED = "confirmed", _("Admission confirmed")
    DISTRICT_REJECTED = "district_rejected", _("Rejected by the district")
    CANCELLED = "cancelled", _("Cancelled")
    VOID = "void", _("Void")

    @classmethod
    def ended(cls) -> tuple[str, ...]:
        """The shipped ended states, for the database's `live_child` column (R9/R33) only: code asks the
        workflow's `ended` flag (rules.registration.ended_states). An administrator's own ended state
        is not in this generated column: the database still counts it as live."""
        return (cls.CANCELLED, cls.VOID)


class Relationship(models.TextChoices):
    FATHER = "father", _("Father")
    MOTHER = "mother", _("Mother")
    GRANDPARENT = "grandparent", _("Grandparent")
    OTHER_GUARDIAN = "other", _("Other guardian")


class HousingType(models.TextChoices):
    OWNED = "owned", _("Owned property")
    RENTED = "rented", _("Rented")
    PUBLIC_HOUSING = "public_housing", _("Public housing")
    OTHER = "other", _("Other")


class RegistryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    VERIFIED = "verified", _("Verified")
    FAILED = "failed", _("Failed")


class StudentState(models.TextChoices):
    """Default states of a junior-high student (R37-R41); the workflow decides the moves between them."""

    IMPORTED = "imported", _("Imported")
    NEW_ARRIVAL_REVIEW = "new_arrival_review", _("New-arrival review")
    NEW_ARRIVAL_REFUSED = "new_arrival_refused", _("New arrival refused")
    AWAITING_CONFIRMATION = "awaiting_confirmation", _("Awaiting family confirmation")
    CORRECTION_REQUESTED = "correction_requested", _("Correction requested")
    CONFIRMED = "confirmed", _("Confirmed by the family")
    ADMITTED = "admitted", _("Admitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class StudentSource(models.TextChoices):
    REGISTRY = "registry", _("Student registry")
    IMPORT = "import", _("File import")
    NEW_ARRIVAL = "new_arrival", _("New arrival")


class ConfirmationMethod(models.TextChoices):
    PORTAL = "portal", _("Online, on the portal")
    API = "api", _("Online, through the API")
    PAPER = "paper", _("Signed sheet at the school")


class AdmissionRoute(models.TextChoices):
    """R38-R41: how a graduate got the junior-high place (set by the transition that decided it)."""

    FEEDER = "feeder", _("Feeder school (对口直升)")
    REGISTRATION = "registration", _("Registration admission (登记入学)")
    LOTTERY = "lottery", _("Computer assignment (派位)")
    PRIVATE = "private", _("Private school (民办)")
    HOME_DISTRICT = "home_district", _("Back to the hukou or residence district (回户籍/居住地)")
    NEW_ARRIVAL = "new_arrival", _("New arrival in Beijing (新进京)")
    SPECIAL_EDUCATION = "special_education", _("Special education (特殊教育)")


class TransferBasis(models.TextChoices):
    """R39: why a graduate moves to another district for junior high."""

    HUKOU = "hukou", _("Hukou in the district (户籍)")
    PROPERTY = "property", _("Property in the district (房产)")


class TransferState(models.TextChoices):
    """Default states of a transfer (R39); the workflow decides the moves between them."""

    OUT_REVIEW = "out_review", _("Transfer-out district review")
    IN_REVIEW = "in_review", _("Transfer-in district review")
    APPROVED = "approved", _("Transfer approved")
    REFUSED = "refused", _("Transfer refused")
