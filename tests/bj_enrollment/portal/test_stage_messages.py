"""R30: the registered mobile hears, in Chinese with the child's name and form number, of every
stage: registration (whoever registers), submission, withdrawal, the lottery's outcome and
cancellation; each through HTTP and the real sending path (an RQ worker, the SMS adapter's locmem)."""

import pytest
from django.urls import reverse

from apps.bj_enrollment.choices import ApplicationState
from apps.bj_enrollment.models import Application, LotteryRun
from apps.lowcode.messaging.models import MessageLog
from tests.bj_enrollment.lottery.test_runs import build_draw_city, drawn_run, step
from tests.bj_enrollment.on_behalf.test_on_behalf import form_data
from tests.bj_enrollment.portal import sms
from tests.bj_enrollment.portal.details_steps import submit_details
from tests.bj_enrollment.portal.test_details import _complete
from tests.bj_enrollment.portal.test_journey import MOBILE, _form, _open_form, _request_code

pytestmark = pytest.mark.django_db
P = "【北京市义务教育入学服务平台】"


def no_secret_and_one_full_stop(texts, *secrets):
    for text in texts:
        assert "。。" not in text and not any(s and s in text for s in secrets), text


def test_a_family_registering_on_the_portal_gets_its_form_number(client, city, run_jobs):
    _request_code(client, run_jobs, city, _open_form(client))
    code = sms.last_code(MOBILE)
    sms.clear()
    assert client.post(reverse("portal:register"), {**_form(city), "sms_code": code}).status_code == 302
    run_jobs()
    app = Application.objects.get(mobile=MOBILE)
    assert sms.texts_to(MOBILE) == [
        f"{P}您已为孙小雨完成入学信息登记，儿童信息采集表编号为{app.form_number}，请妥善保管，凭此编号查询审核进度。"
    ]
    no_secret_and_one_full_stop(sms.texts_to(MOBILE), code, _form(city)["password"], app.verification_code)


def test_a_family_the_district_registers_gets_its_form_number_but_not_its_password(client, city, run_jobs):
    client.force_login(city.east_reviewer)
    done = client.post(reverse("desk-on-behalf"), form_data(city)).context["done"]
    run_jobs()
    app = done["application"]
    assert sms.texts_to("13700001111") == [
        f"{P}您已为高龄童完成入学信息登记，儿童信息采集表编号为{app.form_number}，请妥善保管，凭此编号查询审核进度。"
    ]
    no_secret_and_one_full_stop(sms.texts_to("13700001111"), done["password"])


def test_submission_and_withdrawal_are_each_told(client, city, parent, run_jobs):
    submit_details(client, {**_complete(city)})
    assert Application.objects.get(pk=parent.pk).state != ApplicationState.REGISTERED
    run_jobs()  # the message and the identity check, which queues its own
    run_jobs()
    submitted = f"{P}李东东（编号{parent.form_number}）的入学信息已提交，正在核验身份信息，核验结果将短信通知，请留意。"
    assert Application.objects.get(pk=parent.pk).state == ApplicationState.IDENTITY_FAILED  # no registry record
    assert sms.texts_to(parent.mobile) == [
        submitted,
        f"{P}李东东（编号{parent.form_number}）的身份信息核验未通过，原因：人口信息库中没有该儿童证件号码的记录，"
        "请核对证件号码。请登录平台核对后重新提交，或咨询东城区教委。",
    ]
    sms.clear()
    assert client.post(reverse("portal:withdraw")).status_code == 302
    assert Application.objects.get(pk=parent.pk).state == ApplicationState.REGISTERED
    run_jobs()
    assert sms.texts_to(parent.mobile) == [
        f"{P}李东东（编号{parent.form_number}）的入学信息已撤回修改，请在信息采集期内修改后重新提交，未提交的信息不进入审核。"
    ]


def test_a_refused_withdrawal_sends_nothing(client, city, parent, run_jobs):
    assert Application.objects.get(pk=parent.pk).state == ApplicationState.REGISTERED  # nothing to withdraw
    response = client.post("/api/v1/application/withdrawal", content_type="application/json")
    assert response.status_code in (400, 409)
    run_jobs()
    assert sms.texts_to(parent.mobile) == [] and Application.objects.get(pk=parent.pk).state == "registered"
    assert not MessageLog.objects.filter(document_id=str(parent.pk)).exists()


def test_cancellation_is_told(client, city, parent, run_jobs):
    client.post(reverse("portal:cancel"), {"send_code": "1"})
    run_jobs()
    code = sms.last_code(parent.mobile)
    sms.clear()
    assert client.post(reverse("portal:cancel"), {"sms_code": code, "confirm": "on"}).status_code == 302
    assert Application.objects.get(pk=parent.pk).state == ApplicationState.CANCELLED
    run_jobs()
    assert sms.texts_to(parent.mobile) == [
        f"{P}您已注销李东东（编号{parent.form_number}）的入学登记，该编号和登录账号不再有效。如非本人操作，请立即咨询东城区教委。"
    ]
    no_secret_and_one_full_stop(sms.texts_to(parent.mobile), code)


def test_the_lottery_tells_the_placed_and_the_unplaced_once(client, city, run_jobs):
    """Placed children hear of their school (one message, not also the school's pre-admission);
    the unplaced hear they were not placed, once even when the apply job runs again."""
    draw = build_draw_city(city)
    client.force_login(draw.east_reviewer)
    run, _published = drawn_run(client, draw, run_jobs)
    sms.clear()
    step(client, run, "apply")
    run_jobs()  # the apply job, which queues the messages
    run_jobs()  # their delivery
    assert LotteryRun.objects.get(pk=run.pk).state == LotteryRun.State.APPLIED
    placed = unplaced = 0
    for entry in run.entries.select_related("application__child", "application__school"):
        app = entry.application
        texts = sms.texts_to(app.mobile)
        if entry.school_id:
            placed += 1
            assert texts == [
                f"{P}经电脑随机派位，{app.child.name}（编号{app.form_number}）已被{app.school.name}预录取，"
                "最终结果以东城区教委确认为准。"
            ]
        else:
            unplaced += 1
            assert texts == [
                f"{P}{app.child.name}（编号{app.form_number}）参加了东城区多校划片电脑派位，本次未派到学校，"
                "东城区教委将另行统筹安排，请留意后续通知。"
            ]
    assert (placed, unplaced) == (10, 4)
    sms.clear()
    from apps.bj_enrollment.lottery import runs

    LotteryRun.objects.filter(pk=run.pk).update(state=LotteryRun.State.DONE)  # the job delivered again
    runs.apply_results(run.pk)
    run_jobs()
    assert not MessageLog.objects.filter(status="queued").exists()
    assert all(sms.texts_to(e.application.mobile) == [] for e in run.entries.select_related("application"))


def test_a_schools_pre_admission_and_a_districts_voiding_are_each_told_once(client, city, run_jobs):
    app = city.east_app
    url = f"/desk/bj_enrollment/application/{app.pk}/workflow/"
    client.force_login(city.east_school_reviewer)
    client.post(url, {"action": "Pre-admit", "state": ApplicationState.READY_TO_PRINT}, follow=True)
    assert Application.objects.get(pk=app.pk).state == ApplicationState.PRE_ADMITTED
    run_jobs()
    assert sms.texts_to(app.mobile) == [
        f"{P}李东东（编号{app.form_number}）已被史家胡同小学预录取，最终结果以东城区教委确认为准。"
    ]
    sms.clear()
    client.force_login(city.east_reviewer)
    client.post(url, {"action": "Void registration", "state": ApplicationState.PRE_ADMITTED, "reason": "重复登记。"})
    assert Application.objects.get(pk=app.pk).state == ApplicationState.VOID
    run_jobs()
    assert sms.texts_to(app.mobile) == [
        f"{P}东城区教委已将李东东（编号{app.form_number}）的入学登记作废，原因：重复登记。如有疑问请咨询东城区教委。"
    ]
