import shutil
from pathlib import Path

import django_rq
import pytest
from rq import SimpleWorker

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
    "--disable-background-networking",
    "--disable-component-update",
]


@pytest.fixture
def browser(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the ORM calls the test makes
    # around it are ordinary synchronous ones.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def serve_unhashed_static(settings) -> None:
    """The live server serves static files from the finders, which know no hashed names."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _static_names_the_live_server_knows(settings):
    serve_unhashed_static(settings)


@pytest.fixture
def live_city(transactional_db, live_server, settings):
    serve_unhashed_static(settings)  # also for the browser tests that live beside their app's tests
    from tests import factories

    return factories.City.build()


@pytest.fixture
def new_page(browser):
    """A page that fails the test on any failed request (a missing stylesheet shows as a 404 here)."""
    failures = []

    def make(**kwargs):
        page = browser.new_page(locale="zh-CN", **kwargs)
        page.on("response", lambda r: failures.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        page.on("requestfailed", lambda r: failures.append(f"failed {r.url}"))
        return page

    yield make
    assert [f for f in failures if not f.endswith("/favicon.ico")] == []


def desk_login(page, base: str, username: str) -> None:
    """A staff member logs in to the desk with the factories' password (the second factor is off)."""
    from tests.factories import PASSWORD

    page.goto(f"{base}/desk/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/desk/")


def run_queued_jobs() -> None:
    """What the pages queued (SMS, registry checks, draws), run now in this process as the worker would."""
    queue = django_rq.get_queue("default")
    SimpleWorker([queue, django_rq.get_queue("long")], connection=queue.connection).work(burst=True)


def screenshot(page, name: str) -> None:
    """The whole page in artifacts/screenshots/<name>.png, checked to be more than a blank page."""
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    assert path.stat().st_size > 10_000, name
