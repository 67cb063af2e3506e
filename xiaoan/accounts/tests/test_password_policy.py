"""等保 level 3 password rules, as a person meets them on the "change my password" page and the
API: composition, own names, the shipped common list, no reuse of the last five, expiry with
a warning, and the current password required."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from xiaoan.accounts.models import PasswordHistory, User
from xiaoan.accounts.passwords import common_passwords, one_time_password
from xiaoan.accounts.tests.helpers import PASSWORD, error_of

URL = "/api/auth/password/"


def _change(client, old: str, new: str):
    return client.post(URL, {"old_password": old, "password": new}, format="json")


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("Ab1!", "太短"),
        ("abcdefgh1", "两类"),
        ("ABCDEFGH!", "两类"),
        ("Expert#2026", "用户名"),
        ("Zz13800000041!", "手机号"),
        ("P@ssw0rd", "常见"),
        ("Aa123456!", "常见"),
        ("Woaini1314!", "常见"),
        ("Qwer1234!", "常见"),
        ("Xiaoan@2026", "常见"),
    ],
)
def test_it_refuses_passwords_against_the_policy(api_for, demo, password, why):
    response = _change(api_for("expert"), PASSWORD, password)
    assert response.status_code == 400, why
    messages = error_of(response)["fields"]["password"]
    assert messages and all(any("\u4e00" <= c <= "\u9fff" for c in m) for m in messages)
    assert Client().login(username="expert", password=PASSWORD)


def test_it_accepts_a_good_password_and_records_when(api_for, persona):
    response = _change(api_for("expert"), PASSWORD, "Hu-Lake.Road7")
    assert response.status_code == 204
    expert = User.objects.get(username="expert")
    assert expert.password_changed_at is not None
    assert not expert.must_change_password
    assert Client().login(username="expert", password="Hu-Lake.Road7")


def test_it_requires_the_current_password(api_for):
    response = _change(api_for("expert"), "not-mine", "Hu-Lake.Road7")
    assert response.status_code == 400
    assert error_of(response)["fields"] == {"old_password": ["当前密码不正确。"]}
    assert Client().login(username="expert", password=PASSWORD)


def test_it_stops_guessing_the_current_password(api_for, settings):
    client = api_for("expert")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        assert _change(client, "guess", "Hu-Lake.Road7").status_code == 400
    response = _change(client, PASSWORD, "Hu-Lake.Road7")  # even the right one, for a while
    assert response.status_code == 429
    assert error_of(response)["code"] == "throttled"


def test_it_refuses_the_last_five_passwords(api_for):
    client = api_for("expert")
    chain = [PASSWORD] + [f"Lake-Road.{n}x" for n in range(1, 7)]
    for old, new in itertools.pairwise(chain):
        assert _change(client, old, new).status_code == 204, new
    current = chain[-1]
    assert "当前密码" in error_of(_change(client, current, current))["fields"]["password"][0]
    for reused in chain[-5:-1]:
        response = _change(client, current, reused)
        assert response.status_code == 400, reused
        assert any("最近" in m for m in error_of(response)["fields"]["password"])
    # the sixth back is allowed again, and only five hashes are kept
    assert _change(client, current, chain[1]).status_code == 204, chain[1]
    assert PasswordHistory.objects.filter(user__username="expert").count() == 5


def test_it_sends_an_expired_password_to_the_change_page(persona, settings):
    settings.XIAOAN_PASSWORD_MAX_AGE_DAYS = 90
    User.objects.filter(username="expert").update(
        password_changed_at=timezone.now() - timedelta(days=91)
    )
    client = Client()
    assert client.login(username="expert", password=PASSWORD)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/accounts/password/"
    assert "密码已过期" in client.get("/accounts/password/").content.decode()
    api = APIClient()
    api.force_authenticate(persona("expert"))
    assert error_of(api.get("/api/inspections/"))["code"] == "password_change_required"
    # expiry off: nothing asked
    settings.XIAOAN_PASSWORD_MAX_AGE_DAYS = 0
    assert client.get("/").status_code == 200


def test_it_warns_before_the_password_expires_once_a_day(settings, demo):
    settings.XIAOAN_PASSWORD_MAX_AGE_DAYS = 90
    settings.XIAOAN_PASSWORD_WARN_DAYS = 7
    User.objects.filter(username="expert").update(
        password_changed_at=timezone.now() - timedelta(days=85, hours=1)
    )
    client = Client()
    client.login(username="expert", password=PASSWORD)
    first = client.get("/").content.decode()
    assert "您的密码将在4天后到期" in first
    assert "到期" not in client.get("/").content.decode()


def test_it_ships_a_common_password_list_and_makes_strong_one_time_passwords():
    assert len(common_passwords()) > 10_000
    from django.contrib.auth.password_validation import validate_password

    for _ in range(20):
        validate_password(one_time_password())
