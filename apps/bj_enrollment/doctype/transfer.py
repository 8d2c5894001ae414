from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.bj_enrollment.choices import TransferBasis, TransferState


class Transfer(models.Model):
    """A graduate's move to the district of their hukou or property for junior high (转出/转入, R39).

    Filed by the graduating school in the transfer window (services/transfers.file_transfer), decided
    by the transfer-out district and then the transfer-in district through its workflow
    (`workflows/transfer.json`); the second approval moves the student (services/transfers).
    `reviewing_district` is the transfer-in district while the transfer is under review: it lets that
    district see the student (Student.scope_paths) until the decision, and is cleared by it.
    """

    student = models.ForeignKey(
        "bj_enrollment.Student", models.PROTECT, related_name="transfers", verbose_name=_("student")
    )
    basis = models.CharField(_("basis"), max_length=16, choices=TransferBasis.choices)
    document_number = models.CharField(
        _("document number"), max_length=64,
        help_text=_("The hukou booklet's number or the property certificate's number."),
    )
    address = models.CharField(_("address in the transfer-in district"), max_length=200)
    from_district = models.ForeignKey(
        "bj_enrollment.District", models.PROTECT, related_name="+", verbose_name=_("transfer-out district")
    )
    to_district = models.ForeignKey(
        "bj_enrollment.District", models.PROTECT, related_name="+", verbose_name=_("transfer-in district")
    )
    reviewing_district = models.ForeignKey(
        "bj_enrollment.District", models.PROTECT, null=True, blank=True, related_name="+", editable=False,
        verbose_name=_("transfer-in district while under review"),
    )
    # No choices: the active workflow's states are the allowed values.
    state = models.CharField(_("state"), max_length=32, default=TransferState.OUT_REVIEW)
    filed_by = models.ForeignKey(
        "auth.User", models.PROTECT, related_name="+", editable=False, verbose_name=_("filed by")
    )
    created_at = models.DateTimeField(_("filed at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    # Both districts keep seeing the transfer (the old one its history); the graduating school too.
    scope_paths = {"district": ("from_district_id", "to_district_id"), "school": "student__graduating_school_id"}

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["student", "state"], name="transfer_student_state")]

    def __str__(self):
        return f"{self.student.name}：{self.from_district} → {self.to_district}"

    def get_state_display(self) -> str:
        from apps.lowcode.workflow.states import label

        return label(self)

    def clean(self):
        from apps.lowcode.workflow.states import check_known

        check_known(self)

