"""Configuration that travels (#14 item 6): the city administrator exports the site's configuration,
and a site whose rows differ imports it through the desk, seeing first exactly what will change;
the same journey then works. Refused imports change nothing."""

import io
import json

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.urls import reverse

from apps.bj_enrollment.choices import ApplicationState
from apps.bj_enrollment.doctype.role import Role
from apps.bj_enrollment.models import Application
from apps.bj_enrollment.roles import DISTRICT_REVIEWER
from apps.lowcode.configuration import exporting
from apps.lowcode.configuration.models import ConfigurationImport
from apps.lowcode.customfields.models import CustomField
from apps.lowcode.messaging.models import MessageTemplate
from apps.lowcode.workflow import engine, spec
from apps.lowcode.workflow.models import Transition, Workflow
from tests.bj_enrollment.portal import sms
from tests.bj_enrollment.portal.details_steps import submit_details
from tests.bj_enrollment.portal.test_details import _complete
from tests.bj_enrollment.portal.test_journey import MOBILE, _form, _open_form, _request_code
from tests.bj_enrollment.portal.test_journey import PASSWORD as PARENT_PASSWORD
from tests.factories import PASSWORD
from tests.lowcode.customfields.helpers import define

pytestmark = pytest.mark.django_db

IMPORT = "admin:lowcode_configuration_configurationimport_import_configuration"
EXPORT = "admin:lowcode_configuration_configurationimport_export_configuration"
NEW_TEXT = "【北京市义务教育入学服务平台】{{ child_name }}已登记，编号{{ form_number }}。"


def _withdraw():
    return Transition.objects.get(from_state=ApplicationState.IDENTITY_CHECK, action="Withdraw to edit")


def _registered_template():
    return MessageTemplate.objects.get(event="registered")


def _application_workflow():
    return Workflow.objects.get(is_active=True, document_type=ContentType.objects.get_for_model(Application))


def _workflow_fingerprint():
    return spec.fingerprint(spec.from_workflow(_application_workflow()))


def _workflow_row(document) -> dict:
    """The application workflow's row in an exported file."""
    block = next(b for b in document["models"] if b["model"] == "lowcode_workflow.workflow")
    return next(r for r in block["records"] if r["name"] == _application_workflow().name)


@pytest.fixture
def admin_desk(city):
    from django.test import Client

    desk = Client()
    desk.login(username="city", password=PASSWORD)
    return desk


def _export(desk) -> bytes:
    response = desk.post(reverse(EXPORT))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")
    return response.content


def _upload(desk, content: bytes, name="configuration.json"):
    upload = io.BytesIO(content)
    upload.name = name
    return desk.post(reverse(IMPORT), {"file": upload})


def _changed_on_the_source_site():
    """What a district tried on its staging site: reviewers may send a family back during the identity
    check, a required school-bus question, and new wording of the registration SMS."""
    _withdraw().roles.add(Group.objects.get(name=DISTRICT_REVIEWER))
    define("school_bus", "select", label_zh="是否需要校车", options="需要\n不需要", required=True, show_in_portal=True)
    template = _registered_template()
    old_text, template.text = template.text, NEW_TEXT
    template.save()
    return old_text


def _as_before(old_text):
    """The other site: the same configuration without those three changes."""
    _withdraw().roles.clear()
    CustomField.objects.filter(fieldname="school_bus").delete()
    MessageTemplate.objects.filter(pk=_registered_template().pk).update(text=old_text)


def test_export_then_import_shows_exactly_the_differences_and_the_journey_works(city, admin_desk, client, run_jobs):
    old_text = _changed_on_the_source_site()
    exported = _export(admin_desk)
    _as_before(old_text)
    fingerprint = _workflow_fingerprint()

    preview = _upload(admin_desk, exported)
    assert preview.status_code == 200 and not preview.context["preview"].problems
    added = [(c.label, c.name) for c in preview.context["added"]]
    changed = {(c.label, c.name): [(d.field, d.old, d.new) for d in c.differences] for c in preview.context["changed"]}
    assert added == [("lowcode_customfields.customfield", "bj_enrollment / application / school_bus")]
    assert changed == {
        ("lowcode_workflow.workflow", _application_workflow().name): [
            ("transitions[identity_check / Withdraw to edit].roles", [], [DISTRICT_REVIEWER])
        ],
        ("lowcode_messaging.messagetemplate", "application_registered"): [("text", old_text, NEW_TEXT)],
    }
    assert len(preview.context["unchanged"]) > 20  # roles, categories, states, print formats, templates
    page = preview.content.decode()
    assert "school_bus" in page and "Withdraw to edit" in page
    # nothing written before the administrator confirms
    assert _workflow_fingerprint() == fingerprint and not CustomField.objects.filter(fieldname="school_bus").exists()
    assert _registered_template().text == old_text and not ConfigurationImport.objects.exists()

    done = admin_desk.post(
        reverse(IMPORT),
        {"confirm": "1", "token": preview.context["token"], "digest": preview.context["preview"].digest},
    )
    assert done.status_code == 302
    record = ConfigurationImport.objects.get()
    assert (record.imported_by, record.added, record.changed) == (city.city_admin, 1, 2)
    assert _registered_template().text == NEW_TEXT
    assert [g.name for g in _withdraw().roles.all()] == [DISTRICT_REVIEWER]

    # the same journey: a family registers on the portal (with the new SMS wording) …
    _request_code(client, run_jobs, city, _open_form(client))
    response = client.post(reverse("portal:register"), {**_form(city), "sms_code": sms.last_code(MOBILE)})
    assert response.status_code == 302
    application = Application.objects.get(mobile=MOBILE)
    run_jobs()
    assert f"{application.child.name}已登记，编号{application.form_number}。" in sms.texts_to(MOBILE)[-1]
    # … logs in, submits its details (the imported question is asked and required) …
    client.post(reverse("portal:login"), {"username": application.form_number, "password": PARENT_PASSWORD})
    response = submit_details(client, _complete(city))
    assert "cf_school_bus" in response.context["forms"]["custom"].errors
    response = submit_details(client, {**_complete(city), "cf_school_bus": "需要"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == ApplicationState.IDENTITY_CHECK
    # … and the changed transition is there for the district reviewer
    actions = [t.action for t in engine.available_actions(city.east_reviewer, application)]
    assert "Withdraw to edit" in actions
    engine.apply_action(city.east_reviewer, application, "Withdraw to edit")
    application.refresh_from_db()
    assert application.state == ApplicationState.REGISTERED

    # imported again: nothing left to change
    again = _upload(admin_desk, exported)
    assert again.context["added"] == [] and again.context["changed"] == []


def test_broken_workflow_is_refused_with_the_reason_and_nothing_changes(city, admin_desk):
    document = json.loads(_export(admin_desk))
    for row in _workflow_row(document)["transitions"]:
        if row["action"] == "Approve":
            row["to_state"] = "approved_typo"
    for block in document["models"]:
        if block["model"] == "lowcode_messaging.messagetemplate":
            next(r for r in block["records"] if r["key"] == "application_registered")["text"] = NEW_TEXT
    fingerprint, text = _workflow_fingerprint(), _registered_template().text

    response = _upload(admin_desk, json.dumps(document, ensure_ascii=False).encode())
    problems = response.context["preview"].problems
    reason = "从 five_certificate_review 出发的操作 Approve 的目标状态 approved_typo 不存在"  # the desk's own words
    assert any(reason in p for p in problems), problems
    assert reason in response.content.decode()
    # confirming anyway (a forged confirmation) writes nothing either
    admin_desk.post(reverse(IMPORT), {"confirm": "1", "token": response.context["token"], "digest": "x"})
    assert _workflow_fingerprint() == fingerprint and _registered_template().text == text
    assert not ConfigurationImport.objects.exists()


def test_import_of_a_template_waiting_for_an_unknown_event_is_refused(city, admin_desk):
    document = json.loads(_export(admin_desk))
    block = next(b for b in document["models"] if b["model"] == "lowcode_messaging.messagetemplate")
    block["records"].append({**block["records"][0], "key": "typo", "event": "action:Aprove"})
    response = _upload(admin_desk, json.dumps(document).encode())
    assert any("action:Aprove" in p for p in response.context["preview"].problems)
    assert not MessageTemplate.objects.filter(key="typo").exists()


def test_only_the_city_administrator_transfers_configuration(city, client, admin_desk):
    listing = admin_desk.get(reverse("admin:lowcode_configuration_configurationimport_changelist"))
    assert listing.status_code == 200
    assert reverse(EXPORT) in listing.content.decode() and reverse(IMPORT) in listing.content.decode()
    client.login(username="east", password=PASSWORD)
    assert client.get(reverse("admin:lowcode_configuration_configurationimport_changelist")).status_code == 403
    assert client.get(reverse(EXPORT)).status_code == 403
    assert client.post(reverse(EXPORT)).status_code == 403
    assert _upload(client, b"{}").status_code == 403
    assert not ConfigurationImport.objects.exists()


def test_commands_export_and_dry_run_import(city, tmp_path):
    path = tmp_path / "configuration.json"
    call_command("export_configuration", str(path), stderr=io.StringIO())
    document = json.loads(path.read_text(encoding="utf-8"))
    ids = {block["model"]: len(block["records"]) for block in document["models"]}
    assert ids["bj_enrollment.role"] == Role.objects.count()
    assert ids["lowcode_workflow.workflow"] == Workflow.objects.count()
    assert "auth.group" not in ids  # a role carries its group
    assert "id" not in json.dumps(document["models"][0]["records"][0])  # names, not database ids

    _withdraw().roles.add(Group.objects.get(name=DISTRICT_REVIEWER))
    fingerprint = _workflow_fingerprint()
    out = io.StringIO()
    call_command("import_configuration", str(path), "--dry-run", stdout=out)
    assert "changed: lowcode_workflow.workflow" in out.getvalue()
    assert f'transitions[identity_check / Withdraw to edit].roles: ["{DISTRICT_REVIEWER}"] → []' in out.getvalue()
    assert "dry run: nothing written" in out.getvalue()
    assert _workflow_fingerprint() == fingerprint and not ConfigurationImport.objects.exists()

    call_command("import_configuration", str(path), stdout=io.StringIO())
    assert list(_withdraw().roles.all()) == [] and ConfigurationImport.objects.get().imported_by is None


def test_custom_field_names_its_doctype_by_name_not_id(city):
    define("school_bus", "checkbox", label_zh="校车")
    document = exporting.export()
    rows = next(b["records"] for b in document["models"] if b["model"] == "lowcode_customfields.customfield")
    assert rows[0]["document_type"] == ["bj_enrollment", "application"]
    assert ContentType.objects.get_for_model(Application).pk not in (rows[0]["document_type"],)


def test_saved_report_travels_with_its_roles_by_name_and_without_its_owner(city, admin_desk):
    from apps.lowcode.reports.models import SavedReport

    report = SavedReport(
        name="各状态报名", document_type=ContentType.objects.get_for_model(Application),
        columns=["form_number", "state"], group_by="district", chart="bar", owner=city.city_admin,
    )
    report.full_clean()
    report.save()
    report.roles.set([Group.objects.get(name=DISTRICT_REVIEWER)])
    exported = _export(admin_desk)
    row = next(b for b in json.loads(exported)["models"] if b["model"] == "lowcode_reports.savedreport")["records"][0]
    assert row["roles"] == [DISTRICT_REVIEWER] and "owner" not in row

    SavedReport.objects.all().delete()
    preview = _upload(admin_desk, exported)
    assert [(c.label, c.name) for c in preview.context["added"]] == [("lowcode_reports.savedreport", "各状态报名")]
    assert preview.context["changed"] == []
    admin_desk.post(reverse(IMPORT), {"confirm": "1", "token": preview.context["token"],
                                      "digest": preview.context["preview"].digest})
    imported = SavedReport.objects.get(name="各状态报名")
    assert (imported.columns, imported.group_by, imported.owner) == (["form_number", "state"], "district", None)
    assert [g.name for g in imported.roles.all()] == [DISTRICT_REVIEWER]


def test_a_new_role_travels_with_its_permissions_and_a_city_administrator_cannot_raise_a_role(city, admin_desk):
    from apps.bj_enrollment.doctype.role import RolePermission
    from apps.bj_enrollment.roles import CITY_ADMIN
    from apps.bj_enrollment.services.roles import apply_permissions

    adviser = Role(name="招生咨询员", scope_level="school", rank=1, description="answers families")
    adviser.save()
    RolePermission.objects.create(
        role=adviser, document_type=ContentType.objects.get_for_model(Application), can_read=True
    )
    apply_permissions(adviser)
    exported = _export(admin_desk)
    Role.objects.filter(name="招生咨询员").delete()
    Group.objects.filter(name="招生咨询员").delete()

    preview = _upload(admin_desk, exported)
    assert [(c.label, c.name) for c in preview.context["added"]] == [("bj_enrollment.role", "招生咨询员")]
    assert preview.context["changed"] == [] and not preview.context["preview"].problems
    admin_desk.post(reverse(IMPORT), {"confirm": "1", "token": preview.context["token"],
                                      "digest": preview.context["preview"].digest})
    group = Role.objects.get(name="招生咨询员").group
    assert set(group.permissions.values_list("codename", flat=True)) == {"view_application"}

    document = json.loads(exported)
    block = next(b for b in document["models"] if b["model"] == "bj_enrollment.role")
    next(r for r in block["records"] if r["name"] == CITY_ADMIN)["description"] = "everything"
    before = Role.objects.get(name=CITY_ADMIN).description
    response = _upload(admin_desk, json.dumps(document).encode())
    assert response.context["preview"].problems == [f"角色 {CITY_ADMIN}: 角色级别只能低于您自己的级别（4）。"]
    assert Role.objects.get(name=CITY_ADMIN).description == before


def test_import_retiring_a_state_documents_are_in_is_refused_with_the_count(city, admin_desk):
    from tests.factories import put_in_state

    put_in_state(city.east_app, ApplicationState.CONFIRMED)
    document = json.loads(_export(admin_desk))
    workflow = _workflow_row(document)
    workflow["states"] = [s for s in workflow["states"] if s["name"] != "confirmed"]
    fingerprint = _workflow_fingerprint()
    problems = _upload(admin_desk, json.dumps(document).encode()).context["preview"].problems
    assert any("1 份" in p and "（confirmed）：请先将其移出，再停用此状态。" in p for p in problems), problems
    assert _workflow_fingerprint() == fingerprint and not ConfigurationImport.objects.exists()


def test_import_renaming_an_action_a_template_waits_for_is_refused(city, admin_desk):
    document = json.loads(_export(admin_desk))
    for row in _workflow_row(document)["transitions"]:
        if row["action"] == "Withdraw to edit":
            row["action"] = "Withdraw"
    fingerprint = _workflow_fingerprint()
    problems = _upload(admin_desk, json.dumps(document).encode()).context["preview"].problems
    assert any(p.startswith("消息模板 application_withdrawn: 事件: ") and "action:Withdraw to edit" in p
               for p in problems), problems
    assert _workflow_fingerprint() == fingerprint


def test_a_preview_is_confirmed_only_by_whoever_uploaded_it(city, admin_desk, client):
    from tests.factories import staff

    old_text = _changed_on_the_source_site()
    exported = _export(admin_desk)
    _as_before(old_text)
    preview = _upload(admin_desk, exported)
    staff("root", "", superuser=True)
    client.login(username="root", password=PASSWORD)
    response = client.post(reverse(IMPORT), {"confirm": "1", "token": preview.context["token"],
                                             "digest": preview.context["preview"].digest})
    assert response.status_code == 200 and "preview" not in response.context
    assert _registered_template().text == old_text and not ConfigurationImport.objects.exists()


def test_categories_travel_by_code(city, admin_desk):
    from apps.bj_enrollment.models import Category

    Category.objects.create(code="military", name="现役军人子女", kind="priority")
    Category.objects.create(code="talent", name="人才引进", kind="counts_as_local")
    exported = _export(admin_desk)
    Category.objects.filter(code="military").delete()
    Category.objects.filter(code="talent").update(name="引进人才", active=False)

    preview = _upload(admin_desk, exported)
    assert [(c.label, c.name) for c in preview.context["added"]] == [("bj_enrollment.category", "military")]
    assert {(c.name, d.field, d.old, d.new) for c in preview.context["changed"] for d in c.differences} == {
        ("talent", "name", "引进人才", "人才引进"), ("talent", "active", False, True)}
    admin_desk.post(reverse(IMPORT), {"confirm": "1", "token": preview.context["token"],
                                      "digest": preview.context["preview"].digest})
    assert Category.objects.get(code="military").name == "现役军人子女"
    assert Category.objects.filter(code="talent", name="人才引进", active=True).exists()
