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


def test_it_lets_only_the_security_admin_require_a_second_factor_for_a_role(api_for, client_for):
    from django.test import Client

    from xiaoan.accounts.tests.helpers import PASSWORD
    from xiaoan.audit.models import AuditEntry

    head_role = Role.objects.get(code="unit_head")
    for who in ("sysadmin", "auditadmin", "district_head"):
        answer = api_for(who).post(
            f"/api/roles/{head_role.pk}/mfa/", {"require_mfa": True}, format="json"
        )
        assert answer.status_code == 403, who
    response = client_for("secadmin").post(
        f"/accounts/roles/{head_role.pk}/mfa/", {"require_mfa": "on"}
    )
    assert response.status_code == 302
    head_role.refresh_from_db()
    assert head_role.require_mfa and head_role.is_builtin
    assert AuditEntry.objects.filter(action="mfa", object_id=str(head_role.pk)).exists()
    # the principal now has to enrol before anything else
    session = Client()
    assert session.login(username="school_a_head", password=PASSWORD)
    assert session.get("/")["Location"].startswith("/accounts/mfa/setup/")
    # the platform roles cannot be let off
    sysadmin_role = Role.objects.get(code="system_admin")
    refused = api_for("secadmin").post(
        f"/api/roles/{sysadmin_role.pk}/mfa/", {"require_mfa": False}, format="json"
    )
    assert refused.status_code == 400
    assert Role.objects.get(pk=sysadmin_role.pk).require_mfa
