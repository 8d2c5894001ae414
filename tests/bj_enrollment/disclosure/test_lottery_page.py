"""The public lottery page (#16 item 5, docs/lottery.md §2): commitments before the draw, files and the
verifier after it, a family's look-up behind its printed verification code, rate limited, and no
name or ID number on any public page."""

from __future__ import annotations

import subprocess
import sys
import uuid

import pytest
from django.urls import reverse
from django.utils.timezone import localtime

from apps.bj_enrollment.lottery import multiple_births
from apps.bj_enrollment.models import Application, Guardian, LotteryRun
from tests.bj_enrollment.lottery.test_runs import ROOT, SEED, build_draw_city, create, desk, step

pytestmark = pytest.mark.django_db
PAGE = reverse("disclosure:lottery")
LOOKUP = reverse("disclosure:lottery_lookup")


@pytest.fixture
def draw_city(city):
    return build_draw_city(city)


@pytest.fixture
def public(client):
    """An anonymous visitor from an address of its own, so rate-limit counters start at zero."""
    client.logout()
    client.defaults["REMOTE_ADDR"] = f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"
    return client


def personal_data(city) -> list[str]:
    """Every name and ID number of the draw's families: none may appear on a public page."""
    apps = Application.objects.filter(campaign=city.campaign).select_related("child")
    values = [v for app in apps for v in (app.child.name, app.child.id_number)]
    values += [v for g in Guardian.objects.all() for v in (g.name, g.id_number) if v]
    return values


def assert_no_personal_data(city, *bodies: bytes) -> None:
    private = personal_data(city)
    for body in bodies:
        text = body.decode("utf-8")
        assert not [value for value in private if value in text]


def committed_run(client, city) -> LotteryRun:
    desk(client, city.east_reviewer)
    assert create(client, city).status_code == 302
    run = LotteryRun.objects.get()
    step(client, run, "commit")
    client.logout()
    run.refresh_from_db()
    assert run.state == LotteryRun.State.COMMITTED
    return run


def public_file(client, run, name):
    return client.get(reverse("disclosure:lottery_file", args=[run.pk, name]))


def test_before_the_draw_the_commitments_are_public_with_their_times(client, draw_city, public):
    run = committed_run(client, draw_city)
    page = public.get(PAGE)
    text = page.content.decode()
    assert page.status_code == 200
    assert run.input_commitment in text and localtime(run.committed_at).strftime("%Y-%m-%d %H:%M") in text
    assert "尚未公布" in text  # the seed commitment comes at the ceremony
    assert public_file(public, run, "input.json").status_code == 200
    for name in ("seed.txt", "output.json"):
        assert public_file(public, run, name).status_code == 404

    desk(client, draw_city.east_reviewer)
    step(client, run, "seed", SEED)
    client.logout()
    run.refresh_from_db()
    text = public.get(PAGE).content.decode()
    assert run.seed_commitment in text and localtime(run.seed_committed_at).strftime("%Y-%m-%d %H:%M") in text
    assert SEED not in text
    assert reverse("disclosure:lottery_file", args=[run.pk, "output.json"]) not in text
    assert_no_personal_data(draw_city, page.content, public_file(public, run, "input.json").content)


def test_after_the_draw_anyone_checks_it_with_the_files_and_verifier_of_the_page(
    client, draw_city, run_jobs, public, tmp_path
):
    run = drawn(client, draw_city, run_jobs)
    page = public.get(PAGE)
    text = page.content.decode()
    assert run.result_hash in text and SEED in text and "自行核验" in text
    bodies = [page.content]
    for name in ("input.json", "seed.txt", "output.json", "commitments.json"):
        response = public_file(public, run, name)
        assert response.status_code == 200
        (tmp_path / name).write_bytes(response.content)
        bodies.append(response.content)
    verifier = public.get(reverse("disclosure:lottery_verifier"))
    assert verifier.status_code == 200 and verifier.content == (ROOT / "tools" / "verify_lottery.py").read_bytes()
    (tmp_path / "verify_lottery.py").write_bytes(verifier.content)
    done = subprocess.run(
        [sys.executable, str(tmp_path / "verify_lottery.py"), "--input", str(tmp_path / "input.json"),
         "--output", str(tmp_path / "output.json"), "--seed-file", str(tmp_path / "seed.txt"),
         "--commitments", str(tmp_path / "commitments.json")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0 and "VERIFIED" in done.stdout, done.stdout
    assert_no_personal_data(draw_city, *bodies)
    assert "Content-Security-Policy" in page.headers and "unsafe-inline" not in page.headers["Content-Security-Policy"]
    assert "<script" not in text and " style=" not in text


def drawn(client, city, run_jobs) -> LotteryRun:
    run = committed_run(client, city)
    desk(client, city.east_reviewer)
    step(client, run, "seed", SEED)
    step(client, run, "draw", SEED)
    run_jobs()
    client.logout()
    run.refresh_from_db()
    assert run.state == LotteryRun.State.DONE
    return run


def test_a_family_sees_its_number_rank_result_and_the_cutoffs(client, draw_city, run_jobs, public):
    twins = draw_city.zone_children[6:8]
    multiple_births.bind(draw_city.east_reviewer, [app.form_number for app in twins])
    run = drawn(client, draw_city, run_jobs)
    app = twins[0]
    entry = run.entries.select_related("school").get(application=app)
    response = public.post(LOOKUP, {"form_number": app.form_number, "verification_code": app.verification_code})
    text = response.content.decode()
    assert response.status_code == 200
    assert entry.lottery_number in text and f"<strong>{entry.position}</strong>" in text
    assert (entry.school.name if entry.school else "未派位") in text
    for school in draw_city.zone_schools:  # zone mode: every school of the zone with its cutoff
        assert school.name in text
    assert "2 个孩子共用此随机号" in text
    other = run.entries.exclude(application__in=twins).first()
    assert other.lottery_number not in text  # nothing about other children
    assert_no_personal_data(draw_city, response.content)


def test_a_wrong_verification_code_shows_nothing_and_is_rate_limited(client, draw_city, run_jobs, public, settings):
    settings.PORTAL_RATE_LIMITS = {"lottery_lookup_failures": "2/h"}
    run = drawn(client, draw_city, run_jobs)
    app = draw_city.zone_children[0]
    entry = run.entries.get(application=app)
    wrong = "000000" if app.verification_code != "000000" else "111111"
    for _attempt in range(2):
        response = public.post(LOOKUP, {"form_number": app.form_number, "verification_code": wrong})
        assert response.status_code == 400
        assert "报名表编号或验证码不正确" in response.content.decode()
        assert entry.lottery_number not in response.content.decode()
    # After two wrong codes even the right one waits: codes cannot be tried out.
    response = public.post(LOOKUP, {"form_number": app.form_number, "verification_code": app.verification_code})
    assert response.status_code == 400 and "操作过于频繁" in response.content.decode()
    assert entry.lottery_number not in response.content.decode()
    # An unknown form number reads like a wrong code.
    unknown = f"9{uuid.uuid4().int % 10**7:07d}"  # a fresh number: counters live in Redis between runs
    response = public.post(LOOKUP, {"form_number": unknown, "verification_code": wrong})
    assert "报名表编号或验证码不正确" in response.content.decode()


def test_lookups_are_limited_per_address(client, draw_city, run_jobs, public, settings):
    settings.PORTAL_RATE_LIMITS = {"lottery_lookup_per_ip": "1/h"}
    drawn(client, draw_city, run_jobs)
    app = draw_city.zone_children[1]
    data = {"form_number": app.form_number, "verification_code": app.verification_code}
    assert public.post(LOOKUP, data).status_code == 200
    response = public.post(LOOKUP, data)
    assert response.status_code == 400 and "操作过于频繁" in response.content.decode()


def test_before_the_draw_a_family_learns_it_is_on_the_list(client, draw_city, public):
    committed_run(client, draw_city)
    app = draw_city.zone_children[2]
    response = public.post(LOOKUP, {"form_number": app.form_number, "verification_code": app.verification_code})
    assert response.status_code == 200 and "尚未派位" in response.content.decode()
    outside = draw_city.outside  # not in the zone: in no lottery
    response = public.post(
        LOOKUP, {"form_number": outside.form_number, "verification_code": outside.verification_code}
    )
    assert response.status_code == 400 and "尚未进入任何派位" in response.content.decode()


def test_the_disclosure_index_links_the_lottery_page(public, city):
    assert f'href="{PAGE}"' in public.get(reverse("disclosure:index")).content.decode()


def test_the_look_up_takes_no_get_and_files_of_a_draft_run_are_not_public(client, draw_city, public):
    assert public.get(LOOKUP).status_code == 405
    desk(client, draw_city.east_reviewer)
    create(client, draw_city)
    client.logout()
    run = LotteryRun.objects.get()
    assert public_file(public, run, "input.json").status_code == 404
    assert run.title not in public.get(PAGE).content.decode()
