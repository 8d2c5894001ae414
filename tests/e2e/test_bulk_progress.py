"""A district's bulk confirmation as the reviewer sees it after the worker ran, in Debian's Chromium."""

import django_rq
import pytest
from rq import SimpleWorker

from apps.bj_enrollment.choices import ApplicationState as S
from apps.bj_enrollment.models import Application
from apps.lowcode.workflow import bulk
from tests import factories
from tests.e2e.conftest import ARTIFACTS, desk_login

pytestmark = pytest.mark.e2e


def test_bulk_confirmation_progress_page(new_page, live_server, live_city):
    django_rq.get_queue("default").empty()
    apps = [
        factories.application(live_city.campaign, factories.child(f"批量{n}"), live_city.east, live_city.east_school,
                              state=S.PRE_ADMITTED, mobile=f"1370000{n:04d}")
        for n in range(60)
    ]
    Application.objects.filter(pk=apps[0].pk).update(state=S.CONFIRMED)  # confirmed meanwhile: refused
    batch = bulk.queue(live_city.east_reviewer, Application, [a.pk for a in apps], "Confirm admission", "")
    queue = django_rq.get_queue("default")
    SimpleWorker([queue], connection=queue.connection).work(burst=True)
    page = new_page(viewport={"width": 1440, "height": 900})
    desk_login(page, live_server.url, "east")
    page.goto(f"{live_server.url}/desk/bj_enrollment/application/workflow-bulk/{batch.pk}/")
    assert "59" in page.locator("#bulk-figures").inner_text()
    assert apps[0].form_number in page.locator("#bulk-refusals").inner_text()
    page.screenshot(path=ARTIFACTS / "desk-bulk-confirmation.png", full_page=True)
