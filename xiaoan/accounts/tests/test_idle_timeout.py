"""Sessions end after XIAOAN_SESSION_IDLE_MINUTES without a request, and after
XIAOAN_SESSION_HOURS since login however active. Time is moved by shifting the timestamps
the middleware keeps in the session."""

from __future__ import annotations

import time

import pytest
from django.test import Client

from xiaoan.accounts.middleware import AUTH_AT, LAST_SEEN
from xiaoan.accounts.tests.helpers import PASSWORD, error_of

IDLE_MESSAGE = "长时间未操作，已自动退出，请重新登录。"


def _shift(client: Client, key: str, seconds: int) -> None:
    """Pretend the stamp `key` was written `seconds` earlier."""
    session = client.session
    session[key] = session[key] - seconds
    session.save()


@pytest.fixture
def officer(client_for) -> Client:
    client = client_for("district_officer")
    assert client.get("/").status_code == 200  # starts the clocks
    return client


def test_it_logs_out_after_the_idle_period(officer, settings):
    assert settings.XIAOAN_SESSION_IDLE_SECONDS == 30 * 60
    _shift(officer, LAST_SEEN, 30 * 60 + 1)
    response = officer.get("/accounts/users/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Faccounts%2Fusers%2F"
    page = officer.get(response["Location"])
    assert IDLE_MESSAGE in page.content.decode()
    assert officer.get("/").status_code == 302


def test_it_keeps_the_session_before_the_idle_period_ends(officer):
    _shift(officer, LAST_SEEN, 29 * 60)
    assert officer.get("/").status_code == 200
    # that request counted as activity: another 29 minutes later it still holds
    _shift(officer, LAST_SEEN, 29 * 60)
    assert officer.get("/").status_code == 200


def test_it_answers_session_api_calls_with_401_after_the_idle_period(officer):
    assert officer.get("/api/me/").status_code == 200
    _shift(officer, LAST_SEEN, 31 * 60)
    response = officer.get("/api/me/")
    assert response.status_code == 401
    error = error_of(response)
    assert error["code"] == "not_authenticated"
    assert error["message"] == IDLE_MESSAGE
    assert officer.get("/api/me/").status_code in (401, 403)


def test_it_tells_htmx_to_load_the_login_page(officer):
    _shift(officer, LAST_SEEN, 31 * 60)
    response = officer.get("/", headers={"HX-Request": "true"})
    assert response["HX-Redirect"].startswith("/accounts/login/")


def test_it_uses_the_configured_idle_period_and_zero_turns_it_off(officer, settings):
    settings.XIAOAN_SESSION_IDLE_SECONDS = 5 * 60
    _shift(officer, LAST_SEEN, 4 * 60)
    assert officer.get("/").status_code == 200
    settings.XIAOAN_SESSION_IDLE_SECONDS = 0
    _shift(officer, LAST_SEEN, 10 * 3600)
    assert officer.get("/").status_code == 200
    settings.XIAOAN_SESSION_IDLE_SECONDS = 5 * 60
    _shift(officer, LAST_SEEN, 6 * 60)
    assert officer.get("/").status_code == 302


def test_it_writes_the_activity_stamp_at_most_once_a_minute(officer):
    _shift(officer, LAST_SEEN, 30)
    stamp = officer.session[LAST_SEEN]
    officer.get("/")
    assert officer.session[LAST_SEEN] == stamp
    _shift(officer, LAST_SEEN, 31)
    officer.get("/")
    assert abs(officer.session[LAST_SEEN] - time.time()) < 5


def test_it_ends_the_session_at_the_absolute_limit_however_active(officer, settings):
    hours = settings.SESSION_COOKIE_AGE // 3600
    _shift(officer, AUTH_AT, hours * 3600 - 60)
    assert officer.get("/").status_code == 200  # still inside the limit
    _shift(officer, AUTH_AT, 61)  # active a second ago, but logged in over the limit
    response = officer.get("/")
    assert response.status_code == 302
    page = officer.get(response["Location"]).content.decode()
    assert f"登录已超过 {hours} 小时，请重新登录。" in page
    assert officer.get("/").status_code == 302


def test_it_starts_both_clocks_at_a_password_login(demo):
    client = Client()
    before = int(time.time())
    client.post("/accounts/login/", {"username": "school_a_officer", "password": PASSWORD})
    session = client.session
    assert before <= session[AUTH_AT] <= time.time()
    assert session[LAST_SEEN] == session[AUTH_AT]


def test_it_leaves_token_callers_alone(demo):
    from rest_framework.test import APIClient

    key = (
        APIClient()
        .post("/api/auth/token/", {"username": "school_a_officer", "password": PASSWORD})
        .json()["token"]
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/me/").status_code == 200
    assert LAST_SEEN not in client.session
