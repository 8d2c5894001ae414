"""The family's documents (#14 item 4, R20), from the family's and the desk's side: files checked by
their content, images stored without GPS, the district's limits, the details' submission gated on the
required documents, files readable only by their family and by staff in scope (each staff read
recorded), and every upload, replacement and removal in the application's history."""

import io

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from PIL import Image

from apps.bj_enrollment.choices import ApplicationState, HukouCategory
from apps.bj_enrollment.models import Application, ApplicationDocument, DocumentRequirement
from apps.bj_enrollment.services import documents
from apps.lowcode.audit.models import PersonalDataAccess
from tests import factories
from tests.bj_enrollment.portal.details_steps import api_details
from tests.files import GPS_IFD, jpeg_with_gps, named, pdf_bytes

pytestmark = pytest.mark.django_db

@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT


@pytest.fixture
def asked(city):
    """What the district asks for: the hukou book (required, up to 2 files, images or PDF) and the
    property certificate (optional, one photo); the residence permit only from non-local families."""
    hukou_book = DocumentRequirement.objects.create(
        campaign=city.campaign, name="户口簿", required=True, max_files=2, kinds=["jpeg", "png", "pdf"], position=1
    )
    property_certificate = DocumentRequirement.objects.create(
        campaign=city.campaign, name="房产证", required=False, max_files=1, kinds=["jpeg", "png"], position=2
    )
    DocumentRequirement.objects.create(
        campaign=city.campaign, name="居住证", hukou_category=HukouCategory.NONLOCAL, position=3
    )
    return hukou_book, property_certificate


def upload(client, requirement, content: bytes, name: str, **extra):
    return client.post(
        reverse("portal:document_upload"),
        {"requirement": requirement.pk, "file": named(content, name), **extra},
        follow=True,
    )


def stored_files(media) -> list:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def page_messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_a_pdf_disguised_as_a_photo_is_refused_and_nothing_is_stored(client, parent, asked, media):
    _hukou_book, property_certificate = asked  # photos only
    response = upload(client, property_certificate, pdf_bytes(), "房产证.jpg")
    assert "文件类型不符：只接受 JPG、PNG（按文件内容判断，改文件名无效）。" in page_messages(response)
    response = upload(client, property_certificate, b"MZ\x90\x00\x03 not a picture", "房产证.png")
    assert "文件类型不符" in page_messages(response)[0]
    assert not ApplicationDocument.objects.exists()
    assert stored_files(media) == []
    assert not parent.history.filter(history_change_reason__contains="房产证").exists()


def test_a_photo_is_stored_without_its_gps_and_read_back_clean(client, parent, asked, media):
    hukou_book, _ = asked
    response = upload(client, hukou_book, jpeg_with_gps(), "IMG_0001.JPG")
    assert "户口簿已上传。" in page_messages(response)
    document = ApplicationDocument.objects.get(application=parent)
    assert (document.name, document.kind, document.uploaded_by_id) == ("IMG_0001.jpg", "jpeg", parent.account_id)
    assert [p.suffix for p in stored_files(media)] == [".jpg"]
    assert parent.form_number in document.file.name and "IMG_0001" not in document.file.name
    with document.file.open("rb") as handle:  # what storage holds
        stored = Image.open(handle)
        stored.load()
    assert stored.size == (400, 300) and dict(stored.getexif()) == {} and not stored.getexif().get_ifd(GPS_IFD)
    served = client.get(reverse("portal:document_file", args=[document.pk]))  # what the family gets back
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert served["Cache-Control"] == "private, no-store"
    assert dict(Image.open(io.BytesIO(b"".join(served.streaming_content))).getexif()) == {}
    page = client.get(reverse("portal:documents")).content.decode()
    assert "IMG_0001.jpg" in page and reverse("portal:document_file", args=[document.pk]) in page
    assert "居住证" not in page  # asked of non-local families only


def test_file_count_limit_replace_and_remove(client, parent, asked, media):
    _, property_certificate = asked  # one file at most
    upload(client, property_certificate, jpeg_with_gps(), "a.jpg")
    first = ApplicationDocument.objects.get()
    response = upload(client, property_certificate, jpeg_with_gps("blue"), "b.jpg")
    assert "房产证最多 1 个文件，请先删除或替换一个。" in page_messages(response)
    assert list(documents.current(parent)) == [first] and len(stored_files(media)) == 1

    response = upload(client, property_certificate, jpeg_with_gps("blue"), "b.jpg", replaces=first.pk)
    assert "房产证已上传。" in page_messages(response)
    first.refresh_from_db()
    second = documents.current(parent).get()
    assert second.name == "b.jpg" and first.removed_at is not None and first.replaced_by == second
    assert client.get(reverse("portal:document_file", args=[first.pk])).status_code == 404  # no longer the family's

    response = client.post(reverse("portal:document_remove", args=[second.pk]), follow=True)
    assert "文件已删除。" in page_messages(response)
    assert not documents.current(parent).exists()
    assert ApplicationDocument.objects.count() == 2  # kept for the district's record
    reasons = list(Application.objects.get(pk=parent.pk).history.values_list("history_change_reason", flat=True))
    assert "上传房产证：a.jpg" in reasons and "替换房产证：a.jpg → b.jpg" in reasons and "删除房产证：b.jpg" in reasons


def test_too_large_a_file_is_refused_before_it_is_read(client, parent, asked, media):
    hukou_book, _ = asked
    DocumentRequirement.objects.filter(pk=hukou_book.pk).update(max_size_mb=1)
    big = io.BytesIO()
    Image.effect_noise((1200, 1200), 100).convert("RGB").save(big, "PNG")
    assert len(big.getvalue()) > 1024 * 1024
    response = upload(client, hukou_book, big.getvalue(), "big.png")
    assert "文件超过 1 MB，请压缩或分页后再上传。" in page_messages(response)
    assert not ApplicationDocument.objects.exists() and stored_files(media) == []


def test_required_documents_gate_the_details_submission(client, parent, asked, city, run_jobs):
    hukou_book, _ = asked
    draft = api_details(city)
    assert client.put("/api/v1/application/details", draft, content_type="application/json").status_code == 200
    refused = client.post("/api/v1/application/submission", {}, content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["errors"] == {
        f"documents-{hukou_book.pk}": [{"code": "document_missing", "message": "请上传户口簿。"}]
    }
    assert Application.objects.get(pk=parent.pk).state == ApplicationState.REGISTERED

    listed = client.get("/api/v1/application/documents").json()
    assert listed["can_change"] is True
    assert [(r["name"], r["missing"], r["room"]) for r in listed["requirements"]] == [
        ("户口簿", True, 2),
        ("房产证", False, 1),
    ]
    created = client.post(
        "/api/v1/application/documents", {"requirement": hukou_book.pk, "file": named(pdf_bytes(), "户口簿.pdf")}
    )
    assert created.status_code == 201, created.json()
    assert created.json()["kind"] == "pdf" and created.json()["name"] == "户口簿.pdf"

    assert client.post("/api/v1/application/submission", {}, content_type="application/json").status_code == 200
    assert Application.objects.get(pk=parent.pk).state == ApplicationState.IDENTITY_CHECK
    # submitted: the family may add to what the district will review, never take the required file away
    only = created.json()["id"]
    refused = client.delete(f"/api/v1/application/documents/{only}")
    assert refused.status_code == 400
    assert refused.json()["errors"]["__all__"] == [
        {"code": "document_last_required", "message": "户口簿为必传材料：最后一个文件只能替换，不能删除。"}
    ]
    second = client.post(
        "/api/v1/application/documents", {"requirement": hukou_book.pk, "file": named(pdf_bytes(), "p2.pdf")}
    )
    assert second.status_code == 201
    assert client.delete(f"/api/v1/application/documents/{only}").status_code == 204
    # decided (here: verified, ready to print): the district's record is closed
    factories.put_in_state(parent, ApplicationState.READY_TO_PRINT)
    refused = client.post(
        "/api/v1/application/documents", {"requirement": hukou_book.pk, "file": named(pdf_bytes(), "p3.pdf")}
    )
    assert refused.status_code == 400 and refused.json()["errors"]["__all__"][0]["code"] == "documents_closed"
    assert [d.name for d in documents.current(parent)] == ["p2.pdf"]
    assert client.get("/api/v1/application/documents").json()["can_change"] is False


def test_api_refuses_a_disguised_file_with_the_field_named(client, parent, asked, media):
    _, property_certificate = asked
    response = client.post(
        "/api/v1/application/documents",
        {"requirement": property_certificate.pk, "file": named(pdf_bytes(), "photo.jpg")},
    )
    assert response.status_code == 400
    assert response.json()["errors"]["file"][0]["code"] == "upload_type"
    assert not ApplicationDocument.objects.exists() and stored_files(media) == []


@pytest.fixture
def west_document(city, asked):
    """Another family's photo, in the west district."""
    west = factories.put_in_state(city.west_app, ApplicationState.REGISTERED)
    account = User.objects.create_user(west.form_number, password="West2026pass")
    Application.objects.filter(pk=west.pk).update(account=account)
    west.refresh_from_db()
    return documents.upload(account, west, asked[0].pk, named(jpeg_with_gps(), "west.jpg"))


def test_a_family_cannot_read_another_familys_document(client, parent, west_document):
    assert client.get(reverse("portal:document_file", args=[west_document.pk])).status_code == 404
    assert client.get(f"/api/v1/application/documents/{west_document.pk}").status_code == 404
    response = client.post(reverse("portal:document_remove", args=[west_document.pk]))
    assert response.status_code == 404
    assert ApplicationDocument.objects.get(pk=west_document.pk).removed_at is None


def test_staff_read_in_scope_only_and_every_read_is_recorded(client, city, west_document):
    east_school = factories.staff("east-school-2", "学校审核员", school_=city.east_school)
    west_school = factories.staff("west-school", "学校审核员", school_=city.west_school)
    west = city.west_app
    file_url = reverse("admin:bj_enrollment_application_document_file", args=[west.pk, west_document.pk])
    viewer_url = reverse("admin:bj_enrollment_application_documents", args=[west.pk])

    for outsider in (east_school, city.east_reviewer):
        client.force_login(outsider)
        assert client.get(file_url).status_code == 404
        assert client.get(viewer_url).status_code == 404
        # the outsider's own application in the URL does not open another application's file
        own = reverse("admin:bj_enrollment_application_document_file", args=[city.east_app.pk, west_document.pk])
        assert client.get(own).status_code == 404
    assert not PersonalDataAccess.objects.exists()

    client.force_login(west_school)
    change = client.get(reverse("admin:bj_enrollment_application_change", args=[west.pk])).content.decode()
    assert f"{file_url}?thumb=1" in change and viewer_url in change  # thumbnail beside the application
    viewer = client.get(viewer_url)
    assert viewer.status_code == 200 and file_url in viewer.content.decode()
    served = client.get(file_url)
    assert served.status_code == 200 and served["X-Frame-Options"] == "SAMEORIGIN"
    assert Image.open(io.BytesIO(b"".join(served.streaming_content))).size == (400, 300)
    thumb = client.get(f"{file_url}?thumb=1")
    assert thumb.status_code == 200 and Image.open(io.BytesIO(b"".join(thumb.streaming_content))).size == (240, 180)
    reads = PersonalDataAccess.objects.filter(user=west_school, detail__startswith=f"document {west_document.pk}")
    assert reads.count() == 2  # the thumbnail and the file, each a read of the west application
    assert set(reads.values_list("object_id", flat=True)) == {str(west.pk)}


def test_district_administrator_configures_only_its_own_district(client, city):
    admin_user = factories.staff("east-admin", "区教委管理员", district_=city.east)
    client.force_login(admin_user)
    url = reverse("admin:bj_enrollment_documentrequirement_add")
    data = {
        "campaign": city.campaign.pk,
        "hukou_category": "",
        "name": "社保",
        "instructions": "",
        "required": "on",
        "max_files": 3,
        "kinds": ["jpeg", "pdf"],
        "max_size_mb": 10,
        "position": 5,
    }
    refused = client.post(url, {**data, "district": ""})  # every district: the city's to decide
    assert refused.status_code == 200 and not DocumentRequirement.objects.exists()
    client.post(url, {**data, "district": city.west.pk})
    assert not DocumentRequirement.objects.exists()
    assert client.post(url, {**data, "district": city.east.pk}).status_code == 302
    made = DocumentRequirement.objects.get()
    assert (made.district, made.kinds, made.max_files) == (city.east, ["jpeg", "pdf"], 3)
    assert list(documents.requirements_for(city.east_app)) == [made]
    assert list(documents.requirements_for(city.west_app)) == []


def test_replaced_files_stay_beside_the_application_and_in_its_history(client, city, west_document):
    west = Application.objects.get(pk=city.west_app.pk)
    new = documents.upload(
        west.account, west, west_document.requirement_id, named(pdf_bytes(), "新.pdf"), replaces=west_document.pk
    )
    client.force_login(city.city_admin)
    viewer = client.get(reverse("admin:bj_enrollment_application_documents", args=[west.pk])).content.decode()
    assert "west.jpg" in viewer and "新.pdf" in viewer and "已替换" in viewer
    assert f'<iframe src="{reverse("admin:bj_enrollment_application_document_file", args=[west.pk, new.pk])}"' in viewer
    history = client.get(reverse("admin:bj_enrollment_application_history", args=[west.pk])).content.decode()
    assert "上传户口簿：west.jpg" in history and "替换户口簿：west.jpg → 新.pdf" in history
