import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_it_shows_a_chinese_login_page_at_root():
    response = Client().get("/", follow=True)
    assert response.status_code == 200
    content = response.content.decode()
    assert "登录" in content and "用户名或手机号" in content


def test_it_logs_in_with_mobile_number(demo):
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": "13800000012", "password": "Xiaoan@2026"}
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_it_refuses_a_wrong_password(demo):
    response = Client().post("/accounts/login/", {"username": "school_a_officer", "password": "x"})
    assert response.status_code == 200
    assert "用户名/手机号或密码错误" in response.content.decode()


def test_it_reports_readiness_of_database_and_jobs():
    body = Client().get("/readyz").json()
    assert body["status"] == "ok"
    assert body["database"]["status"] == "ok"
    assert body["jobs"]["status"] == "ok"


def test_it_serves_the_openapi_schema():
    response = Client().get("/api/schema/?format=json")
    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.")


def test_it_sends_a_strict_content_security_policy(client_for):
    response = client_for("school_a_officer").get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "<script>" not in response.content.decode()
    assert "style=" not in response.content.decode()


def test_it_explains_an_expired_form_in_chinese(demo):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()
