"""The account-takeover paths found by trying the demo as an attacker would (issue 9), each
reproduced and shown refused, with nothing changed."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from xiaoan.accounts.models import Role, RoleAssignment, User
from xiaoan.accounts.tests.helpers import PASSWORD, error_of
from xiaoan.notifications.models import Notification
from xiaoan.orgs.models import Unit


@pytest.fixture
def dual(demo):
    """A teacher of School A who also holds a role at the district (an inspector there)."""
    person = User(username="dual_role", name="双岗", unit=demo["梁子湖高级中学"])
    person.set_password(PASSWORD)
    person.save()
    RoleAssignment.objects.create(
        user=person, role=Role.objects.get(code="inspector"), unit=demo["梁子湖区教育局"]
    )
    return person


def _state(user: User) -> tuple:
    user = User.objects.get(pk=user.pk)
    return (user.password, user.is_active, user.name, user.must_change_password)


def test_it_refuses_a_school_officer_resetting_someone_who_also_works_at_the_district(
    api_for, dual
):
    before = _state(dual)
    response = api_for("school_a_officer").post(f"/api/users/{dual.pk}/password/")
    assert response.status_code == 403
    assert "管理范围之外" in error_of(response)["message"]
    assert _state(dual) == before
    # the district head, who covers both, may
    assert api_for("district_head").post(f"/api/users/{dual.pk}/password/").status_code == 200


@pytest.mark.parametrize("target", ["dual_role", "school_a_head"])
def test_it_refuses_a_school_officer_deactivating_their_principal_or_a_district_person(
    api_for, dual, target
):
    person = User.objects.get(username=target)
    before = _state(person)
    response = api_for("school_a_officer").patch(
        f"/api/users/{person.pk}/", {"is_active": False}, format="json"
    )
    assert response.status_code == 403
    assert _state(person) == before
    page = Client()
    assert page.login(username=target, password=PASSWORD)


@pytest.mark.parametrize("who", ["school_a_officer", "school_a_head"])
def test_it_refuses_switching_off_ones_own_school(api_for, demo, who):
    school = demo["梁子湖高级中学"]
    response = api_for(who).patch(f"/api/units/{school.pk}/", {"is_active": False}, format="json")
    assert response.status_code == 403
    assert "不能停用" in error_of(response)["message"]
    assert Unit.objects.get(pk=school.pk).is_active
    # nor the district above it
    district = demo["梁子湖区教育局"]
    assert (
        api_for("district_officer")
        .patch(f"/api/units/{district.pk}/", {"is_active": False}, format="json")
        .status_code
        == 403
    )
    # a department below is theirs to switch off
    dept = Unit.objects.get(name="教务处", path__startswith=school.path)
    response = api_for(who).patch(f"/api/units/{dept.pk}/", {"is_active": False}, format="json")
    assert response.status_code == 200


def test_it_keeps_the_unit_head_to_the_district_not_the_officer(api_for, persona):
    head = persona("school_a_head")
    for who in ("district_officer", "school_a_officer"):
        response = api_for(who).patch(f"/api/users/{head.pk}/", {"is_active": False}, format="json")
        assert response.status_code == 403, who
    assert User.objects.get(pk=head.pk).is_active


def test_it_refuses_the_security_admin_resetting_a_business_user(api_for, persona):
    head = persona("school_a_head")
    before = _state(head)
    response = api_for("secadmin").post(f"/api/users/{head.pk}/password/")
    assert response.status_code == 403
    assert _state(head) == before


def test_it_makes_a_system_admin_reset_visible_and_useless_for_acting_as_the_person(
    api_for, persona
):
    """The system administrator may reset a business account, but gets only a one-time
    password: using it, nothing works until a new password is chosen, and the person is told."""
    head = persona("school_a_head")
    response = api_for("sysadmin").post(f"/api/users/{head.pk}/password/")
    assert response.status_code == 200
    one_time = response.json()["one_time_password"]
    told = Notification.objects.filter(recipient=head, title="您的登录密码已被重置")
    assert told.count() == 1
    assert "系统管理员" in told.get().body

    token = APIClient().post(
        "/api/auth/token/", {"username": "school_a_head", "password": one_time}, format="json"
    )
    assert token.status_code == 200
    caller = APIClient()
    caller.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
    for method, path, body in [
        ("get", "/api/hazards/", None),
        ("get", "/api/hazards/export/?kind=problems", None),
        ("post", "/api/hazards/", {"description": "冒充上报"}),
    ]:
        answer = getattr(caller, method)(path, body, format="json")
        assert answer.status_code == 403, path
        assert error_of(answer)["code"] == "password_change_required"
    assert caller.get("/api/me/").json()["must_change_password"] is True
    page = Client()
    assert page.login(username="school_a_head", password=one_time)
    assert page.get("/hazards/")["Location"] == "/accounts/password/"


@pytest.mark.parametrize(
    ("who", "target", "body"),
    [
        ("sysadmin", "secadmin", {"is_active": False}),
        ("sysadmin", "auditadmin", {"name": "改名"}),
        ("secadmin", "sysadmin", {"is_active": False}),
        ("secadmin", "auditadmin", {"name": "改名"}),
    ],
)
def test_it_keeps_platform_administrators_from_managing_each_other(
    api_for, persona, who, target, body
):
    admin = persona(target)
    before = _state(admin)
    assert api_for(who).patch(f"/api/users/{admin.pk}/", body, format="json").status_code == 403
    assert api_for(who).post(f"/api/users/{admin.pk}/password/").status_code == 403
    assert _state(admin) == before


def test_it_gives_no_platform_administrator_business_rights(api_for, persona, demo):
    for who in ("sysadmin", "secadmin", "auditadmin"):
        client = api_for(who)
        for path in ("/api/hazards/", "/api/inspections/", "/api/plans/", "/api/duties/"):
            assert client.get(path).status_code == 403, (who, path)
    # and none can give any to themselves
    secadmin = persona("secadmin")
    response = api_for("secadmin").post(
        "/api/role-assignments/",
        {
            "user": secadmin.pk,
            "role": Role.objects.get(code="unit_head").pk,
            "unit": demo["鄂州市教育局"].pk,
        },
        format="json",
    )
    assert response.status_code == 403
    assert not secadmin.assignments.filter(role__is_platform=False).exists()


def test_it_refuses_granting_oneself_a_role(api_for, persona, demo):
    officer = persona("district_officer")
    response = api_for("district_officer").post(
        "/api/role-assignments/",
        {
            "user": officer.pk,
            "role": Role.objects.get(code="inspector").pk,
            "unit": demo["东沟镇中心小学"].pk,
        },
        format="json",
    )
    assert response.status_code == 403
    assert officer.assignments.count() == 1


def test_it_refuses_revoking_the_principals_role_from_below(api_for, persona):
    grant = persona("school_a_head").assignments.get()
    response = api_for("school_a_officer").delete(f"/api/role-assignments/{grant.pk}/")
    assert response.status_code == 403
    assert RoleAssignment.objects.filter(pk=grant.pk).exists()


def test_it_tells_a_person_of_every_grant_and_revocation(api_for, persona, demo):
    teacher = persona("school_b_teacher")
    response = api_for("secadmin").post(
        "/api/role-assignments/",
        {
            "user": teacher.pk,
            "role": Role.objects.get(code="inspector").pk,
            "unit": demo["鄂州市教育局"].pk,
        },
        format="json",
    )
    assert response.status_code == 201
    granted = Notification.objects.get(recipient=teacher, title="您获得了新的授权")
    assert "检查员" in granted.body and "鄂州市教育局" in granted.body
    api_for("secadmin").delete(f"/api/role-assignments/{response.json()['id']}/")
    assert Notification.objects.filter(recipient=teacher, title="您的一项授权已被撤销").exists()
