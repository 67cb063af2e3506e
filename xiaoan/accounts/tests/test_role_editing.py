import pytest

from xiaoan.accounts.models import Role

pytestmark = pytest.mark.django_db


def test_it_lets_the_security_admin_compose_a_custom_role(client_for):
    client = client_for("secadmin")
    response = client.post(
        "/accounts/roles/new/",
        {
            "code": "canteen_manager",
            "name": "食堂管理员",
            "is_active": "on",
            "permissions": ["orgs.view_unit", "accounts.view_user"],
        },
    )
    assert response.status_code == 302
    role = Role.objects.get(code="canteen_manager")
    assert role.permissions == ["accounts.view_user", "orgs.view_unit"]
    assert not role.is_builtin and not role.is_platform
    assert "食堂管理员" in client.get("/accounts/roles/").content.decode()


def test_it_keeps_builtin_roles_as_the_code_defines_them(client_for):
    role = Role.objects.get(code="reporter")
    before = list(role.permissions)
    response = client_for("secadmin").post(
        f"/accounts/roles/{role.pk}/edit/",
        {"code": "reporter", "name": "随手拍", "permissions": ["orgs.change_unit"]},
    )
    assert response.status_code == 400
    assert "内置角色" in response.content.decode()
    role.refresh_from_db()
    assert role.permissions == before and "orgs.change_unit" not in before


def test_it_refuses_role_editing_to_people_without_the_right(client_for):
    assert client_for("school_a_officer").get("/accounts/roles/new/").status_code == 403
    # 三员分立: roles and policies belong to the security administrator
    assert client_for("sysadmin").get("/accounts/roles/new/").status_code == 403
    assert client_for("auditadmin").get("/accounts/roles/new/").status_code == 403


def test_it_lists_roles_for_those_who_may_view_them(client_for):
    assert client_for("school_a_officer").get("/accounts/roles/").status_code == 200
    assert client_for("school_b_teacher").get("/accounts/roles/").status_code == 403
