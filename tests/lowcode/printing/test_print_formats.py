"""Print formats: the collection form read back from a real PDF, save-time template checks, the
sandbox, the default flag, the loader, and the desk preview under each role's scope."""

from __future__ import annotations

import base64
import html
import io
import re

import pytest
import segno
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext
from PIL import Image
from pypdf import PdfReader

from apps.bj_enrollment import printing_setup
from apps.bj_enrollment.models import Application, Guardian
from apps.bj_enrollment.print_context import SAMPLE, application_print_context
from apps.lowcode.printing import qr, service
from apps.lowcode.printing.errors import PrintError
from apps.lowcode.printing.models import PrintFormat

pytestmark = pytest.mark.django_db


@pytest.fixture
def form(city):
    printing_setup.load_default_formats()
    return PrintFormat.objects.get(key="collection-form")


def _pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _new_format(template: str, **fields) -> PrintFormat:
    return PrintFormat(key=fields.pop("key", "test-format"), name="Test", template=template,
                       document_type=ContentType.objects.get_for_model(Application), **fields)


def _line(number: int) -> str:
    """The start of a message naming a template line, in the active language."""
    return gettext("line %(line)s: %(message)s") % {"line": number, "message": ""}


def _errors(print_format: PrintFormat) -> dict:
    with pytest.raises(ValidationError) as caught:
        print_format.full_clean()
    return caught.value.message_dict


def test_render_pdf_reads_back_child_name_form_number_and_code(city, form):
    app = city.east_app
    Guardian.objects.create(application=app, position=2, name="李丽", phone="13800002222",
                            id_number="110101199001020028")
    pdf = service.render_pdf(app)

    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = _pdf_text(pdf)
    for value in (app.child.name, app.form_number, app.verification_code, app.district.name, "李丽",
                  app.guardians.get(position=1).id_number, app.child.id_number):
        assert value in text
    fonts = {str(font["/BaseFont"]) for font in reader.pages[0]["/Resources"]["/Font"].values()}
    assert fonts and all("Noto-Serif-CJK-SC" in name for name in fonts)


def test_render_pdf_shows_material_number_only_for_nonlocal_child(city, form):
    app = city.east_app
    app.material_number = "DC2026000777"
    app.save()
    assert "DC2026000777" not in _pdf_text(service.render_pdf(app))
    Application.objects.filter(pk=app.pk).update(hukou_category="nonlocal")
    app.refresh_from_db()
    assert "DC2026000777" in _pdf_text(service.render_pdf(app))


def _qr_modules(data_uri: str) -> list[list[bool]]:
    """Reads the dark modules back from the PNG pixels: the image carries the code, not just its payload."""
    image = Image.open(io.BytesIO(base64.b64decode(data_uri.split(",", 1)[1]))).convert("L")
    size = image.width // qr.SCALE - 2 * qr.BORDER
    return [[image.getpixel(((qr.BORDER + x) * qr.SCALE + 1, (qr.BORDER + y) * qr.SCALE + 1)) < 128
             for x in range(size)] for y in range(size)]


def test_qr_code_encodes_form_number_and_code_without_a_url(city, form):
    app = city.east_app
    rendered = service.render_html(app)
    data_uri = re.search(r'src="(data:image/png;base64,[^"]+)"', rendered).group(1)
    expected = segno.make(f"{app.form_number} {app.verification_code}", error="m", micro=False)

    assert _qr_modules(data_uri) == [[bool(cell) for cell in row] for row in expected.matrix]


@pytest.mark.parametrize(("template", "line", "fragment"), [
    ("<p>{{ form_number }}</p>\n<p>{% if %}</p>", 2, ""),
    ("<h1>表</h1>\n<p>{{ child.name }}</p>\n<p>{{ chlid_name }}</p>", 3, "chlid_name"),
    ("<p>{{ child.nickname }}</p>", 1, "nickname"),
    ("{% for g in guardians %}\n{{ g }}\n{% endfor %}", 1, "guardians"),
])
def test_save_refuses_broken_template_naming_the_line(city, template, line, fragment):
    message = " ".join(_errors(_new_format(template))["template"])
    assert _line(line) in message
    assert fragment in message


@pytest.mark.parametrize("template", [
    "{{ form_number.__class__ }}",
    "{{ form_number.__class__.__mro__[1].__subclasses__() }}",
    "{{ ''.__class__.mro() }}",
    "{{ child.__class__ }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ form_number._private }}",
    "{{ child.name.__len__() }}",
])
def test_save_refuses_template_reaching_internals(city, template):
    message = " ".join(_errors(_new_format("<p>ok</p>\n" + template))["template"])
    assert _line(2) in message


def test_save_accepts_valid_template_and_renders_sample(city):
    print_format = _new_format("<p>{{ child.name }} {{ form_number }}</p>")
    print_format.full_clean()
    print_format.save()
    rendered = service.html_document(print_format, service.sample_context(Application))
    assert f"{SAMPLE['child']['name']} {SAMPLE['form_number']}" in rendered


def test_render_raises_print_error_when_stored_template_fails(city, form):
    PrintFormat.objects.filter(pk=form.pk).update(template="{{ missing_name }}")
    with pytest.raises(PrintError, match="missing_name"):
        service.render_pdf(city.east_app)


def test_render_raises_print_error_without_default_or_with_foreign_format(city, form):
    PrintFormat.objects.filter(pk=form.pk).update(is_default=False)
    with pytest.raises(PrintError):
        service.render_pdf(city.east_app)
    foreign = PrintFormat.objects.create(key="school-card", name="Card", template="x",
                                         document_type=ContentType.objects.get_for_model(city.east_school))
    with pytest.raises(PrintError):
        service.render_pdf(city.east_app, foreign)


def test_render_html_escapes_document_values(city, form):
    app = city.east_app
    app.remarks = "<script>alert(1)</script>"
    app.save()
    rendered = service.render_html(app)
    assert "<script>" not in rendered and "&lt;script&gt;" in rendered


def test_pdf_leaves_out_non_data_resources(city, form):
    PrintFormat.objects.filter(pk=form.pk).update(
        template='<p>{{ form_number }}</p><img src="file:///etc/passwd"><img src="http://127.0.0.1:9/x.png">')
    pdf = service.render_pdf(city.east_app)
    assert city.east_app.form_number in _pdf_text(pdf)
    assert "/Image" not in str(PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"])


def test_new_default_takes_flag_from_previous_default(city, form):
    second = _new_format("<p>{{ form_number }}</p>", key="second", is_default=True)
    second.full_clean()
    second.save()
    form.refresh_from_db()
    assert not form.is_default
    assert service.find_format(Application) == second


def test_database_refuses_two_defaults_for_one_doctype(city, form):
    other = PrintFormat.objects.create(key="other", name="Other", template="x", document_type=form.document_type)
    with pytest.raises(IntegrityError), transaction.atomic():
        PrintFormat.objects.filter(pk=other.pk).update(is_default=True)


def test_save_refuses_inactive_default_and_closing_style_tag(city):
    errors = _errors(_new_format("<p>x</p>", is_default=True, active=False, css="p{}</style><script>"))
    assert set(errors) >= {"is_default", "css"}


def test_load_default_formats_is_idempotent_and_keeps_admin_edit(city):
    printing_setup.load_default_formats()
    printing_setup.load_default_formats()
    assert PrintFormat.objects.filter(key="collection-form").count() == 1
    form = PrintFormat.objects.get(key="collection-form")
    assert form.is_default
    form.template = "<h1>编辑过的表 {{ form_number }}</h1>"
    form.full_clean()
    form.save()
    created = printing_setup.load_default_formats()
    assert created and not any(was_created for _, was_created in created)  # every shipped format (one per file)
    assert PrintFormat.objects.get(key="collection-form").template == "<h1>编辑过的表 {{ form_number }}</h1>"


def _shape(value):
    return {key: _shape(item) for key, item in value.items()} if isinstance(value, dict) else type(value)


def test_sample_context_has_the_shape_of_real_context(city):
    assert _shape(SAMPLE) == _shape(application_print_context(city.east_app))


def _preview(pk):
    return reverse("admin:lowcode_printing_printformat_preview", args=[pk])


def test_preview_renders_sample_html_and_document_pdf_for_city_admin(client, city, form):
    client.force_login(city.city_admin)
    sample = client.get(_preview(form.pk))
    assert sample.status_code == 200
    assert SAMPLE["child"]["name"] in sample.content.decode()

    page = client.get(_preview(form.pk), {"document": city.west_app.form_number}, follow=True)
    assert page.status_code == 200
    assert city.west_app.child.name in page.content.decode()

    link = html.unescape(re.search(r'href="([^"]+as=pdf[^"]*)"', page.content.decode()).group(1))
    pdf = client.get(link)
    assert pdf["Content-Type"] == "application/pdf"
    assert city.west_app.verification_code in _pdf_text(pdf.content)


def test_preview_refuses_out_of_scope_document_for_district_reviewer(client, city, form):
    city.east_reviewer.user_permissions.add(Permission.objects.get(codename="view_printformat"))
    client.force_login(city.east_reviewer)
    for term in (city.west_app.pk, city.west_app.form_number):
        for extra in ({}, {"as": "pdf"}):
            response = client.get(_preview(form.pk), {"document": term, **extra}, follow=True)
            assert response.status_code == 404
            assert response["Content-Type"].startswith("text/html")
            assert city.west_app.child.name not in response.content.decode()
    own = client.get(_preview(form.pk), {"document": city.east_app.pk}, follow=True)
    assert own.status_code == 200 and city.east_app.child.name in own.content.decode()


def test_preview_without_print_format_permission_is_refused(client, city, form):
    client.force_login(city.east_school_reviewer)
    assert client.get(_preview(form.pk)).status_code == 403


def test_admin_save_shows_template_error_naming_line(client, city, form):
    client.force_login(city.city_admin)
    url = reverse("admin:lowcode_printing_printformat_change", args=[form.pk])
    response = client.post(url, {
        "name": form.name, "key": form.key, "document_type": form.document_type_id, "is_default": "on",
        "active": "on", "template": "<p>ok</p>\n<p>{{ no_such_field }}</p>", "css": "", "page_size": "A4",
        "orientation": "portrait",
    })
    assert response.status_code == 200
    assert _line(2) in html.unescape(response.content.decode()) and "no_such_field" in response.content.decode()
    form.refresh_from_db()
    assert "no_such_field" not in form.template


def test_database_check_reports_stored_format_that_no_longer_renders(city, form):
    from django.core import checks

    assert [m for m in checks.run_checks(databases=["default"]) if m.id.startswith("lowcode_printing")] == []
    PrintFormat.objects.filter(pk=form.pk).update(template="<p>\n{{ renamed_field }}</p>")
    found = [m for m in checks.run_checks(databases=["default"]) if m.id == "lowcode_printing.E001"]
    assert len(found) == 1 and _line(2) in found[0].msg and "renamed_field" in found[0].msg
