from django.utils.translation import gettext_lazy as _

from apps.bj_enrollment.doctype.student import Student


class NewArrival(Student):
    """The desk's door for students new to Beijing (新进京, R40): the same Student rows
    (source="new_arrival"), registered by a district (services/new_arrivals.register_new_arrival)
    and reviewed through the Student workflow. A proxy so the door has its own rights."""

    class Meta:
        proxy = True
        verbose_name = _("new arrival")
        verbose_name_plural = _("new arrivals")
