"""Role-grant rules: nobody hands out more than they hold at that unit; platform roles only by
the security administrator (三员分立); revoking ends the access at once."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from xiaoan.accounts import services
from xiaoan.accounts.models import Role, RoleAssignment, User
from xiaoan.accounts.tests.helpers import PASSWORD, error_of
from xiaoan.core.errors import Forbidden, Invalid
from xiaoan.orgs.models import Unit


def _grant(client, user: User, role: str, unit=None, descendants: bool = True):
    body = {
        "user": user.pk,
        "role": Role.objects.get(code=role).pk,
        "include_descendants": descendants,
    }
    if unit is not None:
        body["unit"] = unit.pk
    return client.post("/api/role-assignments/", body, format="json")


def _custom_role(code: str, permissions: list[str]) -> Role:
    return Role.objects.create(code=code, name=f"自定义{code}", permissions=permissions)


def test_it_lets_an_officer_grant_a_role_they_hold_inside_their_scope(api_for, persona, demo):
    owner = persona("school_a_owner")
    response = _grant(api_for("school_a_officer"), owner, "safety_officer", demo["总务处"])
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["role_code"] == "safety_officer" and body["unit_name"] == "总务处"
    assignment = RoleAssignment.objects.get(pk=body["id"])
    assert assignment.granted_by == persona("school_a_officer")
    assert "总务处" in api_for("school_a_owner").get("/api/me/").content.decode()


def test_it_refuses_a_role_at_a_unit_outside_the_granters_scope(api_for, persona, demo):
    before = RoleAssignment.objects.count()
    response = _grant(
        api_for("school_a_officer"), persona("school_a_owner"), "inspector", demo["东沟镇中心小学"]
    )
    assert response.status_code == 400
    assert error_of(response)["fields"] == {"unit": ["所选单位不在您的管理范围内。"]}
    assert RoleAssignment.objects.count() == before


def test_it_refuses_a_role_at_a_unit_outside_scope_on_the_page(client_for, persona, demo):
    owner = persona("school_a_owner")
    response = client_for("school_a_officer").post(
        reverse("accounts:roleassignment_add", args=[owner.pk]),
        {"role": Role.objects.get(code="inspector").pk, "unit": demo["鄂州职业大学"].pk},
    )
    assert response.status_code == 400
    assert "assignment_form" in response.context
    assert response.context["assignment_form"].errors["unit"]
    assert not owner.assignments.filter(unit=demo["鄂州职业大学"]).exists()


@pytest.mark.parametrize(
    "extra",
    [
        "accounts.view_auditlog",  # held by nobody at a unit
        "orgs.delete_unit",  # no built-in role holds it
        "accounts.add_role",  # a platform (system administrator) permission
    ],
)
def test_it_refuses_a_custom_role_with_more_permissions_than_the_granter(
    extra, api_for, persona, demo
):
    role = _custom_role("too_much", ["orgs.view_unit", extra])
    client = api_for("school_a_officer")
    body = {"user": persona("school_a_owner").pk, "role": role.pk, "unit": demo["总务处"].pk}
    response = client.post("/api/role-assignments/", body, format="json")
    assert response.status_code == 403
    assert error_of(response)["message"] == "您不能授予超出自身权限的角色。"
    assert not RoleAssignment.objects.filter(role=role).exists()


def test_it_lets_a_granter_hand_out_a_custom_role_within_their_permissions(api_for, persona, demo):
    role = _custom_role("viewer", ["orgs.view_unit", "accounts.view_user"])
    response = _grant(
        api_for("school_a_officer"), persona("school_a_owner"), "viewer", demo["总务处"]
    )
    assert response.status_code == 201
    assert RoleAssignment.objects.filter(role=role, unit=demo["总务处"]).exists()


def test_it_checks_the_granters_permissions_at_that_unit_not_anywhere(api_for, persona, demo):
    """Someone who may grant at 东沟镇中心小学 but manages only 梁子湖高级中学 cannot make
    anyone a safety officer of 东沟镇中心小学."""
    granter = User.objects.create_user("mixed", password=PASSWORD, unit=demo["东沟镇中心小学"])
    RoleAssignment.objects.create(
        user=granter, role=Role.objects.get(code="safety_officer"), unit=demo["梁子湖高级中学"]
    )
    RoleAssignment.objects.create(
        user=granter,
        role=_custom_role(
            "granter", ["orgs.view_unit", "accounts.view_user", "accounts.add_roleassignment"]
        ),
        unit=demo["东沟镇中心小学"],
    )
    teacher = persona("school_b_teacher")
    response = _grant(api_for("mixed"), teacher, "safety_officer", demo["东沟镇中心小学"])
    assert response.status_code == 403
    assert not teacher.assignments.filter(role__code="safety_officer").exists()
    # the same role at the school the granter does manage is fine
    response = _grant(
        api_for("mixed"), persona("school_a_owner"), "safety_officer", demo["梁子湖高级中学"]
    )
    assert response.status_code == 201


def test_it_does_not_let_a_grant_without_the_subtree_hand_out_the_subtree(persona, demo):
    school = demo["梁子湖高级中学"]
    RoleAssignment.objects.filter(user__username="school_a_officer").update(
        include_descendants=False
    )
    officer = persona("school_a_officer")
    newcomer = User.objects.create_user("newcomer", password=PASSWORD, unit=school)
    role = Role.objects.get(code="safety_officer")
    with pytest.raises(Forbidden):
        services.grant_role(officer, newcomer, role, school, include_descendants=True)
    assert not newcomer.assignments.exists()
    services.grant_role(officer, newcomer, role, school, include_descendants=False)
    newcomer = User.objects.get(pk=newcomer.pk)
    assert list(Unit.objects.restrict(newcomer).values_list("name", flat=True)) == [school.name]


@pytest.mark.parametrize("granter", ["district_officer", "district_head", "sysadmin", "auditadmin"])
@pytest.mark.parametrize("role", ["system_admin", "security_admin", "audit_admin"])
def test_it_lets_only_the_security_administrator_grant_platform_roles(
    granter, role, api_for, persona
):
    newcomer = User.objects.create_user("platform_new", password=PASSWORD)
    response = _grant(api_for(granter), newcomer, role)
    assert response.status_code in (403, 404)
    assert not newcomer.assignments.exists()
    response = _grant(api_for("secadmin"), newcomer, role)
    assert response.status_code == 201
    assert newcomer.assignments.get().role.code == role


def test_it_keeps_one_person_to_one_platform_role(api_for, persona):
    response = _grant(api_for("secadmin"), persona("sysadmin"), "audit_admin")
    assert response.status_code == 403
    assert "三员" in error_of(response)["message"]
    assert list(persona("sysadmin").assignments.values_list("role__code", flat=True)) == [
        "system_admin"
    ]


def test_it_refuses_unit_roles_for_a_platform_administrator(api_for, persona, demo):
    response = _grant(api_for("secadmin"), persona("sysadmin"), "inspector", demo["梁子湖区教育局"])
    assert response.status_code == 403
    assert "控制台" in error_of(response)["message"]
    assert persona("sysadmin").assignments.count() == 1


def test_it_refuses_a_platform_role_for_a_person_with_unit_roles(api_for, persona):
    officer = persona("district_officer")
    response = _grant(api_for("secadmin"), officer, "system_admin")
    assert response.status_code == 400
    assert not officer.assignments.filter(role__is_platform=True).exists()


def test_it_refuses_a_unit_for_a_platform_role(api_for, demo):
    newcomer = User.objects.create_user("platform_new", password=PASSWORD)
    response = _grant(api_for("secadmin"), newcomer, "system_admin", demo["梁子湖区教育局"])
    assert response.status_code == 400
    assert "unit" in error_of(response)["fields"]


def test_it_refuses_a_unit_role_without_a_unit(api_for, persona):
    response = _grant(api_for("district_officer"), persona("school_b_teacher"), "inspector")
    assert response.status_code == 400
    assert error_of(response)["fields"] == {"unit": ["请选择授权单位。"]}


def test_it_refuses_the_same_role_twice_at_the_same_unit(api_for, persona, demo):
    teacher = persona("school_b_teacher")
    response = _grant(api_for("district_officer"), teacher, "reporter", demo["东沟镇中心小学"])
    assert response.status_code == 409, response.content.decode()
    assert error_of(response)["code"] == "conflict"
    assert teacher.assignments.count() == 1


def test_it_refuses_an_inactive_role(api_for, persona, demo):
    Role.objects.filter(code="inspector").update(is_active=False)
    response = _grant(
        api_for("secadmin"), persona("school_b_teacher"), "inspector", demo["东沟镇中心小学"]
    )
    assert response.status_code == 400
    assert "role" in error_of(response)["fields"]


def test_it_offers_only_grantable_roles_and_units_on_the_persons_page(client_for, persona, demo):
    _custom_role("too_much", ["orgs.view_unit", "orgs.delete_unit"])
    owner = persona("school_a_owner")
    form = (
        client_for("school_a_officer")
        .get(reverse("accounts:user_detail", args=[owner.pk]))
        .context["assignment_form"]
    )
    roles = set(form.fields["role"].queryset.values_list("code", flat=True))
    assert {"safety_officer", "inspector", "reporter"} <= roles
    assert not roles & {"system_admin", "security_admin", "audit_admin", "too_much"}
    units = set(form.fields["unit"].queryset.values_list("name", flat=True))
    assert units == {"梁子湖高级中学", "政教处", "总务处", "教务处"}

    secadmin_form = (
        client_for("secadmin")
        .get(reverse("accounts:user_detail", args=[owner.pk]))
        .context["assignment_form"]
    )
    assert "security_admin" in secadmin_form.fields["role"].queryset.values_list("code", flat=True)

    for who in ("auditadmin", "sysadmin", "auditor"):
        page = client_for(who).get(reverse("accounts:user_detail", args=[owner.pk]))
        assert "assignment_form" not in page.context, who


def test_it_keeps_the_security_administrator_from_revoking_their_own_platform_role(
    api_for, persona
):
    own = persona("secadmin").assignments.get()
    response = api_for("secadmin").delete(f"/api/role-assignments/{own.pk}/")
    assert response.status_code == 403
    assert RoleAssignment.objects.filter(pk=own.pk).exists()


def test_it_ends_access_at_once_when_the_only_role_is_revoked(client_for, persona):
    """The revoked person is already logged in; their very next request sees nothing."""
    officer_session = client_for("school_a_officer")
    assert officer_session.get("/api/users/").status_code == 200
    assert officer_session.get(reverse("accounts:user_list")).status_code == 200

    assignment = persona("school_a_officer").assignments.get()
    response = client_for("district_officer").post(
        reverse("accounts:roleassignment_delete", args=[assignment.pk])
    )
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()

    assert officer_session.get("/api/users/").status_code == 403
    assert officer_session.get("/api/units/").status_code == 403
    assert officer_session.get(reverse("accounts:user_list")).status_code == 403


def test_it_shrinks_the_scope_at_once_when_one_of_two_roles_is_revoked(
    api_for, client_for, persona, demo
):
    expert = persona("expert")
    assignment = services.grant_role(
        persona("secadmin"), expert, Role.objects.get(code="inspector"), demo["鄂州职业大学"]
    )
    expert_session = client_for("expert")
    names = {u["name"] for u in expert_session.get("/api/units/").json()["results"]}
    assert "鄂州职业大学" in names and "保卫处" in names

    response = api_for("secadmin").delete(f"/api/role-assignments/{assignment.pk}/")
    assert response.status_code == 204
    assert expert_session.get("/api/units/").status_code == 403


def test_it_keeps_token_callers_to_the_new_scope_after_a_revoke(api_for, persona):
    token = (
        Client()
        .post("/api/auth/token/", {"username": "school_a_owner", "password": PASSWORD})
        .json()["token"]
    )
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/units/").json()["count"] == 1
    assignment = persona("school_a_owner").assignments.get()
    assert (
        api_for("school_a_officer").delete(f"/api/role-assignments/{assignment.pk}/").status_code
        == 204
    )
    assert client.get("/api/units/").status_code == 403


def test_it_lists_custom_roles_on_the_role_page(client_for):
    _custom_role("viewer", ["orgs.view_unit"])
    for who in ("sysadmin", "secadmin", "district_officer"):
        response = client_for(who).get(reverse("accounts:role_list"))
        assert response.status_code == 200, who
        content = response.content.decode()
        assert "自定义viewer" in content and "安全保密管理员" in content


def test_it_raises_invalid_for_a_missing_role_in_the_service(persona, demo):
    with pytest.raises(Invalid):
        services.grant_role(
            persona("district_officer"), persona("school_b_teacher"), 999999, demo["东沟镇中心小学"]
        )


def test_it_does_not_reveal_who_holds_which_role_outside_scope(api_for, persona, demo):
    """Granting a role someone outside one's scope already holds is a plain 404, not a hint
    that the grant exists."""
    body = {
        "user": persona("uni_security").pk,
        "role": Role.objects.get(code="safety_officer").pk,
        "unit": demo["鄂州职业大学"].pk,
    }
    response = api_for("school_a_officer").post("/api/role-assignments/", body, format="json")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"
