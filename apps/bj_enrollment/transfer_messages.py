"""Messages about a student's transfer (R39): each district's decision reaches the student's mobile on
file, with the refusal's reason. The default templates are files in `message_templates/`
(transfer_*.json), loaded at migrate with the others (messaging_setup.py)."""

from __future__ import annotations

from django.utils import timezone

from apps.bj_enrollment.models import Transfer
from apps.lowcode.messaging import registry
from apps.lowcode.workflow.states import parent_label

SAMPLE = {
    "name": "李东华",
    "education_id": "G110101201401010011",
    "from_district": "东城区",
    "to_district": "西城区",
    "basis": "户籍",
    "state": "转入区审核中",
    "reason": "",
    "today": "2026-05-10",
}


def transfer_audience(transfer: Transfer) -> registry.Audience:
    student = transfer.student
    return registry.Audience(
        recipients={"sms": [student.mobile]},
        context={
            "name": student.name,
            "education_id": student.education_id,
            "from_district": transfer.from_district.name,
            "to_district": transfer.to_district.name,
            "basis": transfer.get_basis_display(),
            "state": parent_label(transfer),
            "reason": "",
            "today": timezone.localdate().isoformat(),
        },
    )


registry.register(Transfer, audience=transfer_audience, sample=SAMPLE)
