"""R41: a student's route of admission is the decision that admitted them, never a field typed apart.

Each admitting action of the student workflow names one route; the step below, run by the engine
inside the transition's transaction, writes the route and the transition record onto the student,
so the route always points at who decided it, when and why. Leaving `admitted` (a changed result)
clears route and school; the history and the transition records keep the old ones. The feeder route
(对口直升) is refused unless the admitting school is paired with the graduating school (FeederPair), and
the lottery's route (派位) unless the school is in the student's own district (a draw frozen before a
transfer moved the student no longer places it).
In the new district of an approved transfer every public admission records 回户籍/居住地.
"""

from django.utils.translation import gettext_lazy as _

from apps.bj_enrollment import workflow_actions as A
from apps.bj_enrollment.choices import AdmissionRoute, StudentState
from apps.lowcode.workflow import errors

ROUTE_OF_ACTION = {
    A.ADMIT_FEEDER: AdmissionRoute.FEEDER,
    A.ADMIT_BY_REGISTRATION: AdmissionRoute.REGISTRATION,
    A.ASSIGN_BY_LOTTERY: AdmissionRoute.LOTTERY,
    A.ADMIT_PRIVATE: AdmissionRoute.PRIVATE,
    A.ADMIT_HOME_DISTRICT: AdmissionRoute.HOME_DISTRICT,
    A.ADMIT_NEW_ARRIVAL: AdmissionRoute.NEW_ARRIVAL,
    A.ADMIT_SPECIAL_EDUCATION: AdmissionRoute.SPECIAL_EDUCATION,
}

# R39/R41: a student admitted in its new district after an approved transfer enters by 回户籍/居住地,
# whichever public action admitted it; a private school or special education keeps its own route.
KEPT_AFTER_TRANSFER = (AdmissionRoute.PRIVATE, AdmissionRoute.SPECIAL_EDUCATION)


def record_admission_route(student, record) -> None:
    """Engine step for Student: set (or clear) the admission route with the record that decided it."""
    if record.to_state == StudentState.ADMITTED:
        route = ROUTE_OF_ACTION.get(record.action)
        if route is None:
            raise errors.Refused(_("The action %(action)s names no admission route."), action=record.action)
        if route == AdmissionRoute.FEEDER and student.school_id is None:
            student.school = only_feeder_school(student)  # the desk's button: the one paired school
        if student.school_id is None and route != AdmissionRoute.SPECIAL_EDUCATION:
            raise errors.Refused(_("Choose the junior high school that admits the student."))
        if student.school_id is not None and not student.school.offers_junior:
            raise errors.Refused(_("The admitting school must be a junior high school."))
        if route == AdmissionRoute.FEEDER:
            check_feeder_pair(student)
        if route == AdmissionRoute.LOTTERY and student.school.district_id != student.district_id:
            # drawn in its old district, then moved by an approved transfer: that draw no longer places it
            raise errors.Refused(_("The lottery places a student only in a school of its own district."))
        if route not in KEPT_AFTER_TRANSFER and student.moved_by_transfer:
            route = AdmissionRoute.HOME_DISTRICT
        student.admission_route, student.admission_record = route, record
    elif record.from_state == StudentState.ADMITTED:
        student.admission_route, student.admission_record, student.school = "", None, None
    else:
        return
    student.save(update_fields=["admission_route", "admission_record", "school", "updated_at"])


def check_feeder_pair(student) -> None:
    from apps.bj_enrollment.models import FeederPair

    paired = FeederPair.objects.filter(
        campaign_id=student.campaign_id,
        primary_school_id=student.graduating_school_id,
        junior_school_id=student.school_id,
    ).exists()
    if not paired:
        raise errors.Refused(_("%(school)s is not a feeder school of %(primary)s."),
                             school=student.school, primary=student.graduating_school)


def only_feeder_school(student):
    """The junior high paired with the student's graduating school, when there is exactly one."""
    from apps.bj_enrollment.models import FeederPair

    pairs = list(
        FeederPair.objects.filter(campaign_id=student.campaign_id, primary_school_id=student.graduating_school_id)
        .select_related("junior_school")[:2]
    )
    return pairs[0].junior_school if len(pairs) == 1 else None
