"""Lock-out per account and source address, the per-address limit across accounts, and the
API throttles (429 with a Chinese message)."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from xiaoan.accounts.tests.helpers import PASSWORD, error_of

LOGIN = "/accounts/login/"


def _login(address: str, username: str, password: str = PASSWORD):
    return Client(REMOTE_ADDR=address).post(LOGIN, {"username": username, "password": password})


@pytest.fixture
def axes_on(settings, demo):
    settings.AXES_ENABLED = True
    return settings.AXES_FAILURE_LIMIT


def test_it_locks_an_account_only_for_the_address_the_failures_came_from(axes_on):
    for _ in range(axes_on):
        _login("203.0.113.9", "school_a_officer", "wrong")
    assert _login("203.0.113.9", "school_a_officer").status_code == 429
    # the officer at school, behind another address, still gets in
    assert _login("198.51.100.20", "school_a_officer").status_code == 302


def test_it_refuses_an_address_that_fails_across_many_accounts(axes_on, settings):
    settings.XIAOAN_LOGIN_ADDRESS_FAILURE_LIMIT = 6
    names = ["auditor", "uni_head", "school_a_owner", "district_head", "expert", "uni_security"]
    for name in names:
        assert _login("203.0.113.50", name, "wrong").status_code == 200
    blocked = _login("203.0.113.50", "school_a_head")  # right password, but this address
    assert blocked.status_code == 429
    assert "该网络地址" in blocked.content.decode()
    token = APIClient(REMOTE_ADDR="203.0.113.50").post(
        "/api/auth/token/", {"username": "school_a_head", "password": PASSWORD}, format="json"
    )
    assert token.status_code == 429
    assert error_of(token)["code"] == "throttled"
    assert _login("198.51.100.7", "school_a_head").status_code == 302


def test_it_throttles_the_token_endpoint_per_address(settings, demo):
    settings.XIAOAN_RATE_TOKEN = "3/min"
    client = APIClient(REMOTE_ADDR="203.0.113.77")
    body = {"username": "auditor", "password": PASSWORD}
    for _ in range(3):
        assert client.post("/api/auth/token/", body, format="json").status_code == 200
    response = client.post("/api/auth/token/", body, format="json")
    assert response.status_code == 429
    error = error_of(response)
    assert error["code"] == "throttled" and "秒后再试" in error["message"]


def test_it_throttles_writes_per_person_but_not_reads(settings, api_for, persona):
    settings.XIAOAN_RATE_WRITE = "2/min"
    client = api_for("district_officer")
    teacher = persona("school_b_teacher")
    for n in range(2):
        changed = client.patch(f"/api/users/{teacher.pk}/", {"position": f"教师{n}"}, format="json")
        assert changed.status_code == 200, changed.content
    refused = client.patch(f"/api/users/{teacher.pk}/", {"position": "X"}, format="json")
    assert refused.status_code == 429
    assert error_of(refused)["code"] == "throttled"
    assert client.get("/api/users/").status_code == 200
    # another person is not affected
    owner = persona("school_a_owner")
    other = api_for("school_a_officer").patch(
        f"/api/users/{owner.pk}/", {"position": "干事"}, format="json"
    )
    assert other.status_code == 200


def test_it_throttles_password_resets(settings, api_for, persona):
    settings.XIAOAN_RATE_PASSWORD = "1/min"
    client = api_for("school_a_officer")
    owner = persona("school_a_owner")
    assert client.post(f"/api/users/{owner.pk}/password/").status_code == 200
    assert client.post(f"/api/users/{owner.pk}/password/").status_code == 429
