"""Saved reports (#14 item 5), from the desk: the city administrator builds a report for the district
reviewers; each reviewer who runs it sees only their district's rows and counts, in the page and in
Excel (in the request, and through the worker when large); someone the report is not shared with
gets 403; a filter on a field reports may not use is refused with a message naming the allowed ones."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from apps.bj_enrollment import roles
from apps.bj_enrollment.choices import ApplicationState
from apps.bj_enrollment.models import Application, School
from apps.bj_enrollment.scope import restrict
from apps.lowcode.audit.models import PersonalDataAccess
from apps.lowcode.models import ExportFile
from apps.lowcode.reports.models import SavedReport
from apps.lowcode.reports.query import Plan
from apps.lowcode.reports.registry import source_for
from tests import factories
from tests.exports import run_export_jobs
from tests.lowcode.customfields.helpers import define

pytestmark = pytest.mark.django_db

ADD_URL = "admin:lowcode_reports_savedreport_add"


@pytest.fixture
def town(city):
    """The two-district city with three more applications in the east, one more in the west, in
    several states, a district reviewer for the west, and a custom field on applications."""
    define("transport", "select", options="步行\n公交", show_in_export=True)
    east, west = [city.east_app], [city.west_app]
    for n, state in enumerate([ApplicationState.FIVE_CERTIFICATE_REVIEW, ApplicationState.FIVE_CERTIFICATE_REVIEW,
                                  ApplicationState.PRE_ADMITTED]):
        app = factories.application(city.campaign, factories.child(f"东{n}"), city.east, city.east_school,
                                    mobile=f"1391000000{n}")
        east.append(factories.put_in_state(app, state))
    west.append(factories.put_in_state(
        factories.application(city.campaign, factories.child("西一", region="110102"), city.west, city.west_school,
                              mobile="13920000001"),
        ApplicationState.FIVE_CERTIFICATE_REVIEW,
    ))
    for i, app in enumerate(east + west):
        Application.objects.filter(pk=app.pk).update(custom={"transport": "公交" if i % 2 else "步行"})
    city.east_apps, city.west_apps = east, west
    city.west_reviewer = factories.staff("west", roles.DISTRICT_REVIEWER, district_=city.west)
    return city


def build(client, town, **changes):
    """The city administrator saves a report through the desk's add page."""
    client.force_login(town.city_admin)
    data = {
        "name": "各状态报名",
        "document_type": ContentType.objects.get_for_model(Application).pk,
        "columns": ["form_number", "district", "state", "mobile", "material_number", "cf:transport"],
        "filters": "",
        "group_by": "state",
        "chart": "bar",
        "roles": [Group.objects.get(name=roles.DISTRICT_REVIEWER).pk],
        **changes,
    }
    return client.post(reverse(ADD_URL), data)


@pytest.fixture
def report(client, town):
    response = build(client, town)
    assert response.status_code == 302, response.content.decode()[-3000:]
    client.logout()
    return SavedReport.objects.get(name="各状态报名")


def page(client, user, report):
    client.force_login(user)
    return client.get(reverse("desk-report", args=[report.pk]))


def test_report_saved_by_the_city_administrator_is_stored_as_plain_configuration(town, report):
    assert report.owner == town.city_admin
    assert report.columns == ["form_number", "district", "state", "mobile", "material_number", "cf:transport"]
    assert report.group_by == "state" and report.filters == []
    assert list(report.roles.values_list("name", flat=True)) == [roles.DISTRICT_REVIEWER]
    assert SavedReport.objects.get_by_natural_key(*report.natural_key()) == report


def test_each_district_reviewer_sees_only_their_district_rows_and_counts(client, town, report):
    for reviewer, mine, theirs in (
        (town.east_reviewer, town.east_apps, town.west_apps),
        (town.west_reviewer, town.west_apps, town.east_apps),
    ):
        response = page(client, reviewer, report)
        assert response.status_code == 200
        result = response.context["result"]
        shown = {row[0] for row in result.rows}
        assert shown == {app.form_number for app in mine}
        assert not shown & {app.form_number for app in theirs}
        assert result.total == len(mine)
        # group-by counts equal counts taken afresh in the reviewer's scope
        fresh = restrict(Application.objects.all(), reviewer)
        assert {g.key: g.count for g in result.groups} == {
            s: fresh.filter(state=s).count() for s in fresh.values_list("state", flat=True).distinct()
        }
        assert sum(g.count for g in result.groups) == len(mine)
        html = response.content.decode()
        assert "139****0000" in html or "139****0001" in html  # mobiles leave masked
        assert not any(app.mobile in html for app in mine)
        assert PersonalDataAccess.objects.filter(user=reviewer, action="view", count=len(mine)).exists()


def test_a_school_reviewer_without_the_role_gets_403_and_reads_nothing(client, town, report):
    before = PersonalDataAccess.objects.count()
    assert page(client, town.east_school_reviewer, report).status_code == 403
    assert client.post(reverse("desk-report-export", args=[report.pk])).status_code == 403
    assert town.east_school_reviewer not in [r.owner for r in SavedReport.objects.all()]
    assert PersonalDataAccess.objects.count() == before
    assert not ExportFile.objects.exists()
    index = client.get(reverse("desk-reports"))
    assert index.status_code == 200 and report.name not in index.content.decode()


def _sheet(content: bytes, number: int = 0) -> list[list]:
    return [list(row) for row in load_workbook(io.BytesIO(content)).worksheets[number].iter_rows(values_only=True)]


def test_excel_export_holds_the_reviewers_rows_only_and_formulas_as_text(client, town, report):
    Application.objects.filter(pk=town.east_app.pk).update(material_number="=1+1")
    client.force_login(town.east_reviewer)
    response = client.post(reverse("desk-report-export", args=[report.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    header, *rows = _sheet(response.content)
    assert len(header) == 6 and header[-1] == "transport"
    assert {row[0] for row in rows} == {app.form_number for app in town.east_apps}
    assert {row[1] for row in rows} == {"东城区"}
    assert "'=1+1" in [row[4] for row in rows]
    assert {row[5] for row in rows} <= {"步行", "公交"}
    assert PersonalDataAccess.objects.filter(user=town.east_reviewer, action="export", count=len(rows)).exists()
    _header, *counts = _sheet(response.content, 1)  # the group counts, on a sheet of their own
    fresh = restrict(Application.objects.all(), town.east_reviewer)
    assert sorted(n for _label, n in counts) == sorted(
        fresh.filter(state=s).count() for s in set(fresh.values_list("state", flat=True))
    )


def test_a_large_export_runs_in_the_worker_for_the_requester_only(client, town, report, settings):
    settings.REPORT_EXPORT_INLINE_ROWS = 1
    client.force_login(town.west_reviewer)
    response = client.post(reverse("desk-report-export", args=[report.pk]))
    assert response.status_code == 302 and "/desk/exports/" in response["Location"]
    progress_url = response["Location"]
    run_export_jobs()
    progress = client.get(progress_url)
    assert progress.status_code == 200 and progress.context["downloadable"]
    download = client.get(progress_url + "download/")
    assert download.status_code == 200
    _header, *rows = _sheet(b"".join(download.streaming_content))
    assert {row[0] for row in rows} == {app.form_number for app in town.west_apps}
    # the east reviewer, who may run the same report, cannot see or take the west reviewer's file
    client.force_login(town.east_reviewer)
    assert client.get(progress_url).status_code == 404
    assert client.get(progress_url + "download/").status_code == 404


def test_a_filter_on_a_field_reports_may_not_use_is_refused_with_a_clear_message(client, town):
    response = build(client, town, name="验证码", filters="verification_code = 123456")
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    message = " ".join(errors["filters"])
    assert "verification_code" in message and "form_number" in message  # names the refused and the allowed
    assert not SavedReport.objects.exists()
    # the same through the query builder itself, for a path into another table
    source = source_for(Application)
    with pytest.raises(ValidationError) as refused:
        Plan(source, ["form_number"], [{"field": "child__id_number", "op": "=", "value": "1"}])
    assert "child__id_number" in str(refused.value)
    with pytest.raises(ValidationError):
        Plan(source, ["account"], [])


def test_filters_and_custom_field_group_by(client, town):
    filters = "district = 东城区\nstate in five_certificate_review, ready_to_print"
    response = build(client, town, name="东城公交", filters=filters, group_by="cf:transport")
    assert response.status_code == 302, response.content.decode()[-3000:]
    report = SavedReport.objects.get(name="东城公交")
    assert report.filters[0] == {"field": "district", "op": "=", "value": "东城区"}
    result = page(client, town.city_admin, report).context["result"]
    wanted = Application.objects.filter(district=town.east, state__in=["five_certificate_review", "ready_to_print"])
    assert {row[0] for row in result.rows} == set(wanted.values_list("form_number", flat=True))
    assert {g.label: g.count for g in result.groups} == {
        v: wanted.filter(custom__transport=v).count() for v in ("步行", "公交") if wanted.filter(custom__transport=v)
    }


def test_a_bad_value_is_refused_with_the_allowed_values(client, town):
    response = build(client, town, name="坏", filters="registered_at > 五月")
    assert response.status_code == 200
    assert "五月" in " ".join(response.context["adminform"].form.errors["filters"])
    assert not SavedReport.objects.exists()


def test_a_district_administrator_builds_their_own_reports_and_reviewers_build_none(client, town):
    admin_user = factories.staff("east-admin", roles.DISTRICT_ADMIN, district_=town.east)
    client.force_login(admin_user)
    data = {"name": "东城学校", "document_type": ContentType.objects.get_for_model(School).pk,
            "columns": ["name", "district"], "filters": "", "group_by": "district", "chart": "bar", "roles": []}
    assert client.post(reverse(ADD_URL), data).status_code == 302
    own = SavedReport.objects.get(name="东城学校")
    assert own.owner == admin_user
    assert page(client, admin_user, own).context["result"].total == 1  # the owner runs it, in their district
    other = factories.staff("west-admin", roles.DISTRICT_ADMIN, district_=town.west)
    client.force_login(other)
    change = reverse("admin:lowcode_reports_savedreport_change", args=[own.pk])
    assert client.post(change, {**data, "name": "改名"}).status_code in (302, 403)
    assert SavedReport.objects.get(pk=own.pk).name == "东城学校"  # not theirs to change
    assert page(client, other, own).status_code == 403  # nor to run: not shared with any role
    client.force_login(town.east_reviewer)
    assert client.post(reverse(ADD_URL), {**data, "name": "审核员"}).status_code == 403
    assert not SavedReport.objects.filter(name="审核员").exists()
    client.force_login(town.city_admin)
    assert client.get(change).status_code == 200  # the city administrator manages every report


def test_a_report_whose_custom_field_was_retired_says_so(client, town, report):
    from apps.lowcode.customfields.models import CustomField

    retired = CustomField.objects.get(fieldname="transport")
    retired.active = False
    retired.save()  # as the desk retires it (every process forgets the definitions it kept)
    response = page(client, town.east_reviewer, report)
    assert response.status_code == 200
    assert "cf:transport" in " ".join(response.context["broken"])
    assert page(client, town.east_school_reviewer, report).status_code == 403  # the gate still comes first


def test_a_runner_without_the_export_right_reads_the_report_but_takes_no_file(client, town, report):
    from django.contrib.auth.models import Permission

    Group.objects.get(name=roles.DISTRICT_REVIEWER).permissions.remove(
        Permission.objects.get(content_type__app_label="bj_enrollment", codename="export_application")
    )
    assert page(client, town.east_reviewer, report).status_code == 200
    before = PersonalDataAccess.objects.filter(action="export").count()
    assert client.post(reverse("desk-report-export", args=[report.pk])).status_code == 403
    assert PersonalDataAccess.objects.filter(action="export").count() == before
    assert not ExportFile.objects.exists()


def test_operators_on_names_dates_text_and_empty_values(town):
    source = source_for(Application)
    everyone = town.city_admin

    def numbers(*filters):
        plan = Plan(source, ["form_number"], [dict(zip(("field", "op", "value"), f, strict=True)) for f in filters])
        return {row[0] for row in plan.rows(plan.queryset(everyone))}

    all_apps = {a.form_number for a in town.east_apps + town.west_apps}
    assert numbers(("district", "in", "东城区，西城区")) == all_apps  # names, and a full-width comma
    assert numbers(("district", "!=", "东城区")) == {a.form_number for a in town.west_apps}
    assert numbers(("registered_at", ">=", "2000-01-01")) == all_apps
    assert numbers(("registered_at", "<", "2000-01-01")) == set()
    Application.objects.filter(pk=town.west_app.pk).update(material_number="CL0101")
    assert numbers(("material_number", "contains", "cl01")) == {town.west_app.form_number}
    assert numbers(("material_number", "empty", "")) == all_apps - {town.west_app.form_number}
    assert numbers(("district", "empty", "")) == set()
    assert numbers(("school", "empty", "")) == set()
    # a child is looked up by name in the query only: no "no such child" answer tells who exists
    assert numbers(("child", "=", "李东东")) == {town.east_app.form_number}
    assert numbers(("child", "=", "查无此人")) == set()
    assert numbers(("cf:transport", "=", "公交")) == set(
        Application.objects.filter(custom__transport="公交").values_list("form_number", flat=True)
    )
    for bad, words in (
        (("district", "=", "海淀区"), "海淀区"),  # no such district
        (("single_guardian", "=", "maybe"), str(Application._meta.get_field("single_guardian").verbose_name)),
        (("district", ">", "1"), "="),  # a link has no order
        (("cf:transport", "=", "飞机"), "步行"),  # not one of the options, which are named
        (("form_number", "like", "1"), "like"),
    ):
        with pytest.raises(ValidationError) as refused:
            numbers(bad)
        assert words in str(refused.value)


def test_a_report_on_children_is_scoped_through_their_applications_and_masks_id_numbers(client, town):
    from apps.bj_enrollment.models import Child

    client.force_login(town.city_admin)
    data = {"name": "儿童", "document_type": ContentType.objects.get_for_model(Child).pk,
            "columns": ["name", "id_number", "gender"], "filters": "", "group_by": "gender", "chart": "",
            "roles": [Group.objects.get(name=roles.DISTRICT_REVIEWER).pk]}
    assert client.post(reverse(ADD_URL), data).status_code == 302
    report = SavedReport.objects.get(name="儿童")
    result = page(client, town.west_reviewer, report).context["result"]
    west_children = Child.objects.filter(applications__in=town.west_apps)
    assert {row[0] for row in result.rows} == set(west_children.values_list("name", flat=True))
    assert all("*" in row[1] and row[1] not in set(west_children.values_list("id_number", flat=True))
               for row in result.rows)
    assert sum(g.count for g in result.groups) == result.total == west_children.count()
