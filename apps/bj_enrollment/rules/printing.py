"""R21: the information-collection form can be printed only once the child is fully verified (and,
without Beijing hukou, approved by the five-certificate review); from then on at any time.

Which states allow printing is the `printable` flag of the workflow's states; the refusal names
why: the review still under way, the child not verified yet (a step before the review's), or not
printable at all (refused, ended, or an administrator's state without the flag)."""

from apps.bj_enrollment import error_codes
from apps.lowcode.workflow import states


def can_print(application) -> bool:
    from apps.bj_enrollment.rules.five_certificates import shown_state

    return bool(states.flag(application, "printable", shown_state(application)))


def check_can_print(application) -> None:
    from apps.bj_enrollment.rules.five_certificates import shown_state

    state = shown_state(application)
    row = states.state_of(application, state)
    if row is None:
        raise error_codes.NOT_PRINTABLE.error()
    if row.printable:
        return
    if row.review:
        raise error_codes.AWAITING_REVIEW.error()
    if not (row.outcome or row.ended) and _before_review(application, states.step_of(application, state)):
        raise error_codes.NOT_VERIFIED.error()
    raise error_codes.NOT_PRINTABLE.error()


def can_print_sheet(student) -> bool:
    """R37: a student's confirmation sheet exists once the family confirmed, in a state flagged printable."""
    return bool(student.confirmation_number) and bool(states.flag(student, "printable"))


def check_family_print(document) -> None:
    """The print gate of the family's own form, whichever it is: the collection form (R21) or the
    junior-high confirmation sheet (R37). Raises the reason as a ValidationError."""
    from apps.bj_enrollment.models import Student

    if isinstance(document, Student):
        if not can_print_sheet(document):
            raise error_codes.JUNIOR_NOT_CONFIRMED.error()
        return
    check_can_print(document)


def waiting_for_school() -> tuple[str, ...]:
    """Printable states without a seat or an outcome: families waiting for a school's check
    (reminders, walk-ins)."""
    from apps.bj_enrollment.models import Application

    return tuple(
        name for name in states.states_with(Application, "printable")
        if not states.flag(Application, "takes_seat", name) and not states.flag(Application, "outcome", name)
    )


def _before_review(application, step: str) -> bool:
    """Whether the step comes before the review's step (or the first printable step) in the portal's list."""
    order = [s.name for s in states.steps(type(application))]
    limit = next((i for i, s in enumerate(states.steps(type(application))) if s.review or s.printable), len(order))
    return step in order and order.index(step) < limit
