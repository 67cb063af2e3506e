"""Who may call which people-and-access API endpoint: in scope 2xx, outside scope 404, without
the permission anywhere 403, anonymous 401/403 — always with the structured error body."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from xiaoan.accounts.models import RoleAssignment, User
from xiaoan.accounts.tests.helpers import error_of, has_chinese
from xiaoan.orgs.demo import PEOPLE

EVERYONE = [p[0] for p in PEOPLE]
NEW_PASSWORD = "Anquan#2026x"


def _new_user(unit: str | None) -> dict:
    return {
        "username": "new_person",
        "name": "新同事",
        "mobile": "13900000099",
        "unit": f"@unit:{unit}" if unit else None,
    }


def _grant(user: str, unit: str, role: str = "inspector") -> dict:
    return {"user": f"@user:{user}", "role": f"@role:{role}", "unit": f"@unit:{unit}"}


USERS, USER = "/api/users/", "/api/users/{}/"
PASSWORD_OF, HISTORY_OF = "/api/users/{}/password/", "/api/users/{}/history/"
GRANTS, GRANT = "/api/role-assignments/", "/api/role-assignments/{}/"
ROLES, ROLE = "/api/roles/", "/api/roles/{}/"
A_SCHOOL, B_SCHOOL = "梁子湖高级中学", "东沟镇中心小学"
POS = {"position": "主任"}

# (who, method, url with {} for the target, target, body, expected status)
TABLE = [
    # GET /api/users/
    ("district_officer", "get", USERS, None, None, 200),
    ("school_a_officer", "get", USERS, None, None, 200),
    ("auditor", "get", USERS, None, None, 200),
    ("secadmin", "get", USERS, None, None, 200),
    ("auditadmin", "get", USERS, None, None, 200),
    ("school_a_owner", "get", USERS, None, None, 403),
    ("school_b_teacher", "get", USERS, None, None, 403),
    ("expert", "get", USERS, None, None, 403),
    # GET /api/users/{id}/
    ("school_a_officer", "get", USER, "@user:school_a_head", None, 200),
    ("school_a_officer", "get", USER, "@user:uni_security", None, 404),
    ("school_a_officer", "get", USER, "@user:school_b_teacher", None, 404),
    ("district_officer", "get", USER, "@user:school_b_teacher", None, 200),
    ("district_officer", "get", USER, "@user:uni_head", None, 404),
    ("district_officer", "get", USER, "@user:secadmin", None, 404),
    ("district_officer", "get", USER, 999999, None, 404),
    ("secadmin", "get", USER, "@user:sysadmin", None, 200),
    ("school_b_teacher", "get", USER, "@user:school_b_teacher", None, 403),
    ("expert", "get", USER, "@user:school_a_head", None, 403),
    # POST /api/users/
    ("district_officer", "post", USERS, None, _new_user(B_SCHOOL), 201),
    ("school_a_officer", "post", USERS, None, _new_user("总务处"), 201),
    ("uni_head", "post", USERS, None, _new_user("保卫处"), 201),
    ("sysadmin", "post", USERS, None, _new_user(None), 201),
    ("school_a_officer", "post", USERS, None, _new_user(B_SCHOOL), 400),
    ("district_officer", "post", USERS, None, _new_user("鄂州职业大学"), 400),
    ("district_officer", "post", USERS, None, _new_user(None), 400),
    ("secadmin", "post", USERS, None, _new_user(None), 403),
    ("auditadmin", "post", USERS, None, _new_user(None), 403),
    ("auditor", "post", USERS, None, _new_user("梁子湖区教育局"), 403),
    ("school_b_teacher", "post", USERS, None, _new_user(B_SCHOOL), 403),
    ("expert", "post", USERS, None, _new_user(B_SCHOOL), 403),
    # PATCH /api/users/{id}/
    ("school_a_officer", "patch", USER, "@user:school_a_owner", POS, 200),
    ("district_head", "patch", USER, "@user:school_a_head", POS, 200),
    ("sysadmin", "patch", USER, "@user:uni_head", POS, 200),
    # the principal holds what the safety officers do not (orgs.lead_unit): not theirs
    ("district_officer", "patch", USER, "@user:school_a_head", POS, 403),
    ("school_a_officer", "patch", USER, "@user:school_a_head", POS, 403),
    # 三员分立: the security administrator manages grants, not accounts
    ("secadmin", "patch", USER, "@user:uni_head", POS, 403),
    ("sysadmin", "patch", USER, "@user:secadmin", POS, 403),
    ("school_a_officer", "patch", USER, "@user:uni_security", POS, 404),
    ("uni_head", "patch", USER, "@user:district_head", POS, 404),
    ("auditor", "patch", USER, "@user:school_a_head", POS, 403),
    ("district_supervisor", "patch", USER, "@user:school_a_head", POS, 403),
    ("auditadmin", "patch", USER, "@user:school_a_head", POS, 403),
    ("school_b_teacher", "patch", USER, "@user:school_b_teacher", POS, 403),
    # POST /api/users/{id}/password/
    ("school_a_officer", "post", PASSWORD_OF, "@user:school_a_owner", None, 200),
    ("sysadmin", "post", PASSWORD_OF, "@user:school_a_head", None, 200),
    ("district_head", "post", PASSWORD_OF, "@user:school_a_head", None, 200),
    ("secadmin", "post", PASSWORD_OF, "@user:school_a_head", None, 403),
    ("school_a_officer", "post", PASSWORD_OF, "@user:school_a_head", None, 403),
    ("district_officer", "post", PASSWORD_OF, "@user:school_a_head", None, 403),
    # 三员分立: a platform administrator's password is never reset by another one
    ("secadmin", "post", PASSWORD_OF, "@user:sysadmin", None, 403),
    ("sysadmin", "post", PASSWORD_OF, "@user:secadmin", None, 403),
    ("school_a_officer", "post", PASSWORD_OF, "@user:uni_security", None, 404),
    ("auditor", "post", PASSWORD_OF, "@user:school_a_head", None, 403),
    ("school_b_teacher", "post", PASSWORD_OF, "@user:school_a_head", None, 403),
    # GET /api/users/{id}/history/
    ("school_a_officer", "get", HISTORY_OF, "@user:school_a_head", None, 200),
    ("auditor", "get", HISTORY_OF, "@user:school_a_head", None, 200),
    ("auditadmin", "get", HISTORY_OF, "@user:secadmin", None, 200),
    ("school_a_officer", "get", HISTORY_OF, "@user:uni_security", None, 404),
    ("district_officer", "get", HISTORY_OF, "@user:sysadmin", None, 404),
    ("school_b_teacher", "get", HISTORY_OF, "@user:school_b_teacher", None, 403),
    ("expert", "get", HISTORY_OF, "@user:school_a_head", None, 403),
    # GET /api/role-assignments/
    ("district_officer", "get", GRANTS, None, None, 200),
    ("auditor", "get", GRANTS, None, None, 200),
    ("secadmin", "get", GRANTS, None, None, 200),
    ("auditadmin", "get", GRANTS, None, None, 200),
    ("sysadmin", "get", GRANTS, None, None, 403),
    ("school_b_teacher", "get", GRANTS, None, None, 403),
    ("expert", "get", GRANTS, None, None, 403),
    # GET /api/role-assignments/{id}/
    ("school_a_officer", "get", GRANT, "@assignment:school_a_owner", None, 200),
    ("auditor", "get", GRANT, "@assignment:school_a_owner", None, 200),
    ("school_a_officer", "get", GRANT, "@assignment:uni_security", None, 404),
    ("district_officer", "get", GRANT, "@assignment:secadmin", None, 404),
    ("expert", "get", GRANT, "@assignment:school_a_owner", None, 403),
    # POST /api/role-assignments/
    ("school_a_officer", "post", GRANTS, None, _grant("school_a_owner", "总务处"), 201),
    ("district_officer", "post", GRANTS, None, _grant("school_b_teacher", B_SCHOOL), 201),
    ("secadmin", "post", GRANTS, None, _grant("school_b_teacher", B_SCHOOL), 201),
    ("school_a_officer", "post", GRANTS, None, _grant("uni_security", A_SCHOOL), 404),
    ("school_a_officer", "post", GRANTS, None, _grant("school_a_owner", B_SCHOOL), 400),
    ("auditadmin", "post", GRANTS, None, _grant("school_b_teacher", B_SCHOOL), 403),
    ("sysadmin", "post", GRANTS, None, _grant("school_b_teacher", B_SCHOOL), 403),
    ("auditor", "post", GRANTS, None, _grant("school_b_teacher", B_SCHOOL), 403),
    ("school_b_teacher", "post", GRANTS, None, _grant("school_b_teacher", B_SCHOOL), 403),
    ("expert", "post", GRANTS, None, _grant("expert", B_SCHOOL), 403),
    # DELETE /api/role-assignments/{id}/
    ("school_a_officer", "delete", GRANT, "@assignment:school_a_owner", None, 204),
    ("secadmin", "delete", GRANT, "@assignment:school_a_owner", None, 204),
    # platform roles change only from the console
    ("secadmin", "delete", GRANT, "@assignment:auditadmin", None, 403),
    ("school_a_officer", "delete", GRANT, "@assignment:uni_security", None, 404),
    ("district_officer", "delete", GRANT, "@assignment:secadmin", None, 404),
    ("auditor", "delete", GRANT, "@assignment:school_a_owner", None, 403),
    ("auditadmin", "delete", GRANT, "@assignment:school_a_owner", None, 403),
    ("sysadmin", "delete", GRANT, "@assignment:school_a_owner", None, 403),
    # /api/roles/: like the role page, accounts.view_role somewhere
    ("district_officer", "get", ROLES, None, None, 200),
    ("auditor", "get", ROLES, None, None, 200),
    ("sysadmin", "get", ROLES, None, None, 200),
    ("secadmin", "get", ROLES, None, None, 200),
    ("district_supervisor", "get", ROLES, None, None, 403),
    ("school_b_teacher", "get", ROLES, None, None, 403),
    ("expert", "get", ROLES, None, None, 403),
    ("district_officer", "get", ROLE, "@role:inspector", None, 200),
    ("expert", "get", ROLE, "@role:inspector", None, 403),
]


def _id(row) -> str:
    who, method, url, target, _body, expected = row
    return f"{who}-{method}-{url}-{target}-{expected}"


@pytest.mark.parametrize(
    ("who", "method", "url", "target", "body", "expected"), TABLE, ids=[_id(r) for r in TABLE]
)
def test_it_scopes_every_people_endpoint(who, method, url, target, body, expected, api_for, ref):
    assignments = RoleAssignment.objects.count()
    users = User.objects.count()
    client = api_for(who)
    path = url.format(ref(target)) if target is not None else url
    response = getattr(client, method)(path, ref(body), format="json")
    assert response.status_code == expected, (who, method, path, response.content)
    if expected >= 400:
        error = error_of(response)
        assert has_chinese(error["message"]), error
        # a refused write changes nothing
        assert RoleAssignment.objects.count() == assignments
        assert User.objects.count() == users
    if expected == 404:
        assert error["code"] == "not_found"
        assert error["message"] == "记录不存在或不在您的管理范围内。"
    if expected == 403:
        assert error["code"] == "permission_denied"


@pytest.mark.parametrize("who", EVERYONE)
def test_it_tells_everyone_who_they_are(who, api_for):
    response = api_for(who).get("/api/me/")
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == who
    assert "password" not in body


ANONYMOUS = [
    ("get", "/api/users/"),
    ("get", "/api/users/{user}/"),
    ("post", "/api/users/"),
    ("patch", "/api/users/{user}/"),
    ("post", "/api/users/{user}/password/"),
    ("get", "/api/users/{user}/history/"),
    ("get", "/api/role-assignments/"),
    ("get", "/api/role-assignments/{assignment}/"),
    ("post", "/api/role-assignments/"),
    ("delete", "/api/role-assignments/{assignment}/"),
    ("get", "/api/roles/"),
    ("get", "/api/me/"),
]


@pytest.mark.parametrize(("method", "url"), ANONYMOUS)
def test_it_refuses_anonymous_callers(method, url, ref):
    path = url.format(user=ref("@user:school_a_head"), assignment=ref("@assignment:school_a_head"))
    response = getattr(APIClient(), method)(path, {}, format="json")
    assert response.status_code in (401, 403)
    error = error_of(response)
    assert error["code"] == "not_authenticated"
    assert has_chinese(error["message"])


def test_it_lists_only_the_people_in_scope(api_for):
    def usernames(who: str) -> set[str]:
        return {u["username"] for u in api_for(who).get("/api/users/").json()["results"]}

    district = {
        "district_officer",
        "district_head",
        "district_supervisor",
        "auditor",
        "school_a_head",
        "school_a_officer",
        "school_a_owner",
        "school_b_teacher",
    }
    assert usernames("district_officer") == district
    assert usernames("auditor") == district
    assert usernames("school_a_officer") == {"school_a_head", "school_a_officer", "school_a_owner"}
    assert usernames("uni_security") == {"uni_head", "uni_security"}
    assert usernames("secadmin") == {p[0] for p in PEOPLE}


def test_it_lists_only_the_role_assignments_in_scope(api_for):
    def owners(who: str) -> set[str]:
        rows = api_for(who).get("/api/role-assignments/").json()["results"]
        return {a["user_name"] for a in rows}

    assert owners("school_a_officer") == {"王校长", "李安办", "周总务"}
    assert owners("uni_security") == {"孙保卫", "吴校长"}
    assert "安全保密管理员" in owners("secadmin")
    assert "安全保密管理员" not in owners("district_officer")


def test_it_shows_no_assignments_from_outside_the_callers_scope(api_for, client_for, persona, demo):
    from xiaoan.accounts import services
    from xiaoan.accounts.models import Role

    teacher = persona("school_b_teacher")
    services.grant_role(
        persona("secadmin"), teacher, Role.objects.get(code="inspector"), demo["鄂州职业大学"]
    )
    seen_by_district = api_for("district_officer").get(f"/api/users/{teacher.pk}/").json()
    assert [a["unit_name"] for a in seen_by_district["assignments"]] == ["东沟镇中心小学"]
    listed = api_for("district_officer").get("/api/users/", {"q": "张老师"}).json()["results"]
    assert [a["unit_name"] for a in listed[0]["assignments"]] == ["东沟镇中心小学"]
    seen_by_secadmin = api_for("secadmin").get(f"/api/users/{teacher.pk}/").json()
    assert {a["unit_name"] for a in seen_by_secadmin["assignments"]} == {
        "东沟镇中心小学",
        "鄂州职业大学",
    }
    me = api_for("school_b_teacher").get("/api/me/").json()
    assert len(me["assignments"]) == 2
    page = client_for("district_officer").get("/accounts/users/").content.decode()
    assert "随手拍上报人@东沟镇中心小学" in page
    assert "检查员@鄂州职业大学" not in page
    assert "检查员@鄂州职业大学" in client_for("secadmin").get("/accounts/users/").content.decode()
