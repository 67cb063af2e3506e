"""Who may call which /api/units/ endpoint: in scope 200/201, out of scope 404, no
permission 403, anonymous 401/403 — every error in the one structured shape."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from xiaoan.orgs.demo import SCHOOLS
from xiaoan.orgs.models import Unit
from xiaoan.orgs.tests.sheets import upload, xlsx

ANONYMOUS = "anonymous"


def assert_error_shape(body: dict, code: str | None = None) -> None:
    assert set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["message"]
    assert isinstance(body["error"]["fields"], dict)
    if code is not None:
        assert body["error"]["code"] == code


def _client(api_for, username: str | None) -> APIClient:
    return api_for(username) if username else APIClient()


def _check(response, expected) -> None:
    if expected == ANONYMOUS:
        assert response.status_code in (401, 403)
        assert_error_shape(response.json(), "not_authenticated")
        return
    assert response.status_code == expected, response.content.decode()
    if expected >= 400:
        assert_error_shape(
            response.json(), {403: "permission_denied", 404: "not_found"}.get(expected)
        )


# (persona or None for anonymous, unit name or None, expected)
LIST_CASES = [
    ("district_officer", None, 200),
    ("school_a_officer", None, 200),
    ("school_b_teacher", None, 200),
    ("auditor", None, 200),
    ("expert", None, 403),
    (None, None, ANONYMOUS),
]
RETRIEVE_CASES = [
    ("school_a_officer", "梁子湖高级中学", 200),
    ("school_a_officer", "政教处", 200),
    ("school_a_officer", "东沟镇中心小学", 404),
    ("school_a_officer", "鄂州职业大学", 404),
    ("district_officer", "东沟镇中心小学", 200),
    ("district_officer", "鄂州职业大学", 404),
    ("uni_security", "葛店校区", 200),
    ("uni_security", "梁子湖区教育局", 404),
    ("school_b_teacher", "东沟镇中心小学", 200),
    ("school_b_teacher", "梁子湖高级中学", 404),
    ("expert", "东沟镇中心小学", 403),
    (None, "东沟镇中心小学", ANONYMOUS),
]
CREATE_CASES = [
    ("district_officer", "梁子湖区教育局", 201),
    ("district_officer", "东沟镇中心小学", 201),
    ("school_a_officer", "梁子湖高级中学", 201),
    ("school_a_officer", "东沟镇中心小学", 404),
    ("school_a_officer", "鄂州职业大学", 404),
    ("district_officer", "鄂州职业大学", 404),
    ("school_b_teacher", "东沟镇中心小学", 403),
    ("district_supervisor", "东沟镇中心小学", 403),
    ("school_a_owner", "总务处", 403),
    ("expert", "东沟镇中心小学", 403),
    (None, "东沟镇中心小学", ANONYMOUS),
]
PATCH_CASES = [
    ("school_a_officer", "梁子湖高级中学", 200),
    ("school_a_officer", "总务处", 200),
    ("school_a_officer", "东沟镇中心小学", 404),
    ("school_a_officer", "鄂州职业大学", 404),
    ("district_officer", "东沟镇中心小学", 200),
    ("district_officer", "鄂州职业大学", 404),
    ("school_b_teacher", "东沟镇中心小学", 403),
    ("auditor", "东沟镇中心小学", 403),
    ("expert", "东沟镇中心小学", 403),
    (None, "东沟镇中心小学", ANONYMOUS),
]
HISTORY_CASES = [
    ("school_a_officer", "梁子湖高级中学", 200),
    ("school_a_officer", "东沟镇中心小学", 404),
    ("school_a_officer", "鄂州职业大学", 404),
    ("district_officer", "鄂州职业大学", 404),
    ("school_b_teacher", "东沟镇中心小学", 200),
    ("auditor", "东沟镇中心小学", 200),
    ("expert", "东沟镇中心小学", 403),
    (None, "东沟镇中心小学", ANONYMOUS),
]
IMPORT_CASES = [
    ("district_officer", 201),
    ("school_a_officer", 201),
    ("school_b_teacher", 403),
    ("auditor", 403),
    ("expert", 403),
    (None, ANONYMOUS),
]


def _ids(cases):
    return [f"{c[0] or 'anonymous'}-{c[1] or '-'}" for c in cases]


@pytest.mark.parametrize(("username", "unit_name", "expected"), LIST_CASES, ids=_ids(LIST_CASES))
def test_it_scopes_the_unit_list(api_for, username, unit_name, expected):
    _check(_client(api_for, username).get("/api/units/"), expected)


@pytest.mark.parametrize(
    ("username", "unit_name", "expected"), RETRIEVE_CASES, ids=_ids(RETRIEVE_CASES)
)
def test_it_scopes_retrieving_a_unit(units, api_for, username, unit_name, expected):
    unit = units[unit_name]
    response = _client(api_for, username).get(f"/api/units/{unit.pk}/")
    _check(response, expected)
    if expected == 200:
        assert response.json()["name"] == unit_name
        assert response.json()["id"] == unit.pk


@pytest.mark.parametrize(
    ("username", "parent_name", "expected"), CREATE_CASES, ids=_ids(CREATE_CASES)
)
def test_it_scopes_creating_a_unit(units, api_for, username, parent_name, expected):
    parent = units[parent_name]
    kind = "section" if parent.kind == "authority" else "department"
    before = Unit.objects.count()
    response = _client(api_for, username).post(
        "/api/units/", {"parent": parent.pk, "name": "安全工作办公室", "kind": kind}, format="json"
    )
    _check(response, expected)
    if expected == 201:
        assert Unit.objects.count() == before + 1
        created = Unit.objects.get(pk=response.json()["id"])
        assert created.name == "安全工作办公室"
        assert Unit.objects.get_parent(created) == parent
        assert response.json()["parent"] == parent.pk
    else:
        assert Unit.objects.count() == before


@pytest.mark.parametrize(("username", "unit_name", "expected"), PATCH_CASES, ids=_ids(PATCH_CASES))
def test_it_scopes_changing_a_unit(units, api_for, username, unit_name, expected):
    unit = units[unit_name]
    response = _client(api_for, username).patch(
        f"/api/units/{unit.pk}/", {"phone": "0711-5550000"}, format="json"
    )
    _check(response, expected)
    unit.refresh_from_db()
    if expected == 200:
        assert unit.phone == "0711-5550000"
        assert response.json()["phone"] == "0711-5550000"
    else:
        assert unit.phone == ""
        assert unit.history.count() == 1


@pytest.mark.parametrize(
    ("username", "unit_name", "expected"), HISTORY_CASES, ids=_ids(HISTORY_CASES)
)
def test_it_scopes_a_units_history(units, api_for, username, unit_name, expected):
    unit = units[unit_name]
    response = _client(api_for, username).get(f"/api/units/{unit.pk}/history/")
    _check(response, expected)
    if expected == 200:
        assert response.json()[0]["action"] == "创建"


@pytest.mark.parametrize(("username", "expected"), IMPORT_CASES, ids=_ids(IMPORT_CASES))
def test_it_scopes_the_import_upload(api_for, username, expected):
    sheet = xlsx([["安全工作办公室", "部门", "梁子湖高级中学", "", "", "", "", ""]])
    before = Unit.objects.count()
    response = _client(api_for, username).post(
        "/api/units/import/", {"file": upload(sheet)}, format="multipart"
    )
    _check(response, expected)
    assert Unit.objects.count() == before + (1 if expected == 201 else 0)


def test_it_reports_a_row_outside_the_scope_when_importing(units, api_for):
    """The sheet names its parents: a parent outside one's scope is a row error, and it
    reads the same as a parent that does not exist."""
    sheet = xlsx(
        [
            ["安全工作办公室", "部门", "鄂州职业大学", "", "", "", "", ""],
            ["安全工作办公室", "部门", "不存在的学校", "", "", "", "", ""],
        ]
    )
    before = Unit.objects.count()
    response = api_for("school_a_officer").post(
        "/api/units/import/", {"file": upload(sheet)}, format="multipart"
    )
    assert response.status_code == 400
    body = response.json()
    assert_error_shape(body, "invalid_rows")
    assert [(e["row"], e["column"]) for e in body["errors"]] == [(2, "上级单位"), (3, "上级单位")]
    assert "鄂州职业大学" in body["errors"][0]["message"]
    assert "不在您的管理范围内" in body["errors"][0]["message"]
    assert Unit.objects.count() == before


def test_it_forbids_changing_a_unit_one_may_only_see(units, api_for):
    from xiaoan.accounts.models import Role, RoleAssignment, User

    RoleAssignment.objects.create(
        user=User.objects.get(username="school_a_officer"),
        role=Role.objects.get(code="reporter"),
        unit=units["东沟镇中心小学"],
        include_descendants=False,
    )
    client = api_for("school_a_officer")
    school_b = units["东沟镇中心小学"]
    assert client.get(f"/api/units/{school_b.pk}/").status_code == 200
    response = client.patch(f"/api/units/{school_b.pk}/", {"phone": "1"}, format="json")
    _check(response, 403)
    response = client.post(
        "/api/units/", {"parent": school_b.pk, "name": "少先队", "kind": "department"}
    )
    _check(response, 403)


def test_it_gives_404_for_a_unit_that_does_not_exist(api_for):
    _check(api_for("district_officer").get("/api/units/999999/"), 404)
    _check(api_for("district_officer").get("/api/units/999999/history/"), 404)


def test_it_does_not_allow_deleting_or_replacing_units(units, api_for):
    client = api_for("sysadmin")
    unit = units["东沟镇中心小学"]
    # Nobody holds orgs.delete_unit, so the permission check refuses DELETE before the
    # method check would; PUT is not offered at all.
    assert client.delete(f"/api/units/{unit.pk}/").status_code in (403, 405)
    assert client.put(f"/api/units/{unit.pk}/", {"name": "x"}, format="json").status_code == 405
    unit.refresh_from_db()
    assert unit.name == "东沟镇中心小学"


def _names(response) -> list[str]:
    return [row["name"] for row in response.json()["results"]]


def test_it_lists_every_district_school_and_not_the_university(api_for):
    client = api_for("district_officer")
    response = client.get("/api/units/", {"page_size": 500})
    body = response.json()
    names = _names(response)
    assert body["count"] == len(names)
    for school, *_facts in SCHOOLS:
        assert school in names
    assert "鄂州职业大学" not in names
    assert "鄂州市教育局" not in names
    schools = client.get("/api/units/", {"kind": "school"}).json()
    assert schools["count"] == 12
    assert sorted(r["name"] for r in schools["results"]) == sorted(n for n, *_f in SCHOOLS)


def test_it_lists_only_the_own_school_and_departments_to_the_school_officer(api_for):
    response = api_for("school_a_officer").get("/api/units/")
    assert response.json()["count"] == 4
    assert _names(response) == ["梁子湖高级中学", "政教处", "总务处", "教务处"]


def test_it_searches_and_filters_only_within_the_scope(units, api_for):
    client = api_for("school_a_officer")
    assert _names(client.get("/api/units/", {"search": "教务处"})) == ["教务处"]
    assert _names(client.get("/api/units/", {"search": "东沟"})) == []
    assert _names(client.get("/api/units/", {"within": units["鄂州职业大学"].pk})) == []
    children = client.get("/api/units/", {"parent": units["梁子湖高级中学"].pk})
    assert _names(children) == ["政教处", "总务处", "教务处"]


def test_it_names_each_units_parent_in_the_list(units, api_for):
    rows = api_for("district_officer").get("/api/units/", {"page_size": 500}).json()["results"]
    by_name = {row["name"]: row for row in rows}
    assert by_name["梁子湖区教育局"]["parent"] == units["鄂州市教育局"].pk
    assert by_name["总务处"]["parent"] == units["梁子湖高级中学"].pk
    assert by_name["东沟镇中心小学"]["school_type"] == "primary"
    assert by_name["东沟镇中心小学"]["school_type_display"] == "小学"
    assert by_name["东沟镇中心小学"]["kind_display"] == "学校"


def test_it_accepts_a_token_and_scopes_by_it(units, persona):
    from xiaoan.accounts.tokens import create_token

    _token, key = create_token(persona("school_a_officer"))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get(f"/api/units/{units['梁子湖高级中学'].pk}/").status_code == 200
    _check(client.get(f"/api/units/{units['东沟镇中心小学'].pk}/"), 404)
