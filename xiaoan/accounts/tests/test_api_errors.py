"""Every API error has one shape, {"error": {"code", "message", "fields"}}, in Chinese."""

from __future__ import annotations

from rest_framework.test import APIClient

from xiaoan.accounts.tests.helpers import error_of, has_chinese


def test_it_reports_validation_errors_per_field(api_for, demo):
    response = api_for("district_officer").post(
        "/api/users/", {"username": "", "mobile": "abc", "unit": 999999}, format="json"
    )
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "invalid"
    assert error["message"] == "提交的内容有误，请检查后重试。"
    assert {"username", "mobile", "unit"} <= set(error["fields"])
    for messages in error["fields"].values():
        assert messages and all(isinstance(m, str) and has_chinese(m) for m in messages)


def test_it_reports_a_missing_permission(api_for):
    response = api_for("school_b_teacher").post("/api/users/", {}, format="json")
    assert response.status_code == 403
    error = error_of(response)
    assert error == {
        "code": "permission_denied",
        "message": "您没有执行此操作的权限。",
        "fields": {},
    }


def test_it_reports_a_record_outside_scope_as_not_found(api_for, persona):
    for url in (
        f"/api/users/{persona('uni_head').pk}/",
        f"/api/users/{persona('uni_head').pk}/history/",
        "/api/users/999999/",
        "/api/role-assignments/999999/",
        "/api/users/abc/",
    ):
        response = api_for("school_a_officer").get(url)
        assert response.status_code == 404, url
        assert error_of(response) == {
            "code": "not_found",
            "message": "记录不存在或不在您的管理范围内。",
            "fields": {},
        }


def test_it_reports_a_missing_login(demo):
    response = APIClient().get("/api/users/")
    assert response.status_code in (401, 403)
    error = error_of(response)
    assert error["code"] == "not_authenticated" and has_chinese(error["message"])


def test_it_reports_a_wrong_method(api_for, persona):
    response = api_for("district_officer").put(
        f"/api/users/{persona('school_b_teacher').pk}/", {}, format="json"
    )
    assert response.status_code == 405
    error = error_of(response)
    assert error["code"] == "method_not_allowed" and has_chinese(error["message"])


def test_it_reports_a_conflict(api_for, persona, demo):
    from xiaoan.accounts.models import Role

    body = {
        "user": persona("school_b_teacher").pk,
        "role": Role.objects.get(code="reporter").pk,
        "unit": demo["东沟镇中心小学"].pk,
    }
    response = api_for("district_officer").post("/api/role-assignments/", body, format="json")
    assert response.status_code == 409
    assert error_of(response) == {
        "code": "conflict",
        "message": "该用户在此单位已有这个角色。",
        "fields": {},
    }


def test_it_reports_bad_json(api_for):
    response = api_for("district_officer").generic(
        "POST", "/api/users/", "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "parse_error"
    assert error["message"] == "请求内容格式有误，无法解析。"


def test_it_reports_an_unsupported_media_type(api_for):
    response = api_for("district_officer").generic(
        "POST", "/api/users/", "username=x", content_type="text/plain"
    )
    assert response.status_code == 415
    error = error_of(response)
    assert error["code"] == "unsupported_media_type" and has_chinese(error["message"])


def test_it_reports_a_too_large_page_size_by_capping_it(api_for):
    response = api_for("secadmin").get("/api/users/", {"page_size": 100000})
    assert response.status_code == 200
    assert response.json()["count"] == len(response.json()["results"])
