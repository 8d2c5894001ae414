"""R39 for the family: the student's transfer on the junior portal's home page and in the API's
student answer (state, each district's decision with its time, the refusal's reason), both read
from services.transfers.transfer_status, followed over HTTP at every step of the desk's review."""

import pytest
from django.test import Client
from django.urls import reverse

from apps.bj_enrollment import workflow_actions as A
from apps.bj_enrollment.models import Transfer
from tests.bj_enrollment.junior.family.test_family_api import API, token_for
from tests.bj_enrollment.junior.family.test_family_portal import log_in
from tests.bj_enrollment.junior.test_transfers import _decide, _file

pytestmark = pytest.mark.django_db


def _family(graduate, run_jobs):
    """The family's two doors: a portal session and an API token."""
    portal, api = Client(), Client()
    assert log_in(portal, graduate).status_code == 302
    auth = token_for(api, run_jobs, graduate)
    return (lambda: portal.get(reverse("portal-junior:home")).content.decode(),
            lambda: api.get(API + "/student", **auth).json()["transfer"])


def _section(page: str) -> str:
    start = page.find('id="transfer-status"')
    return page[start:page.index("</section>", start)] if start >= 0 else ""


def test_the_family_follows_its_transfer_to_approval(client, graduate, junior, run_jobs):
    home, api = _family(graduate, run_jobs)
    assert _section(home()) == "" and api() is None  # no transfer: nothing shown

    assert _file(client, junior).status_code == 302
    transfer = Transfer.objects.get(student=graduate)
    section, answer = _section(home()), api()
    assert "转区申请" in section and "东城区" in section and "西城区" in section
    assert (answer["state"], answer["from_district"], answer["to_district"], answer["decisions"]) == (
        "out_review", "东城区", "西城区", [])
    assert answer["label"] in section and answer["hint"] and answer["hint"] in section

    _decide(client, junior.east_reviewer, transfer, A.APPROVE_TRANSFER_OUT)
    section, answer = _section(home()), api()
    assert answer["state"] == "in_review"
    [out] = answer["decisions"]
    assert (out["district"], out["label"], out["approved"], out["reason"]) == ("东城区", "同意转出", True, "")
    assert "东城区：同意转出" in section and out["at"][:10] in section

    _decide(client, junior.west_reviewer, transfer, A.APPROVE_TRANSFER_IN)
    section, answer = _section(home()), api()
    assert answer["state"] == "approved" and answer["refusal_reason"] == ""
    decisions = [(d["district"], d["label"]) for d in answer["decisions"]]
    assert decisions == [("东城区", "同意转出"), ("西城区", "同意转入")]
    assert "西城区：同意转入" in section and answer["label"] in section


@pytest.mark.parametrize("side", ["out", "in"])
def test_a_refusal_shows_who_refused_when_and_why(client, graduate, junior, run_jobs, side):
    home, api = _family(graduate, run_jobs)
    _file(client, junior)
    transfer = Transfer.objects.get(student=graduate)
    if side == "out":
        _decide(client, junior.east_reviewer, transfer, A.REFUSE_TRANSFER_OUT, "户籍或房产证明材料不全")
        expected = [("东城区", "不同意转出", False, "户籍或房产证明材料不全")]
    else:
        _decide(client, junior.east_reviewer, transfer, A.APPROVE_TRANSFER_OUT)
        _decide(client, junior.west_reviewer, transfer, A.REFUSE_TRANSFER_IN, "户籍或房产不在本区")
        expected = [("东城区", "同意转出", True, ""), ("西城区", "不同意转入", False, "户籍或房产不在本区")]
    section, answer = _section(home()), api()
    assert answer["state"] == "refused" and answer["refusal_reason"] == expected[-1][3]
    assert [(d["district"], d["label"], d["approved"], d["reason"]) for d in answer["decisions"]] == expected
    assert f"{expected[-1][0]}：{expected[-1][1]}" in section and f"原因：{expected[-1][3]}" in section
