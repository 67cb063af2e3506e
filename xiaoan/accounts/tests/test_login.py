"""Logging in on the page and through the API: username or mobile number, Chinese messages,
inactive accounts refused, API tokens, and lock-out after repeated failures (django-axes)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from xiaoan.accounts.models import User
from xiaoan.accounts.tests.helpers import PASSWORD, error_of

LOGIN = "/accounts/login/"


def _login(client: Client, username: str, password: str = PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


def _token(username: str, password: str = PASSWORD):
    return APIClient().post(
        "/api/auth/token/", {"username": username, "password": password}, format="json"
    )


@pytest.mark.parametrize("identifier", ["school_a_officer", "13800000012"])
def test_it_logs_in_with_username_or_mobile(identifier, demo):
    client = Client()
    response = _login(client, identifier)
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    assert client.get(reverse("core:home")).context["user"].username == "school_a_officer"


def test_it_follows_next_after_login(demo):
    client = Client()
    response = client.post(
        LOGIN, {"username": "district_officer", "password": PASSWORD, "next": "/accounts/users/"}
    )
    assert response["Location"] == "/accounts/users/"


@pytest.mark.parametrize(
    ("identifier", "password"),
    [("school_a_officer", "wrong"), ("13800000012", "wrong"), ("nobody", PASSWORD), ("", "")],
)
def test_it_refuses_bad_credentials_in_chinese(identifier, password, demo):
    client = Client()
    response = _login(client, identifier, password)
    assert response.status_code == 200
    content = response.content.decode()
    if identifier:
        assert "用户名/手机号或密码错误。" in content
    else:
        assert "这个字段是必填项。" in content or "必填" in content
    assert client.get(reverse("core:home")).status_code == 302


def test_it_refuses_an_inactive_account(demo):
    User.objects.filter(username="school_b_teacher").update(is_active=False)
    client = Client()
    response = _login(client, "school_b_teacher")
    assert response.status_code == 200
    assert "用户名/手机号或密码错误。" in response.content.decode()
    assert client.get(reverse("core:home")).status_code == 302
    assert _token("school_b_teacher").status_code == 400


def test_it_logs_an_inactive_account_out_of_its_open_session(client_for):
    client = client_for("school_b_teacher")
    assert client.get(reverse("core:home")).status_code == 200
    User.objects.filter(username="school_b_teacher").update(is_active=False)
    assert client.get(reverse("core:home")).status_code == 302


def test_it_logs_out(client_for):
    client = client_for("district_officer")
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("core:home")).status_code == 302


@pytest.mark.parametrize("identifier", ["uni_security", "13800000031"])
def test_it_gives_an_api_token_that_then_authenticates(identifier, demo):
    response = _token(identifier)
    assert response.status_code == 200
    token = response.json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = client.get("/api/me/")
    assert me.status_code == 200
    assert me.json()["username"] == "uni_security"
    users = {u["username"] for u in client.get("/api/users/").json()["results"]}
    assert users == {"uni_security", "uni_head"}
    # every request issues a new token (shown once); the earlier one keeps working
    assert _token("uni_security").json()["token"] != token
    assert client.get("/api/me/").status_code == 200


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"username": "uni_security", "password": "wrong"}, set()),
        ({"username": "nobody", "password": "wrong"}, set()),
        ({"username": "uni_security"}, {"password"}),
        ({}, {"username", "password"}),
    ],
)
def test_it_refuses_bad_token_requests_with_the_structured_error(body, fields, demo):
    response = APIClient().post("/api/auth/token/", body, format="json")
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "invalid"
    assert set(error["fields"]) == fields
    if not fields:
        assert error["message"] == "用户名或密码错误。"


@pytest.mark.parametrize("header", ["Token not-a-real-token", "Token ", "Bearer abc"])
def test_it_refuses_a_bad_token_with_the_structured_error(header, demo):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get("/api/me/")
    assert response.status_code in (401, 403)
    assert error_of(response)["code"] in ("authentication_failed", "not_authenticated")


def test_it_refuses_the_token_of_a_deactivated_account(demo):
    token = _token("school_a_owner").json()["token"]
    User.objects.filter(username="school_a_owner").update(is_active=False)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = client.get("/api/me/")
    assert response.status_code in (401, 403)
    error_of(response)


# Lock-out. Tests run with AXES_ENABLED off (settings.AXES_ENABLED follows TESTING); these
# switch it on. The limit is XIAOAN_LOGIN_FAILURE_LIMIT (settings.AXES_FAILURE_LIMIT).


@pytest.fixture
def axes_on(settings, demo):
    settings.AXES_ENABLED = True
    return settings.AXES_FAILURE_LIMIT


def test_it_still_lets_a_person_in_one_failure_short_of_the_limit(axes_on):
    client = Client()
    for _ in range(axes_on - 1):
        assert _login(client, "school_a_officer", "wrong").status_code == 200
    assert _login(client, "school_a_officer").status_code == 302


def test_it_locks_an_account_after_the_failure_limit(axes_on):
    client = Client()
    for _ in range(axes_on):
        _login(client, "school_a_officer", "wrong")
    response = _login(Client(), "school_a_officer")  # right password, another browser
    assert response.status_code == 429
    assert "账号已暂时锁定" in response.content.decode()
    # other accounts are not affected (schools share one address)
    assert _login(Client(), "school_a_head").status_code == 302


@pytest.mark.parametrize(
    ("failing_as", "then_as"),
    [("school_a_officer", "13800000012"), ("13800000012", "school_a_officer")],
)
def test_it_locks_the_account_whether_named_by_username_or_mobile(failing_as, then_as, axes_on):
    client = Client()
    for _ in range(axes_on):
        _login(client, failing_as, "wrong")
    assert _login(Client(), then_as).status_code == 429
    assert _token(then_as).status_code == 403


def test_it_locks_the_api_token_endpoint_too(axes_on):
    for _ in range(axes_on - 1):
        assert _token("uni_head", "wrong").status_code == 400
    # the failure that reaches the limit locks the account and says so
    for password in ("wrong", PASSWORD):
        response = _token("uni_head", password)
        assert response.status_code == 403
        assert "锁定" in error_of(response)["message"]
    assert _login(Client(), "uni_head").status_code == 429


def test_it_uses_the_configured_failure_limit(settings, demo):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 2
    client = Client()
    _login(client, "auditor", "wrong")
    assert _login(Client(), "auditor").status_code == 302
    _login(client, "auditor", "wrong")
    assert _login(Client(), "auditor").status_code == 429
