"""Django's entry point to the DocTypes; each lives in its own module under doctype/."""

from apps.bj_enrollment.doctype.api_token_generation import ApiTokenGeneration
from apps.bj_enrollment.doctype.application import Application
from apps.bj_enrollment.doctype.application_count import ApplicationCount
from apps.bj_enrollment.doctype.campaign import Campaign, CampaignWindow
from apps.bj_enrollment.doctype.category import Category
from apps.bj_enrollment.doctype.category_claim import CategoryClaim
from apps.bj_enrollment.doctype.child import Child
from apps.bj_enrollment.doctype.disclosure_release import DisclosureRelease
from apps.bj_enrollment.doctype.district import District
from apps.bj_enrollment.doctype.document import ApplicationDocument, DocumentRequirement
from apps.bj_enrollment.doctype.feeder_pair import FeederPair
from apps.bj_enrollment.doctype.graduate_import import GraduateImport
from apps.bj_enrollment.doctype.guardian import Guardian
from apps.bj_enrollment.doctype.high_school_entry import HighSchoolEntry
from apps.bj_enrollment.doctype.lottery_run import LotteryEntry, LotteryRun
from apps.bj_enrollment.doctype.new_arrival import NewArrival
from apps.bj_enrollment.doctype.preference import Preference, PreferenceList, PreferenceSetting
from apps.bj_enrollment.doctype.private_application import PrivateApplication, PrivateApplicationSetting
from apps.bj_enrollment.doctype.property import Property
from apps.bj_enrollment.doctype.registry_export import RegistryExport
from apps.bj_enrollment.doctype.role import Role, RolePermission
from apps.bj_enrollment.doctype.school import School
from apps.bj_enrollment.doctype.school_plan import SchoolPlan
from apps.bj_enrollment.doctype.service_zone import ServiceZone
from apps.bj_enrollment.doctype.staff_scope import StaffScope
from apps.bj_enrollment.doctype.street import Street
from apps.bj_enrollment.doctype.student import Student, StudentGuardian
from apps.bj_enrollment.doctype.transfer import Transfer
from apps.bj_enrollment.doctype.walk_in import WalkIn
from apps.bj_enrollment.doctype.zone_area import ZoneArea
from apps.bj_enrollment.doctype.zone_lookup import ZoneLookup

__all__ = [
    "ApiTokenGeneration",
    "Application",
    "ApplicationCount",
    "ApplicationDocument",
    "Campaign",
    "CampaignWindow",
    "Category",
    "CategoryClaim",
    "Child",
    "DisclosureRelease",
    "District",
    "DocumentRequirement",
    "FeederPair",
    "GraduateImport",
    "Guardian",
    "HighSchoolEntry",
    "LotteryEntry",
    "LotteryRun",
    "NewArrival",
    "Preference",
    "PreferenceList",
    "PreferenceSetting",
    "PrivateApplication",
    "PrivateApplicationSetting",
    "Property",
    "RegistryExport",
    "Role",
    "RolePermission",
    "School",
    "SchoolPlan",
    "ServiceZone",
    "StaffScope",
    "Street",
    "Student",
    "StudentGuardian",
    "Transfer",
    "WalkIn",
    "ZoneArea",
    "ZoneLookup",
]
