"""Who reaches the security pages and calls: the second-factor and token pages are one's
own (anonymous → login), the own-password call needs a login, role editing and a role's
second-factor requirement belong to the security administrator."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from xiaoan.accounts.models import Role

PAGES = ["/accounts/mfa/", "/accounts/mfa/setup/", "/accounts/tokens/"]


@pytest.mark.parametrize("path", PAGES)
def test_it_sends_anonymous_visitors_of_security_pages_to_the_login(path, demo):
    response = Client().get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("path", ["/accounts/mfa/", "/accounts/tokens/"])
def test_it_serves_ones_own_security_pages(path, client_for):
    assert client_for("school_b_teacher").get(path).status_code == 200


def test_it_redirects_the_old_audit_page_for_the_audit_administrator(client_for):
    response = client_for("auditadmin").get("/accounts/audit/")
    assert response.status_code in (301, 302) and response["Location"].endswith("/audit/")


@pytest.mark.parametrize("path", ["/api/", "/api/auth/password/"])
def test_it_refuses_anonymous_api_calls(path, demo):
    response = APIClient().get(path) if path == "/api/" else APIClient().post(path, {})
    assert response.status_code in (401, 403)


def test_it_lists_the_api_root_to_people_logged_in(api_for):
    assert api_for("school_b_teacher").get("/api/").status_code == 200


def test_it_lets_the_security_admin_edit_a_custom_role_and_nobody_else(client_for):
    role = Role.objects.create(code="canteen", name="食堂管理员", permissions=["orgs.view_unit"])
    url = f"/accounts/roles/{role.pk}/edit/"
    assert client_for("secadmin").get(url).status_code == 200
    assert client_for("sysadmin").get(url).status_code == 403
    assert client_for("school_a_officer").get(url).status_code == 403


@pytest.mark.parametrize(
    ("who", "expected"), [("secadmin", 200), ("sysadmin", 403), ("school_a_head", 403)]
)
def test_it_guards_a_roles_second_factor_requirement(api_for, who, expected):
    role = Role.objects.get(code="safety_officer")
    response = api_for(who).post(f"/api/roles/{role.pk}/mfa/", {"require_mfa": True})
    assert response.status_code == expected
    assert Role.objects.get(pk=role.pk).require_mfa == (expected == 200)
