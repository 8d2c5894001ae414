"""Issue 11, hole 3: every page is sent with a strict Content-Security-Policy (scripts from our own
origin only, none inline), and no page of ours carries an inline script or event-handler attribute
that the policy would block. The desk alone adds what its theme needs ('unsafe-eval' for Alpine.js,
inline styles)."""

from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.urls import reverse

from config.csp import is_desk
from tests.lowcode.customfields.helpers import change_url

HEADER = "Content-Security-Policy"


def policy(response) -> dict[str, list[str]]:
    assert HEADER in response, f"no {HEADER} on {response.request['PATH_INFO']}"
    directives = {}
    for part in response[HEADER].split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


class InlineCode(HTMLParser):
    """Collects what a strict script-src refuses: <script> without src (data blocks excepted) and
    on…= attributes."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self._script: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.found += [f"<{tag} {name}=…>" for name in attrs if name.startswith("on")]
        if tag == "script" and "src" not in attrs and attrs.get("type") not in ("application/json",):
            self._script = ""
        for name in ("href", "action", "formaction", "src"):
            if (attrs.get(name) or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}=javascript:…>")

    def handle_data(self, data):
        if self._script is not None:
            self._script += data

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            if self._script.strip():
                self.found.append(f"<script>{self._script.strip()[:60]}…")
            self._script = None


def inline_code(response) -> list[str]:
    parser = InlineCode()
    parser.feed(response.content.decode())
    return parser.found


def assert_strict(response):
    directives = policy(response)
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert inline_code(response) == []


APPS = Path(__file__).resolve().parents[1] / "apps"
PDF_ONLY = {"disclosure/school_pdf.html"}  # WeasyPrint's input, never a browser's


def _templates():
    for path in sorted(APPS.glob("*/**/templates/**/*.html")):
        name = str(path.relative_to(next(p for p in path.parents if p.name == "templates")))
        if name not in PDF_ONLY:
            yield name, path.read_text()


def test_no_template_of_ours_carries_inline_script_or_handlers():
    found = {}
    for name, text in _templates():
        parser = InlineCode()
        parser.feed(text)
        if parser.found:
            found[name] = parser.found
    assert found == {}


def test_public_templates_carry_no_inline_style_under_their_strict_style_src():
    public = [(n, t) for n, t in _templates() if n.split("/")[0] in ("portal", "zones", "disclosure")]
    assert len(public) > 10
    assert [n for n, t in public if "<style" in t or " style=" in t] == []


@pytest.mark.django_db
def test_portal_pages_send_the_strict_policy_and_carry_no_inline_script(client, city):
    for name in ("portal:start", "portal:register", "portal:login", "portal:forgot_password"):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert_strict(response)


@pytest.mark.django_db
def test_portal_pages_of_a_logged_in_parent(client, city):
    from django.contrib.auth.models import User

    from apps.bj_enrollment.choices import ApplicationState
    from apps.bj_enrollment.models import Application

    app = city.east_app
    user = User.objects.create_user(app.form_number, password="Parent2026ok")
    Application.objects.filter(pk=app.pk).update(account=user, state=ApplicationState.REGISTERED)
    client.post(reverse("portal:login"), {"username": app.form_number, "password": "Parent2026ok"})
    for name in ("portal:home", "portal:details", "portal:change_password", "portal:cancel"):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert_strict(response)


@pytest.mark.django_db
def test_public_zone_lookup_and_disclosure_pages_send_the_strict_policy(client, city):
    for url in (reverse("zones:page"), reverse("disclosure:index")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_strict(response)


@pytest.mark.django_db
def test_api_docs_send_the_strict_policy_and_load_swagger_from_our_static_files(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert_strict(response)
    html = response.content.decode()
    assert "cdn.jsdelivr.net" not in html and "ninja/swagger-ui-bundle" in html


@pytest.mark.django_db
def test_desk_pages_add_only_what_the_theme_needs(client, city):
    login = client.get(reverse("admin:login"))
    directives = policy(login)
    assert directives["script-src"] == ["'self'", "'unsafe-eval'"]
    assert directives["style-src"] == ["'self'", "'unsafe-inline'"]
    assert directives["object-src"] == ["'none'"] and directives["frame-ancestors"] == ["'none'"]
    assert inline_code(login) == []

    client.force_login(city.city_admin)
    for url in (
        reverse("admin:index"),
        reverse("admin:bj_enrollment_application_changelist"),
        change_url(city.east_app),
        reverse("desk-statistics"),
        reverse("desk-registry-export"),
        reverse("admin:lowcode_customfields_customfield_add"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert policy(response)["script-src"] == ["'self'", "'unsafe-eval'"], url
        assert inline_code(response) == [], url


def test_only_desk_paths_count_as_desk():
    assert is_desk("/desk/") and is_desk("/en/desk/bj_enrollment/application/")
    assert not is_desk("/portal/") and not is_desk("/zones/") and not is_desk("/api/v1/docs")
    assert not is_desk("/portal/desk/") and not is_desk("/deskx/")


@pytest.mark.django_db
def test_a_pdf_is_sent_without_a_policy_for_the_browsers_viewer(client, city):
    from apps.lowcode.printing.models import PrintFormat

    form = PrintFormat.objects.get(key="collection-form")
    client.force_login(city.city_admin)
    response = client.get(reverse("admin:lowcode_printing_printformat_preview", args=[form.pk]), {"as": "pdf"})
    assert response["Content-Type"] == "application/pdf"
    assert HEADER not in response
