"""R5 through HTTP: a family declares a category with its document number (portal and API), the
district verifies or refuses it in the desk (its own district only, a refusal with a reason the
family reads); a verified "counts as Beijing hukou" category skips the five-certificate review, a
verified priority category puts the child in the lottery's priority tier."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.bj_enrollment import roles
from apps.bj_enrollment.choices import ApplicationState, CategoryKind, HukouCategory, Stage
from apps.bj_enrollment.lottery.inputs import build_input, participant_id
from apps.bj_enrollment.models import (
    Application,
    CampaignWindow,
    Category,
    CategoryClaim,
    Child,
    LotteryRun,
    SchoolPlan,
)
from apps.bj_enrollment.registries import checks
from apps.bj_enrollment.services import categories
from apps.lowcode.workflow.models import TransitionRecord
from tests import factories
from tests.bj_enrollment.portal.details_steps import submit_details
from tests.bj_enrollment.portal.test_details import _complete
from tests.bj_enrollment.registries import records

pytestmark = pytest.mark.django_db
PERMIT = "110101202000123"


@pytest.fixture
def kinds(db):
    return {
        "local": Category.objects.create(
            code="work-residence-permit", name="工作居住证持有人子女", kind=CategoryKind.COUNTS_AS_LOCAL
        ),
        "priority": Category.objects.create(code="martyr", name="烈士子女", kind=CategoryKind.PRIORITY),
        "district": Category.objects.create(code="foreign", name="外籍儿童", kind=CategoryKind.DISTRICT_HANDLED),
    }


@pytest.fixture
def nonlocal_parent(parent):
    """The portal's family, its child with Hebei hukou (so far headed for the five-certificate review)."""
    Application.objects.filter(pk=parent.pk).update(hukou_category=HukouCategory.NONLOCAL)
    Child.objects.filter(pk=parent.child_id).update(hukou_province="河北省", hukou_district=None)
    parent.refresh_from_db()
    return parent


def _desk(user) -> Client:
    desk = Client()
    desk.force_login(user)
    return desk


def _claim_url(claim) -> str:
    return reverse("admin:bj_enrollment_categoryclaim_change", args=[claim.pk])


def _submit(client, city, app, run_jobs) -> None:
    """The family submits complete details; the identity-check job runs against agreeing registries."""
    since = timezone.localdate() - dt.timedelta(days=3 * 365)
    data = _complete(city, **{"g1-residence_permit_number": PERMIT, "g1-residence_permit_since": since})
    client.post(reverse("portal:details"), {**data, "draft": "1"})
    records.store_permit(app, since, PERMIT)
    records.store_person(app.child)
    response = submit_details(client, {**data})
    assert response.status_code == 302, response.context and [f.errors for f in response.context["forms"].values()]
    run_jobs()


def _actions(app) -> list[str]:
    return list(TransitionRecord.objects.filter(object_id=str(app.pk)).order_by("pk").values_list("action", flat=True))


def test_verified_counts_as_local_category_skips_the_five_certificate_review(
    client, city, nonlocal_parent, kinds, queue, run_jobs
):
    app = nonlocal_parent
    response = client.post(
        reverse("portal:declare_category"), {"category": kinds["local"].pk, "document_number": "京工居 2026 0001"}
    )
    assert response.status_code == 302
    claim = CategoryClaim.objects.get(application=app)
    assert (claim.category, claim.document_number, claim.status) == (kinds["local"], "京工居20260001", "pending")

    _submit(client, city, app, run_jobs)
    app.refresh_from_db()
    assert app.state == ApplicationState.IDENTITY_CHECK  # waits for the district, not sent to review by default
    assert not app.counts_as_local

    response = _desk(city.east_reviewer).post(_claim_url(claim), {"decision": "verified", "reason": ""})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.status, claim.reviewer, claim.decided_at is not None) == ("verified", city.east_reviewer, True)
    assert [h.history_user for h in claim.history.order_by("history_id")] == [app.account, city.east_reviewer]

    run_jobs()  # the decision queued the identity check again
    app.refresh_from_db()
    assert app.counts_as_local and app.hukou_category == HukouCategory.NONLOCAL  # the registry's fact stays
    assert app.state == ApplicationState.READY_TO_PRINT
    assert checks.VERIFIED_LOCAL in _actions(app) and checks.VERIFIED_NONLOCAL not in _actions(app)
    # no review, so no R20 results date to wait for: the family sees its state and may print now
    now = timezone.now()
    CampaignWindow.objects.update_or_create(
        campaign=city.campaign,
        stage=Stage.FIVE_CERTIFICATE_RESULTS,
        district=None,
        defaults={"opens_at": now + dt.timedelta(days=2), "closes_at": now + dt.timedelta(days=30)},
    )
    home = client.get(reverse("portal:home"))
    steps = [step.key for step in home.context["steps"]]
    assert ApplicationState.READY_TO_PRINT in steps and ApplicationState.FIVE_CERTIFICATE_REVIEW not in steps
    assert home.context["can_print"]
    assert client.get("/api/v1/application").json()["state"] == ApplicationState.READY_TO_PRINT


def test_refused_category_stays_nonlocal_and_the_family_reads_the_reason(
    client, city, nonlocal_parent, kinds, queue, run_jobs
):
    app = nonlocal_parent
    client.post(reverse("portal:declare_category"), {"category": kinds["local"].pk, "document_number": "GZ001"})
    claim = CategoryClaim.objects.get(application=app)
    _submit(client, city, app, run_jobs)
    desk = _desk(city.east_reviewer)

    response = desk.post(_claim_url(claim), {"decision": "refused", "reason": "  "})
    assert response.status_code == 200  # the form again, saying a refusal needs its reason
    claim.refresh_from_db()
    assert (claim.status, claim.reviewer_id) == ("pending", None)

    reason = "工作居住证号与人才服务中心登记不符"
    assert desk.post(_claim_url(claim), {"decision": "refused", "reason": reason}).status_code == 302
    run_jobs()
    app.refresh_from_db()
    claim.refresh_from_db()
    assert (claim.status, claim.reason) == ("refused", reason)
    assert app.state == ApplicationState.FIVE_CERTIFICATE_REVIEW and not app.counts_as_local
    assert checks.VERIFIED_NONLOCAL in _actions(app)
    steps = [step.key for step in client.get(reverse("portal:home")).context["steps"]]
    assert ApplicationState.FIVE_CERTIFICATE_REVIEW in steps

    page = client.get(reverse("portal:details")).content.decode()
    assert reason in page and "工作居住证持有人子女" in page
    answer = client.get("/api/v1/application/categories").json()
    assert answer["claims"] == [
        {
            "category": kinds["local"].pk,
            "category_name": "工作居住证持有人子女",
            "document_number": "GZ001",
            "status": "refused",
            "reason": reason,
        }
    ]
    # a decided claim is not decided again
    assert desk.post(_claim_url(claim), {"decision": "verified", "reason": ""}).status_code in (302, 403)
    claim.refresh_from_db()
    assert claim.status == "refused"


def test_only_verified_priority_claims_reach_the_lottery(client, city, parent, kinds):
    SchoolPlan.objects.create(campaign=city.campaign, school=city.east_school, seats=10)
    others = [
        factories.application(
            city.campaign,
            factories.child(f"派位{n}"),
            city.east,
            state=ApplicationState.REGISTERED,
            mobile=f"1390000{n:04d}",
        )
        for n in range(2)
    ]
    answer = client.post(
        "/api/v1/application/categories",
        {"category": kinds["priority"].pk, "document_number": "LS-0001"},
        content_type="application/json",
    )
    assert answer.status_code == 200 and answer.json()["status"] == "pending"
    claim = CategoryClaim.objects.get(application=parent)
    assert _desk(city.east_reviewer).post(_claim_url(claim), {"decision": "verified"}).status_code == 302
    pending = categories.declare(others[0], others[0].account, kinds["priority"].pk, "LS-0002")
    refused = categories.declare(others[1], others[1].account, kinds["priority"].pk, "LS-0003")
    categories.decide(city.east_reviewer, refused.pk, verified=False, reason="证件号不符")
    assert CategoryClaim.objects.get(pk=pending.pk).status == "pending"

    for app in (parent, *others):
        factories.put_in_state(app, ApplicationState.READY_TO_PRINT)
    Application.objects.filter(pk__in=[parent.pk, *(o.pk for o in others)]).update(school=None)
    run = LotteryRun(campaign=city.campaign, district=city.east, title="东城区派位")
    document, _ids = build_input(run)
    by_id = {p["id"]: p["categories"] for p in document["participants"]}
    assert by_id[participant_id(city.campaign, parent.child)] == ["martyr"]
    assert by_id[participant_id(city.campaign, others[0].child)] == []
    assert by_id[participant_id(city.campaign, others[1].child)] == []


def test_another_district_cannot_decide_and_a_school_cannot_either(client, city, nonlocal_parent, kinds):
    client.post(reverse("portal:declare_category"), {"category": kinds["local"].pk, "document_number": "GZ002"})
    claim = CategoryClaim.objects.get(application=nonlocal_parent)
    west = factories.staff("west", roles.DISTRICT_REVIEWER, district_=city.west)
    for user in (west, city.east_school_reviewer):
        response = _desk(user).post(_claim_url(claim), {"decision": "verified", "reason": ""})
        assert response.status_code in (302, 403)
        with pytest.raises(PermissionDenied):
            categories.decide(user, claim.pk, verified=True)
    assert _desk(west).get(reverse("admin:bj_enrollment_categoryclaim_changelist")).context["cl"].result_count == 0
    claim.refresh_from_db()
    assert (claim.status, claim.reviewer_id, claim.history.count()) == ("pending", None, 1)


def test_a_family_declares_only_listed_categories_and_only_while_editable(client, city, nonlocal_parent, kinds):
    url = "/api/v1/application/categories"
    listed = client.get(url).json()["declarable"]
    assert {c["id"] for c in listed} == {kinds["local"].pk, kinds["priority"].pk}  # R6: not district-handled
    for payload, field, code in (
        ({"category": kinds["district"].pk, "document_number": "X1"}, "category", "category_unknown"),
        ({"category": kinds["local"].pk, "document_number": "  "}, "document_number", "required"),
    ):
        answer = client.post(url, payload, content_type="application/json")
        assert answer.status_code == 400 and answer.json()["errors"][field][0]["code"] == code
    factories.put_in_state(nonlocal_parent, ApplicationState.IDENTITY_CHECK)
    late = {"category": kinds["local"].pk, "document_number": "GZ3"}
    answer = client.post(url, late, content_type="application/json")
    assert answer.status_code == 400 and answer.json()["errors"]["__all__"][0]["code"] == "not_editable"
    page = client.post(
        reverse("portal:declare_category"), {"category": kinds["local"].pk, "document_number": "GZ3"}, follow=True
    )
    assert "不能再修改" in page.content.decode() or "撤回" in page.content.decode()
    assert not CategoryClaim.objects.exists()


def test_a_family_claiming_a_category_that_counts_as_local_is_not_asked_for_a_residence_permit(
    client, city, nonlocal_parent, kinds, run_jobs
):
    """R5/R18: while the district decides a "counts as local" claim, the permit is not required;
    without the claim it is, and the submission names it."""
    app = nonlocal_parent
    records.store_person(app.child)
    response = submit_details(client, _complete(city))
    assert "residence_permit_number" in response.context["forms"]["g1"].errors  # no claim: R18 applies
    app.refresh_from_db()
    assert app.state == ApplicationState.REGISTERED

    client.post(reverse("portal:declare_category"), {"category": kinds["local"].pk, "document_number": "京工居0002"})
    response = submit_details(client, _complete(city))
    assert response.status_code == 302
    run_jobs()
    app.refresh_from_db()
    assert app.state == ApplicationState.IDENTITY_CHECK  # submitted without a permit; waits for the district
    assert not app.guardians.get(position=1).residence_permit_number
