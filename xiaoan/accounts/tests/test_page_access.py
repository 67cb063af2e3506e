"""Who may open which people-and-access page: in scope 2xx, outside scope 404, without the
permission anywhere 403, anonymous to the login page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from xiaoan.accounts.models import RoleAssignment
from xiaoan.orgs.demo import PEOPLE

EVERYONE = [p[0] for p in PEOPLE]

# (who, page, target: "@user:…"/"@assignment:…" or None, expected status) for GET.
GET_TABLE = [
    # people list: anyone holding accounts.view_user somewhere
    ("district_officer", "accounts:user_list", None, 200),
    ("school_a_officer", "accounts:user_list", None, 200),
    ("district_supervisor", "accounts:user_list", None, 200),
    ("auditor", "accounts:user_list", None, 200),
    ("uni_head", "accounts:user_list", None, 200),
    ("sysadmin", "accounts:user_list", None, 200),
    ("secadmin", "accounts:user_list", None, 200),
    ("auditadmin", "accounts:user_list", None, 200),
    ("school_a_owner", "accounts:user_list", None, 403),
    ("school_b_teacher", "accounts:user_list", None, 403),
    ("expert", "accounts:user_list", None, 403),
    # a person's page
    ("school_a_officer", "accounts:user_detail", "@user:school_a_head", 200),
    ("school_a_officer", "accounts:user_detail", "@user:school_a_owner", 200),
    ("school_a_officer", "accounts:user_detail", "@user:uni_security", 404),
    ("school_a_officer", "accounts:user_detail", "@user:school_b_teacher", 404),
    ("school_a_officer", "accounts:user_detail", "@user:district_officer", 404),
    ("school_a_officer", "accounts:user_detail", "@user:secadmin", 404),
    ("district_officer", "accounts:user_detail", "@user:school_b_teacher", 200),
    ("district_officer", "accounts:user_detail", "@user:uni_security", 404),
    ("district_officer", "accounts:user_detail", "@user:expert", 404),
    ("district_officer", "accounts:user_detail", "@user:sysadmin", 404),
    ("uni_security", "accounts:user_detail", "@user:uni_head", 200),
    ("uni_security", "accounts:user_detail", "@user:school_a_head", 404),
    ("auditor", "accounts:user_detail", "@user:school_a_owner", 200),
    ("auditor", "accounts:user_detail", "@user:uni_head", 404),
    ("secadmin", "accounts:user_detail", "@user:sysadmin", 200),
    ("auditadmin", "accounts:user_detail", "@user:uni_head", 200),
    ("school_b_teacher", "accounts:user_detail", "@user:school_a_head", 403),
    ("expert", "accounts:user_detail", "@user:school_a_head", 403),
    # everyone may open their own account page (the shell's "我的账号")
    ("school_b_teacher", "accounts:user_detail", "@user:school_b_teacher", 200),
    ("school_a_owner", "accounts:user_detail", "@user:school_a_owner", 200),
    ("expert", "accounts:user_detail", "@user:expert", 200),
    # new account: accounts.add_user somewhere
    ("district_officer", "accounts:user_add", None, 200),
    ("school_a_officer", "accounts:user_add", None, 200),
    ("uni_head", "accounts:user_add", None, 200),
    ("sysadmin", "accounts:user_add", None, 200),
    ("secadmin", "accounts:user_add", None, 403),
    ("auditadmin", "accounts:user_add", None, 403),
    ("auditor", "accounts:user_add", None, 403),
    ("district_supervisor", "accounts:user_add", None, 403),
    ("school_b_teacher", "accounts:user_add", None, 403),
    ("expert", "accounts:user_add", None, 403),
    # edit a person
    ("school_a_officer", "accounts:user_change", "@user:school_a_owner", 200),
    ("district_head", "accounts:user_change", "@user:school_a_head", 200),
    ("sysadmin", "accounts:user_change", "@user:uni_head", 200),
    # who may manage whom: the officer does not hold what the principal holds
    ("district_officer", "accounts:user_change", "@user:school_a_head", 403),
    ("school_a_officer", "accounts:user_change", "@user:school_a_head", 403),
    # 三员分立: accounts are the system administrator's; platform admins the console's
    ("secadmin", "accounts:user_change", "@user:uni_head", 403),
    ("sysadmin", "accounts:user_change", "@user:secadmin", 403),
    ("school_a_officer", "accounts:user_change", "@user:uni_security", 404),
    ("school_a_officer", "accounts:user_change", "@user:district_head", 404),
    ("district_officer", "accounts:user_change", "@user:secadmin", 404),
    ("auditor", "accounts:user_change", "@user:school_a_head", 403),
    ("district_supervisor", "accounts:user_change", "@user:school_a_head", 403),
    ("auditadmin", "accounts:user_change", "@user:school_a_head", 403),
    ("school_b_teacher", "accounts:user_change", "@user:school_b_teacher", 403),
    ("expert", "accounts:user_change", "@user:school_a_head", 403),
    # reset a person's password
    ("school_a_officer", "accounts:user_password", "@user:school_a_owner", 200),
    ("district_officer", "accounts:user_password", "@user:school_b_teacher", 200),
    ("sysadmin", "accounts:user_password", "@user:school_a_head", 200),
    ("secadmin", "accounts:user_password", "@user:school_a_head", 403),
    ("secadmin", "accounts:user_password", "@user:sysadmin", 403),
    ("sysadmin", "accounts:user_password", "@user:secadmin", 403),
    ("school_a_officer", "accounts:user_password", "@user:school_a_head", 403),
    ("school_a_officer", "accounts:user_password", "@user:uni_security", 404),
    ("uni_security", "accounts:user_password", "@user:school_a_head", 404),
    ("auditor", "accounts:user_password", "@user:school_a_head", 403),
    ("auditadmin", "accounts:user_password", "@user:sysadmin", 403),
    ("school_b_teacher", "accounts:user_password", "@user:school_a_head", 403),
    # roles and their permissions: accounts.view_role somewhere
    ("district_officer", "accounts:role_list", None, 200),
    ("school_a_officer", "accounts:role_list", None, 200),
    ("auditor", "accounts:role_list", None, 200),
    ("sysadmin", "accounts:role_list", None, 200),
    ("secadmin", "accounts:role_list", None, 200),
    ("auditadmin", "accounts:role_list", None, 200),
    ("district_supervisor", "accounts:role_list", None, 403),
    ("school_a_owner", "accounts:role_list", None, 403),
    ("school_b_teacher", "accounts:role_list", None, 403),
    ("expert", "accounts:role_list", None, 403),
    # the platform audit log: the audit administrator only (三员分立)
    ("auditadmin", "audit:auditentry_list", None, 200),
    ("secadmin", "audit:auditentry_list", None, 403),
    ("sysadmin", "audit:auditentry_list", None, 403),
    ("district_head", "audit:auditentry_list", None, 403),
    ("auditor", "audit:auditentry_list", None, 403),
    ("expert", "audit:auditentry_list", None, 403),
]

# (who, target user, role code, unit name, expected status) for POST to roleassignment_add.
GRANT_TABLE = [
    ("school_a_officer", "school_a_owner", "inspector", "总务处", 302),
    ("district_officer", "school_b_teacher", "inspector", "东沟镇中心小学", 302),
    ("uni_head", "uni_security", "reporter", "保卫处", 302),
    ("secadmin", "school_b_teacher", "inspector", "东沟镇中心小学", 302),
    ("school_a_officer", "uni_security", "inspector", "梁子湖高级中学", 404),
    ("district_officer", "uni_head", "inspector", "梁子湖区教育局", 404),
    ("auditadmin", "school_b_teacher", "inspector", "东沟镇中心小学", 403),
    ("sysadmin", "school_b_teacher", "inspector", "东沟镇中心小学", 403),
    ("auditor", "school_b_teacher", "inspector", "东沟镇中心小学", 403),
    ("district_supervisor", "school_b_teacher", "inspector", "东沟镇中心小学", 403),
    ("school_b_teacher", "school_b_teacher", "inspector", "东沟镇中心小学", 403),
    ("expert", "school_b_teacher", "inspector", "东沟镇中心小学", 403),
]

# (who, whose assignment is revoked, expected status) for POST to roleassignment_delete.
REVOKE_TABLE = [
    ("school_a_officer", "school_a_owner", 302),
    ("district_officer", "school_b_teacher", 302),
    ("secadmin", "uni_head", 302),
    ("secadmin", "sysadmin", 403),  # platform roles change only from the console
    ("school_a_officer", "school_a_head", 403),
    ("school_a_officer", "uni_security", 404),
    ("school_a_officer", "district_officer", 404),
    ("district_officer", "uni_head", 404),
    ("district_officer", "secadmin", 404),
    ("auditor", "school_a_owner", 403),
    ("district_supervisor", "school_a_owner", 403),
    ("auditadmin", "school_a_owner", 403),
    ("sysadmin", "school_a_owner", 403),
    ("school_b_teacher", "school_b_teacher", 403),
    ("expert", "school_a_owner", 403),
]


def _url(page: str, target, ref) -> str:
    return reverse(page, args=[ref(target)]) if target else reverse(page)


@pytest.mark.parametrize(("who", "page", "target", "expected"), GET_TABLE)
def test_it_scopes_every_people_page(who, page, target, expected, client_for, ref):
    response = client_for(who).get(_url(page, target, ref))
    assert response.status_code == expected, (who, page, target)
    if expected == 404:
        assert "记录不存在或不在您的管理范围内" in response.content.decode()
    if expected == 403:
        assert "您没有执行此操作的权限" in response.content.decode()


@pytest.mark.parametrize("who", EVERYONE)
def test_it_lets_everyone_change_their_own_password(who, client_for):
    response = client_for(who).get(reverse("accounts:my_password"))
    assert response.status_code == 200
    assert "新密码" in response.content.decode()


@pytest.mark.parametrize(("who", "target", "role", "unit", "expected"), GRANT_TABLE)
def test_it_scopes_granting_a_role_on_the_persons_page(
    who, target, role, unit, expected, client_for, ref
):
    before = RoleAssignment.objects.count()
    response = client_for(who).post(
        reverse("accounts:roleassignment_add", args=[ref(f"@user:{target}")]),
        {"role": ref(f"@role:{role}"), "unit": ref(f"@unit:{unit}"), "include_descendants": "on"},
    )
    assert response.status_code == expected, (who, target)
    created = RoleAssignment.objects.filter(
        user__username=target, role__code=role, unit=ref(f"@unit:{unit}")
    )
    if expected == 302:
        assert response["Location"] == reverse(
            "accounts:user_detail", args=[ref(f"@user:{target}")]
        )
        assert created.get().granted_by.username == who
    else:
        assert RoleAssignment.objects.count() == before


@pytest.mark.parametrize(("who", "whose", "expected"), REVOKE_TABLE)
def test_it_scopes_revoking_a_role(who, whose, expected, client_for, ref):
    pk = ref(f"@assignment:{whose}")
    response = client_for(who).post(reverse("accounts:roleassignment_delete", args=[pk]))
    assert response.status_code == expected, (who, whose)
    assert RoleAssignment.objects.filter(pk=pk).exists() == (expected != 302)


@pytest.mark.parametrize("page", ["accounts:roleassignment_add", "accounts:roleassignment_delete"])
def test_it_answers_get_on_post_only_pages_with_405(page, client_for, ref):
    target = "@user:school_a_owner" if page.endswith("add") else "@assignment:school_a_owner"
    response = client_for("school_a_officer").get(reverse(page, args=[ref(target)]))
    assert response.status_code == 405


ANONYMOUS_PAGES = [
    ("accounts:user_list", None),
    ("accounts:user_detail", "@user:school_a_head"),
    ("accounts:user_add", None),
    ("accounts:user_change", "@user:school_a_head"),
    ("accounts:user_password", "@user:school_a_head"),
    ("accounts:roleassignment_add", "@user:school_a_head"),
    ("accounts:roleassignment_delete", "@assignment:school_a_head"),
    ("accounts:role_list", None),
    ("audit:auditentry_list", None),
    ("accounts:my_password", None),
]


@pytest.mark.parametrize(("page", "target"), ANONYMOUS_PAGES)
def test_it_sends_anonymous_visitors_to_the_login_page(page, target, ref):
    url = _url(page, target, ref)
    method = "post" if page.startswith("accounts:roleassignment") else "get"
    response = getattr(Client(), method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login") + "?next=")
    assert RoleAssignment.objects.filter(pk=ref("@assignment:school_a_head")).exists()


def test_it_lists_only_the_people_in_scope(client_for):
    content = client_for("district_officer").get(reverse("accounts:user_list")).content.decode()
    for name in ("刘安全", "王校长", "张老师", "钱审计"):
        assert name in content
    for name in ("孙保卫", "吴校长", "郑专家", "secadmin"):
        assert name not in content

    content = client_for("school_a_officer").get(reverse("accounts:user_list")).content.decode()
    assert "周总务" in content and "王校长" in content
    assert "张老师" not in content and "刘安全" not in content


def test_it_shows_the_audit_log_to_the_audit_administrator(client_for):
    client_for("school_a_officer").post(
        reverse("accounts:user_change", args=[_pk("school_a_owner")]),
        {"name": "周总务", "unit": _unit_pk("总务处"), "position": "总务副主任", "is_active": "on"},
    )
    content = client_for("auditadmin").get(reverse("audit:auditentry_list")).content.decode()
    assert "李安办" in content and "周总务" in content


def _pk(username: str) -> int:
    from xiaoan.accounts.models import User

    return User.objects.get(username=username).pk


def _unit_pk(name: str) -> int:
    from xiaoan.orgs.models import Unit

    return Unit.objects.get(name=name).pk
