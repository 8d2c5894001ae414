"""Roles as data (#14 item 2), through the desk as the city administrator: a role that may only
pre-admit, in school scope, given to a user, and what that user can and cannot do; built-in roles
an administrator edited survive `migrate`; ranks and workflow coverage are enforced before saving."""

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.urls import reverse

from apps.bj_enrollment import role_coverage, roles
from apps.bj_enrollment.choices import ApplicationState as S
from apps.bj_enrollment.models import Application, Role, RolePermission
from apps.lowcode.workflow.models import Transition, Workflow
from tests import factories

pytestmark = pytest.mark.django_db

PRE_ADMIT = "Pre-admit"


def _transitions(action: str):
    return Transition.objects.filter(workflow__is_active=True, action=action)


def _role_payload(role: Role | None = None, *, rows=None, actions=None, **fields) -> dict:
    """The role page's form as the browser posts it: the role's current values unless overridden."""
    rows = rows if rows is not None else [
        {"id": r.pk, "document_type": r.document_type_id, **{f: getattr(r, f) for f in FLAGS}}
        for r in (role.doc_permissions.all() if role else [])
    ]
    if actions is None:
        actions = [t.pk for t in Transition.objects.filter(workflow__is_active=True, roles=role.group)] if role else []
    data = {
        "name": role.name if role else "",
        "description": role.description if role else "",
        "scope_level": role.scope_level if role else "school",
        "rank": role.rank if role else 1,
        "extra_permissions": [p.pk for p in role.extra_permissions.all()] if role else [],
        "workflow_actions": actions,
        "doc_permissions-TOTAL_FORMS": str(len(rows)),
        "doc_permissions-INITIAL_FORMS": str(sum(1 for r in rows if r.get("id"))),
        "doc_permissions-MIN_NUM_FORMS": "0",
        "doc_permissions-MAX_NUM_FORMS": "1000",
        "_save": "1",
    }
    for i, row in enumerate(rows):
        prefix = f"doc_permissions-{i}-"
        data[prefix + "document_type"] = row["document_type"]
        if row.get("id"):
            data[prefix + "id"] = row["id"]
            data[prefix + "role"] = role.pk
        for flag in FLAGS:
            if row.get(flag):
                data[prefix + flag] = "on"
    data.update(fields)
    return data


FLAGS = ("can_read", "can_create", "can_change", "can_delete", "can_export")


def _state(role_name: str):
    """Everything the role page writes, to compare before and after a refused save."""
    role = Role.objects.filter(name=role_name).first()
    if role is None:
        return None
    return (
        Role.objects.values("name", "scope_level", "rank", "description").get(pk=role.pk),
        sorted(RolePermission.objects.filter(role=role).values_list("document_type_id", *FLAGS)),
        sorted(role.group.permissions.values_list("codename", flat=True)),
        sorted(Transition.objects.filter(roles=role.group).values_list("pk", flat=True)),
    )


def _user_payload(user, **changes) -> dict:
    data = {
        "username": user.username, "first_name": user.first_name, "last_name": user.last_name,
        "email": user.email, "is_active": "on", "is_staff": "on",
        "groups": [g.pk for g in user.groups.all()],
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "staff_scope-TOTAL_FORMS": "0", "staff_scope-INITIAL_FORMS": "0",
        "staff_scope-MIN_NUM_FORMS": "0", "staff_scope-MAX_NUM_FORMS": "1",
        "_save": "1",
    }
    data.update(changes)
    return data


def _create_pre_admit_role(client, city) -> Role:
    """As the city administrator, in the desk: a role that reads and acts on its school's applications
    and whose only workflow action is the school's pre-admission."""
    client.force_login(city.city_admin)
    assert client.get(reverse("admin:bj_enrollment_role_add")).status_code == 200  # no 403
    application_type = ContentType.objects.get_for_model(Application)
    response = client.post(
        reverse("admin:bj_enrollment_role_add"),
        _role_payload(
            rows=[{"document_type": application_type.pk, "can_read": True, "can_change": True}],
            actions=[t.pk for t in _transitions(PRE_ADMIT)],
            name="预录取专员", scope_level="school", rank="1", description="只负责预录取",
        ),
    )
    assert response.status_code == 302, response.context and response.context.get("errors")
    return Role.objects.get(name="预录取专员")


@pytest.fixture
def pre_admitter(client, city):
    role = _create_pre_admit_role(client, city)
    user = factories.staff("pre-admitter", "", school_=city.east_school)
    response = client.post(
        reverse("admin:auth_user_change", args=[user.pk]), _user_payload(user, groups=[role.group.pk])
    )
    assert response.status_code == 302
    assert list(user.groups.values_list("name", flat=True)) == ["预录取专员"]
    client.logout()
    return user


def test_the_new_role_is_a_group_with_exactly_its_rights_and_in_the_workflow_role_picker(client, city):
    role = _create_pre_admit_role(client, city)
    assert sorted(role.group.permissions.values_list("codename", flat=True)) == [
        "change_application", "view_application"]
    assert set(Transition.objects.filter(roles=role.group).values_list("action", flat=True)) == {PRE_ADMIT}
    workflow = Workflow.objects.get(is_active=True, document_type__model="application")
    page = client.get(reverse("admin:lowcode_workflow_workflow_change", args=[workflow.pk]))
    transition_forms = [f for fs in page.context["inline_admin_formsets"] for f in fs.formset.forms
                        if "roles" in f.fields]
    assert role.group in transition_forms[0].fields["roles"].queryset


def test_the_pre_admitter_sees_the_schools_applications_and_may_only_pre_admit(client, city, pre_admitter):
    client.force_login(pre_admitter)
    listing = client.get(reverse("admin:bj_enrollment_application_changelist"))
    assert listing.status_code == 200
    shown = {obj.pk for obj in listing.context["cl"].result_list}
    assert city.east_app.pk in shown and city.west_app.pk not in shown
    assert client.get(reverse("admin:bj_enrollment_application_change", args=[city.west_app.pk])).status_code in (
        302, 403, 404)

    change = reverse("admin:bj_enrollment_application_change", args=[city.east_app.pk])
    page = client.get(change)
    assert [a["action"] for a in page.context["workflow"]["actions"]] == [PRE_ADMIT]
    assert page.context["has_change_permission"] is False  # its fields are the school reviewers' (state roles)
    act = reverse("admin:bj_enrollment_application_workflow_action", args=[city.east_app.pk])
    client.post(act, {"action": "Reject", "reason": "学位已满"})
    assert Application.objects.get(pk=city.east_app.pk).state == S.READY_TO_PRINT  # refused, unchanged
    client.post(act, {"action": PRE_ADMIT, "state": S.READY_TO_PRINT})
    assert Application.objects.get(pk=city.east_app.pk).state == S.PRE_ADMITTED
    # the next step is the district's: nothing more for this role
    assert client.get(change).context["workflow"]["actions"] == []


def test_the_pre_admitter_cannot_export(client, city, pre_admitter):
    from apps.lowcode.audit.models import PersonalDataAccess

    client.force_login(pre_admitter)
    url = reverse("admin:bj_enrollment_application_changelist")
    offered = [name for name, _label in client.get(url).context["action_form"].fields["action"].choices]
    assert "export_xlsx" not in offered and "export_csv" not in offered
    before = PersonalDataAccess.objects.count()
    response = client.post(url, {"action": "export_xlsx", "_selected_action": [city.east_app.pk]})
    assert response.status_code in (200, 302) and response.get("Location", "").find("export") == -1
    assert not response.get("Content-Disposition")
    assert client.get(reverse("desk-statistics"), {"campaign": city.campaign.pk, "format": "xlsx"}).status_code == 403
    assert PersonalDataAccess.objects.count() == before


def test_the_pre_admitter_cannot_edit_configuration(client, city, pre_admitter):
    client.force_login(pre_admitter)
    workflow = Workflow.objects.get(is_active=True, document_type__model="application")
    for url in (
        reverse("admin:lowcode_workflow_workflow_change", args=[workflow.pk]),
        reverse("admin:bj_enrollment_role_changelist"),
        reverse("admin:bj_enrollment_role_add"),
        reverse("admin:lowcode_customfields_customfield_changelist"),
        reverse("admin:auth_user_changelist"),
    ):
        assert client.get(url).status_code == 403, url
    before = _state("预录取专员")
    role = Role.objects.get(name="预录取专员")
    response = client.post(reverse("admin:bj_enrollment_role_change", args=[role.pk]),
                           _role_payload(role, scope_level="city", rank="9"))
    assert response.status_code == 403
    assert _state("预录取专员") == before


def test_a_city_admin_may_grant_the_role_and_export_stays_theirs(client, city, pre_admitter):
    client.force_login(city.city_admin)
    assert "预录取专员" in roles.grantable_roles(city.city_admin)
    url = reverse("admin:bj_enrollment_application_changelist")
    offered = [name for name, _label in client.get(url).context["action_form"].fields["action"].choices]
    assert "export_xlsx" in offered


def test_migrate_keeps_a_built_in_role_an_administrator_edited(client, city):
    school = Role.objects.get(name=roles.SCHOOL_REVIEWER)
    client.force_login(city.city_admin)
    rows = [
        {"id": r.pk, "document_type": r.document_type_id, **{f: getattr(r, f) for f in FLAGS}}
        for r in school.doc_permissions.all()
    ]
    for row in rows:
        row["can_export"] = False  # schools no longer export anything
    response = client.post(reverse("admin:bj_enrollment_role_change", args=[school.pk]),
                           _role_payload(school, rows=rows, description="不再导出"))
    assert response.status_code == 302
    edited = _state(roles.SCHOOL_REVIEWER)
    assert not [c for c in edited[2] if c.startswith("export_")]

    call_command("migrate", verbosity=0)
    roles.sync_roles()  # what the test factories call: the same loader

    assert _state(roles.SCHOOL_REVIEWER) == edited
    client.force_login(city.east_school_reviewer)
    assert client.get(reverse("desk-statistics"), {"campaign": city.campaign.pk, "format": "xlsx"}).status_code == 403


def test_built_in_roles_are_loaded_once_with_their_defaults(city):
    assert set(Role.objects.values_list("name", flat=True)) >= {
        roles.CITY_ADMIN, roles.DISTRICT_ADMIN, roles.DISTRICT_REVIEWER, roles.SCHOOL_REVIEWER}
    assert roles.rank(city.city_admin) > roles.rank(city.east_reviewer) > roles.rank(city.east_school_reviewer)
    assert city.east_school_reviewer.has_perm("bj_enrollment.export_application")
    RolePermission.objects.filter(role__name=roles.SCHOOL_REVIEWER).delete()
    Role.objects.filter(name=roles.DISTRICT_ADMIN).update(rank=7)
    call_command("migrate", verbosity=0)
    assert Role.objects.get(name=roles.DISTRICT_ADMIN).rank == 7  # kept
    assert RolePermission.objects.filter(role__name=roles.SCHOOL_REVIEWER).exists()  # rows never there: loaded


def test_city_admin_cannot_create_or_raise_a_role_to_their_own_rank_or_above(client, city):
    client.force_login(city.city_admin)
    before = Role.objects.count()
    response = client.post(reverse("admin:bj_enrollment_role_add"),
                           _role_payload(name="超级角色", scope_level="city", rank="5"))
    assert response.status_code == 200 and "rank" in response.context["adminform"].form.errors
    assert Role.objects.count() == before and not Group.objects.filter(name="超级角色").exists()

    district = Role.objects.get(name=roles.DISTRICT_REVIEWER)
    before = _state(roles.DISTRICT_REVIEWER)
    response = client.post(reverse("admin:bj_enrollment_role_change", args=[district.pk]),
                           _role_payload(district, rank="4"))
    assert response.status_code == 200 and "rank" in response.context["adminform"].form.errors
    assert _state(roles.DISTRICT_REVIEWER) == before

    own = Role.objects.get(name=roles.CITY_ADMIN)
    page = client.get(reverse("admin:bj_enrollment_role_change", args=[own.pk]))
    assert page.status_code == 200 and page.context["has_change_permission"] is False


def test_a_district_reviewer_gets_no_role_page(client, city):
    client.force_login(city.east_reviewer)
    assert client.get(reverse("admin:bj_enrollment_role_add")).status_code == 403


def test_taking_the_only_role_off_an_action_is_refused_with_the_reason(client, city):
    school = Role.objects.get(name=roles.SCHOOL_REVIEWER)
    before = _state(roles.SCHOOL_REVIEWER)
    client.force_login(city.city_admin)
    response = client.post(reverse("admin:bj_enrollment_role_change", args=[school.pk]),
                           _role_payload(school, actions=[]))
    assert response.status_code == 200
    errors = " ".join(str(e) for fs in response.context["inline_admin_formsets"] for e in fs.formset.non_form_errors())
    assert "Nobody could take the action" in errors or "无人能" in errors
    assert _state(roles.SCHOOL_REVIEWER) == before


def test_a_role_cannot_be_given_a_right_the_administrator_lacks(client, city):
    from django.contrib.auth.models import User

    client.force_login(city.city_admin)
    before = Role.objects.count()
    users = ContentType.objects.get_for_model(User)
    assert not city.city_admin.has_perm("auth.delete_user")
    response = client.post(
        reverse("admin:bj_enrollment_role_add"),
        _role_payload(name="删号员", rows=[{"document_type": users.pk, "can_read": True, "can_delete": True}]),
    )
    assert response.status_code == 200
    errors = " ".join(str(e) for fs in response.context["inline_admin_formsets"] for e in fs.formset.non_form_errors())
    assert "you do not hold it yourself" in errors or "您自己没有" in errors
    assert Role.objects.count() == before and not Group.objects.filter(name="删号员").exists()


def test_the_system_check_refuses_a_role_set_that_leaves_an_action_with_nobody(city):
    assert role_coverage.check_staffed_actions(databases=["default"]) == []
    school = Group.objects.get(name=roles.SCHOOL_REVIEWER)
    school.permissions.remove(*school.permissions.filter(codename="change_application"))
    found = role_coverage.check_staffed_actions(databases=["default"])
    assert found and {e.id for e in found} == {"bj_enrollment.E104"}
    assert any("Pre-admit" in e.msg or "预录取" in e.msg for e in found)


def test_deleting_the_last_role_able_to_pre_admit_is_refused(client, city):
    role = _create_pre_admit_role(client, city)
    school = Role.objects.get(name=roles.SCHOOL_REVIEWER)
    pre_admit = {t.pk for t in _transitions(PRE_ADMIT)}
    keep = [pk for pk in Transition.objects.filter(workflow__is_active=True, roles=school.group)
            .values_list("pk", flat=True) if pk not in pre_admit]
    response = client.post(reverse("admin:bj_enrollment_role_change", args=[school.pk]),
                           _role_payload(school, actions=keep))
    assert response.status_code == 302  # the new role still pre-admits
    assert set(_transitions(PRE_ADMIT).values_list("roles__name", flat=True)) == {"预录取专员"}

    before = _state("预录取专员")
    response = client.post(reverse("admin:bj_enrollment_role_delete", args=[role.pk]), {"post": "yes"}, follow=True)
    assert any("Nobody could take the action" in str(m) or "无人能" in str(m) for m in response.context["messages"])
    assert _state("预录取专员") == before and Group.objects.filter(name="预录取专员").exists()


def test_built_in_roles_cannot_be_deleted_in_the_desk(client, city):
    client.force_login(city.city_admin)
    school = Role.objects.get(name=roles.SCHOOL_REVIEWER)
    assert client.post(reverse("admin:bj_enrollment_role_delete", args=[school.pk]), {"post": "yes"}).status_code == 403
    assert Role.objects.filter(name=roles.SCHOOL_REVIEWER).exists()
