"""Issue #14 item 3: the city administrator adds an attachment field and a table field in the desk, on
the application and on the child, and the family and the staff meet them everywhere: the portal's
details page, the API and its OpenAPI document, the desk's change pages, the export columns and the
printed PDF. A field shown and required by a condition follows it on the portal and through the API;
a bad value is refused in Chinese and nothing is saved."""

import io
import json
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from apps.bj_enrollment import roles
from apps.bj_enrollment.choices import ApplicationState
from apps.bj_enrollment.models import Application, Child
from apps.lowcode.audit.models import PersonalDataAccess
from apps.lowcode.customfields.export import custom_export_columns
from apps.lowcode.customfields.models import CustomField
from apps.lowcode.printing import service
from tests import factories
from tests.api_tokens import bearer
from tests.bj_enrollment.portal.test_details import _complete
from tests.files import pdf_bytes

pytestmark = pytest.mark.django_db

SIBLINGS = [
    {"fieldname": "name", "label": "姓名", "field_type": "text", "required": True},
    {"fieldname": "age", "label": "年龄", "field_type": "number"},
]


@pytest.fixture(autouse=True)
def _own_storage(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "files")


@pytest.fixture
def desk(city):
    client = Client()
    client.force_login(city.city_admin)
    return client


def add_in_desk(desk, model, **data):
    """The city administrator's "add custom field" page, as the browser posts it."""
    posted = {
        "document_type": ContentType.objects.get_for_model(model).pk,
        "field_type": "text",
        "active": "on",
        "scope": "{}",
        "show_in_desk": "on",
        "order": "0",
        **data,
    }
    response = desk.post(reverse("admin:lowcode_customfields_customfield_add"), posted)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    return CustomField.objects.get(fieldname=data["fieldname"])


def pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def stored_files() -> list[str]:
    return list(_walk("custom_fields"))


def _walk(folder):
    if not default_storage.exists(folder):
        return
    folders, files = default_storage.listdir(folder)
    yield from (f"{folder}/{name}" for name in files)
    for sub in folders:
        yield from _walk(f"{folder}/{sub}")


@pytest.fixture
def structured(desk):
    """An attachment on the application and a table on the child, added by the city administrator."""
    add_in_desk(desk, Application, fieldname="proof", field_type="attachment", label_zh="居住证明材料",
                options="pdf", max_size_mb="2", section="补充材料", show_in_portal="on", show_in_print="on",
                show_in_export="on")
    add_in_desk(desk, Child, fieldname="siblings", field_type="table", label_zh="兄弟姐妹",
                columns=json.dumps(SIBLINGS, ensure_ascii=False), show_in_portal="on", show_in_print="on",
                show_in_export="on")


def test_attachment_and_table_fields_reach_portal_api_desk_export_and_pdf(client, city, parent, desk, structured):
    # portal: the family sees both, sends a PDF and two rows in one draft
    html = client.get(reverse("portal:details")).content.decode()
    assert "居住证明材料" in html and "兄弟姐妹" in html and 'enctype="multipart/form-data"' in html
    assert 'type="file" name="cf_proof"' in html and 'name="child-cf_siblings-0-name"' in html
    assert '<h3 class="field-section">补充材料</h3>' in html  # the field's section
    response = client.post(reverse("portal:details"), {
        **_complete(city), "draft": "1",
        "cf_proof": SimpleUploadedFile("居住证明.pdf", pdf_bytes(), "application/pdf"),
        "child-cf_siblings-rows": "3",
        "child-cf_siblings-0-name": "王小红", "child-cf_siblings-0-age": "8",
        "child-cf_siblings-1-name": "王小刚", "child-cf_siblings-1-age": "5",
    })
    assert response.status_code == 302
    app = Application.objects.get(pk=parent.pk)
    proof = app.custom["proof"]
    assert proof["name"] == "居住证明.pdf" and default_storage.open(proof["path"]).read().startswith(b"%PDF")
    rows = [{"name": "王小红", "age": 8}, {"name": "王小刚", "age": 5}]
    assert app.child.custom["siblings"] == rows
    page = client.get(reverse("portal:details")).content.decode()
    assert "居住证明.pdf" in page and 'value="王小刚"' in page

    # API: the OpenAPI document describes both fields; the details carry them, and a round trip keeps them
    api = Client()
    schema = api.get("/api/v1/openapi.json").json()
    values_schema = schema["components"]["schemas"]["DetailsValues"]["properties"]
    assert values_schema["cf_proof"]["type"] == "object" and values_schema["cf_proof"]["title"] == "居住证明材料"
    table = values_schema["child-cf_siblings"]
    assert table["type"] == "array" and table["items"]["required"] == ["name"]
    assert table["items"]["properties"]["age"]["type"] == "number"
    ref = {"$ref": "#/components/schemas/DetailsValues"}
    assert schema["components"]["schemas"]["DetailsOut"]["properties"]["values"] == ref
    values = api.get("/api/v1/application/details", **bearer(app.account)).json()["values"]
    assert values["cf_proof"]["name"] == "居住证明.pdf" and values["child-cf_siblings"] == rows
    response = api.put("/api/v1/application/details", values, content_type="application/json", **bearer(app.account))
    assert response.status_code == 200, response.content
    app.refresh_from_db()
    assert app.custom["proof"] == proof and app.child.custom["siblings"] == rows
    response = api.post("/api/v1/application/details/files",
                        {"field": "cf_proof", "file": SimpleUploadedFile("新证明.pdf", pdf_bytes())},
                        **bearer(app.account))
    assert response.status_code == 200, response.content
    app.refresh_from_db()
    assert app.custom["proof"]["name"] == "新证明.pdf" and app.child.custom["siblings"] == rows

    # desk: the city administrator sees and downloads the file, and sees the rows on the child's page
    change = desk.get(reverse("admin:bj_enrollment_application_change", args=[app.pk])).content.decode()
    file_url = reverse("admin:bj_enrollment_application_custom_file", args=[app.pk, "proof"])
    assert "居住证明材料" in change and "新证明.pdf" in change and file_url in change
    assert "补充材料" in change  # its section is a fieldset of its own
    download = desk.get(file_url)
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert PersonalDataAccess.objects.filter(user=city.city_admin, object_id=str(app.pk),
                                             detail="custom file proof").count() == 1
    child_page = desk.get(reverse("admin:bj_enrollment_child_change", args=[app.child_id])).content.decode()
    assert 'value="王小红"' in child_page and 'value="5"' in child_page
    # ... a reviewer of another district does not get the file
    west = Client()
    west.force_login(factories.staff("west", roles.DISTRICT_REVIEWER, district_=city.west))
    assert west.get(file_url).status_code in (302, 403, 404)
    assert not PersonalDataAccess.objects.filter(user__username="west").exists()

    # export: one column per field, the file by its name and the rows as text
    [(header, value)] = custom_export_columns(Application)
    assert (str(header), value(app)) == ("居住证明材料", "新证明.pdf")
    [(header, value)] = custom_export_columns(Child)
    assert (str(header), value(app.child)) == ("兄弟姐妹", "姓名：王小红，年龄：8；姓名：王小刚，年龄：5")

    # the printed form: the section, the file's name, the table's header and cells
    text = pdf_text(service.render_pdf(app))
    for shown in ("补充材料", "居住证明材料", "新证明.pdf", "兄弟姐妹", "姓名", "年龄", "王小红", "王小刚"):
        assert shown in text, shown


def test_bad_values_are_refused_in_chinese_and_nothing_is_saved(client, city, parent, structured):
    before = Application.objects.get(pk=parent.pk)
    response = client.post(reverse("portal:details"), {
        **_complete(city), "draft": "1",
        "cf_proof": SimpleUploadedFile("证明.pdf", b"GIF89a not a pdf at all", "application/pdf"),
        "child-cf_siblings-rows": "2",
        "child-cf_siblings-0-name": "王小红", "child-cf_siblings-0-age": "八岁",
        "child-cf_siblings-1-age": "5",
    })
    assert response.status_code == 200
    forms = response.context["forms"]
    assert "文件类型不符" in " ".join(forms["custom"].errors["cf_proof"])
    assert forms["child"].errors["cf_siblings"] == ["第1行“年龄”：请输入数字。 第2行“姓名”：此项为必填项。"] or (
        forms["child"].errors["cf_siblings"] == ["第1行“年龄”：请输入数字。", "第2行“姓名”：此项为必填项。"]
    )
    after = Application.objects.get(pk=parent.pk)
    assert after.custom == before.custom and after.child.custom == before.child.custom
    assert after.residence_address == before.residence_address  # the other forms were not saved either
    assert stored_files() == []

    api = Client()
    response = api.put("/api/v1/application/details",
                       {**_complete(city), "child-cf_siblings": [{"name": "王小红", "age": "八岁"}]},
                       content_type="application/json", **bearer(after.account))
    assert response.status_code == 400
    [error] = response.json()["errors"]["child-cf_siblings"]
    assert error == {"code": "table_cell", "message": "第1行“年龄”：请输入数字。"}
    response = api.post("/api/v1/application/details/files",
                        {"field": "cf_proof", "file": SimpleUploadedFile("证明.pdf", b"MZ\x90\x00 an exe")},
                        **bearer(after.account))
    assert response.status_code == 400
    [error] = response.json()["errors"]["cf_proof"]
    assert error["code"] == "upload_type" and "文件类型不符" in error["message"]
    after = Application.objects.get(pk=parent.pk)
    assert after.custom == before.custom and after.child.custom == before.child.custom
    assert after.residence_address == before.residence_address
    assert stored_files() == []


def test_conditional_field_is_hidden_and_required_by_its_condition_on_portal_and_api(client, city, parent, desk):
    add_in_desk(desk, Application, fieldname="lease_number", label_zh="租赁合同编号", show_in_portal="on",
                depends_on='housing_type == "rented"', mandatory_depends_on='housing_type == "rented"')
    hidden = re.compile(r'id="field-cf_lease_number" hidden')
    assert hidden.search(client.get(reverse("portal:details")).content.decode())  # no housing type yet

    # not rented: the field is hidden and keeps no value, whatever is posted
    client.post(reverse("portal:details"), {
        **_complete(city, **{"residence-housing_type": "other"}), "cf_lease_number": "ZL-1", "draft": "1"})
    parent.refresh_from_db()
    assert parent.housing_type == "other" and parent.custom.get("lease_number") is None
    assert hidden.search(client.get(reverse("portal:details")).content.decode())

    # rented: shown, and the submission is refused without it
    response = client.post(reverse("portal:details"), {**_complete(city), "submit": "1"})
    assert response.status_code == 200
    assert response.context["forms"]["custom"].errors["cf_lease_number"] == ["此项为必填项。"]
    parent.refresh_from_db()
    assert parent.state == ApplicationState.REGISTERED and parent.housing_type == "rented"
    page = client.get(reverse("portal:details")).content.decode()
    assert not hidden.search(page) and re.search(r'<label for="id_cf_lease_number" class="required">', page)

    # the same through the API
    api, headers = Client(), bearer(parent.account)
    draft = {**_complete(city, **{"residence-housing_type": "other"}), "cf_lease_number": "ZL-2"}
    assert api.put("/api/v1/application/details", draft, content_type="application/json", **headers).status_code == 200
    parent.refresh_from_db()
    assert parent.custom.get("lease_number") is None
    assert api.put("/api/v1/application/details", _complete(city), content_type="application/json",
                   **headers).status_code == 200
    response = api.post("/api/v1/application/submission", **headers)
    assert response.status_code == 400
    assert response.json()["errors"]["cf_lease_number"][0]["message"] == "此项为必填项。"
    parent.refresh_from_db()
    assert parent.state == ApplicationState.REGISTERED
    draft = {**_complete(city), "cf_lease_number": "ZL-2026-001"}
    assert api.put("/api/v1/application/details", draft, content_type="application/json", **headers).status_code == 200
    parent.refresh_from_db()
    assert parent.custom["lease_number"] == "ZL-2026-001"
    schema = api.get("/api/v1/openapi.json").json()["components"]["schemas"]["DetailsValues"]["properties"]
    assert schema["cf_lease_number"]["x-shown-when"] == 'housing_type == "rented"'


def test_definitions_that_could_not_work_are_refused_in_the_desk(desk):
    def refused(**data):
        posted = {"document_type": ContentType.objects.get_for_model(Child).pk, "fieldname": "extra",
                  "label_zh": "补充", "active": "on", "scope": "{}", "show_in_desk": "on", "order": "0", **data}
        response = desk.post(reverse("admin:lowcode_customfields_customfield_add"), posted)
        assert response.status_code == 200 and not CustomField.objects.exists()
        return response.context["adminform"].form.errors

    assert refused(field_type="table", columns="[]")["columns"] == ["表格至少需要一列。"]
    assert refused(field_type="table", columns='[{"fieldname": "x", "field_type": "table"}]')["columns"] == [
        "第1列：列的类型只能是文本、数字、日期、下拉选择、勾选框、手机号或身份证号。"
    ]
    [message] = refused(field_type="attachment", options="exe")["options"]
    assert message == "未知的文件类型 exe；可用 jpeg, png, heic, pdf。"
    [message] = refused(depends_on="planet == 'mars'")["depends_on"]
    assert message.startswith("条件无法使用：") and "planet" in message
    [message] = refused(mandatory_depends_on="__import__('os')")["mandatory_depends_on"]
    assert message.startswith("条件无法使用：")
