"""The second factor at login: forced enrolment of the platform administrators and of roles
flagged require_mfa, the code step, recovery codes, wrong codes, and the API behind it."""

from __future__ import annotations

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from xiaoan.accounts import mfa
from xiaoan.accounts.models import Role
from xiaoan.accounts.tests.helpers import PASSWORD, error_of, has_chinese
from xiaoan.accounts.tests.mfa_helpers import code_for

LOGIN = "/accounts/login/"
SETUP = "/accounts/mfa/setup/"
VERIFY = "/accounts/mfa/verify/"
# Pages of every kind a person might try before passing the second factor.
PAGES = ["/", "/accounts/users/", "/units/", "/hazards/", "/accounts/tokens/", "/accounts/mfa/"]


@pytest.fixture(autouse=True)
def _no_device_throttling(settings):
    """django-otp slows down repeated tries (1 s, 2 s, 4 s …); these tests try a wrong code
    and then the right one at once."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def _login(username: str) -> Client:
    client = Client()
    response = client.post(LOGIN, {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()
    return client


def _enrol(user) -> tuple[TOTPDevice, list[str]]:
    return mfa.confirm_enrolment(user, code_for(mfa.pending_device(user)))


@pytest.mark.parametrize("username", ["sysadmin", "secadmin", "auditadmin"])
def test_it_keeps_a_platform_administrator_on_the_enrolment_page_until_enrolled(username, persona):
    client = _login(username)
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(SETUP), url
    response = client.get("/api/me/")
    assert response.status_code == 403
    assert error_of(response)["code"] == "mfa_required"
    assert client.post("/api/units/", {}, content_type="application/json").status_code == 403

    page = client.get(SETUP)
    assert page.status_code == 200
    content = page.content.decode()
    assert 'src="data:image/svg+xml;base64,' in content
    assert page.context["secret"] in content
    assert "您的角色要求使用双因素认证" in content

    device = TOTPDevice.objects.get(user=persona(username), confirmed=False)
    assert client.post(SETUP, {"code": "000000"}).status_code == 400
    assert client.get("/").status_code == 302

    done = client.post(SETUP, {"code": code_for(device)})
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == len(set(codes)) == mfa.RECOVERY_CODE_COUNT
    assert all(code in done.content.decode() for code in codes)
    for url in PAGES:
        # /hazards/ is 403 now: the administrators hold no business permissions
        assert client.get(url).status_code == (403 if url == "/hazards/" else 200), url
    assert client.get("/api/me/").status_code == 200


def test_it_draws_the_qr_code_of_the_pending_device_and_keeps_it_across_reloads(client_for):
    client = client_for("district_officer")
    first = client.get(SETUP).context
    second = client.get(SETUP).context
    assert first["secret"] == second["secret"]
    assert first["qr"] == second["qr"]
    device = TOTPDevice.objects.get(user__username="district_officer", confirmed=False)
    assert first["secret"].replace(" ", "") in device.config_url


def test_it_asks_for_the_code_at_the_next_login_and_refuses_a_wrong_one(persona):
    device, _codes = _enrol(persona("sysadmin"))
    client = _login("sysadmin")
    response = client.get("/accounts/users/")
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=%2Faccounts%2Fusers%2F"
    # enrolling a second device is no way around the code
    assert client.get(SETUP)["Location"].startswith(VERIFY)

    wrong = client.post(VERIFY, {"code": "123456", "next": "/accounts/users/"})
    assert wrong.status_code == 200
    assert "验证码不正确或已使用。" in wrong.content.decode()
    assert client.get("/accounts/users/").status_code == 302

    right = client.post(VERIFY, {"code": code_for(device), "next": "/accounts/users/"})
    assert right.status_code == 302
    assert right["Location"] == "/accounts/users/"
    assert client.get("/accounts/users/").status_code == 200


def test_it_does_not_follow_a_next_address_to_another_site(persona):
    device, _codes = _enrol(persona("sysadmin"))
    client = _login("sysadmin")
    response = client.post(VERIFY, {"code": code_for(device), "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_it_accepts_a_recovery_code_once(persona):
    _device, codes = _enrol(persona("secadmin"))
    client = _login("secadmin")
    response = client.post(VERIFY, {"code": codes[0].upper()})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert mfa.recovery_codes_left(persona("secadmin")) == mfa.RECOVERY_CODE_COUNT - 1

    again = _login("secadmin")
    response = again.post(VERIFY, {"code": codes[0]})
    assert response.status_code == 200
    assert "验证码不正确或已使用。" in response.content.decode()
    assert again.get("/").status_code == 302
    assert again.post(VERIFY, {"code": codes[1].replace("-", "")}).status_code == 302


def test_it_refuses_a_totp_code_used_once_already(persona):
    device, _codes = _enrol(persona("auditadmin"))
    code = code_for(device)
    assert _login("auditadmin").post(VERIFY, {"code": code}).status_code == 302
    replay = _login("auditadmin")
    assert replay.post(VERIFY, {"code": code}).status_code == 200
    assert replay.get("/").status_code == 302


def test_it_sends_the_person_back_to_the_password_step_after_five_wrong_codes(persona):
    device, _codes = _enrol(persona("sysadmin"))
    client = _login("sysadmin")
    for _ in range(mfa.SESSION_FAILURE_LIMIT - 1):
        assert client.post(VERIFY, {"code": "000000"}).status_code == 200
    response = client.post(VERIFY, {"code": "000000"})
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    # the session is gone: even the right code no longer helps
    after = client.post(VERIFY, {"code": code_for(device)})
    assert after["Location"].startswith(LOGIN)
    assert client.get("/").status_code == 302
    assert "验证码错误次数过多" in client.get(LOGIN).content.decode()


def test_it_counts_wrong_codes_towards_the_account_lockout(settings, persona):
    settings.AXES_ENABLED = True
    _enrol(persona("sysadmin"))
    client = _login("sysadmin")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(VERIFY, {"code": "000000"})
    response = Client().post(LOGIN, {"username": "sysadmin", "password": PASSWORD})
    assert response.status_code == 429


def test_it_makes_the_holders_of_a_role_flagged_require_mfa_enrol(demo):
    assert _login("school_a_head").get("/").status_code == 200
    Role.objects.filter(code="unit_head").update(require_mfa=True)
    client = _login("school_a_head")
    assert client.get("/")["Location"].startswith(SETUP)
    # the flag of an inactive role does not count
    Role.objects.filter(code="unit_head").update(is_active=False)
    assert client.get("/").status_code == 200
    # other roles are not affected
    assert _login("school_a_officer").get("/").status_code == 200


def test_it_lets_anyone_enrol_of_their_own_accord_and_then_asks_for_the_code(client_for):
    client = client_for("district_officer")
    assert "尚未启用" in client.get("/accounts/mfa/").content.decode()
    client.get(SETUP)
    device = TOTPDevice.objects.get(user__username="district_officer", confirmed=False)
    done = client.post(SETUP, {"code": code_for(device), "next": "/accounts/mfa/"})
    assert done.status_code == 200 and len(done.context["codes"]) == 10
    assert client.get("/").status_code == 200  # this session passed the code already

    later = _login("district_officer")
    assert later.get("/")["Location"].startswith(VERIFY)
    assert later.post(VERIFY, {"code": code_for(device)}).status_code == 302
    assert later.get("/").status_code == 200


def test_it_leaves_people_without_a_second_factor_alone(demo):
    client = _login("school_b_teacher")
    assert client.get("/").status_code == 200
    assert client.get(VERIFY)["Location"].startswith(SETUP)


# The API token endpoint ------------------------------------------------------------------


def _token(username: str, **extra):
    from rest_framework.test import APIClient

    body = {"username": username, "password": PASSWORD, **extra}
    return APIClient().post("/api/auth/token/", body, format="json")


def test_it_refuses_an_api_token_to_an_administrator_without_a_valid_code(persona):
    response = _token("sysadmin")
    assert response.status_code == 400
    error = error_of(response)
    assert set(error["fields"]) == {"otp"}
    assert "绑定验证器" in error["message"]  # not enrolled yet: do that on the web first

    device, _codes = _enrol(persona("sysadmin"))
    for extra in ({}, {"otp": ""}, {"otp": "000000"}, {"otp": "not-a-code"}):
        response = _token("sysadmin", **extra)
        assert response.status_code == 400, extra
        error = error_of(response)
        assert error["code"] == "invalid"
        assert set(error["fields"]) == {"otp"} and has_chinese(error["message"])

    response = _token("sysadmin", otp=code_for(device))
    assert response.status_code == 200
    assert len(response.json()["token"]) == 40


def test_it_asks_a_voluntarily_enrolled_person_for_the_code_too(persona):
    assert _token("district_officer").status_code == 200
    device, codes = _enrol(persona("district_officer"))
    assert _token("district_officer").status_code == 400
    assert _token("district_officer", otp=code_for(device)).status_code == 200
    assert _token("district_officer", otp=codes[0]).status_code == 200
    assert _token("district_officer", otp=codes[0]).status_code == 400


def test_it_still_says_wrong_password_before_asking_for_a_code(persona):
    _enrol(persona("sysadmin"))
    response = _token("sysadmin", password="wrong", otp="000000")
    assert response.status_code == 400
    assert error_of(response)["message"] == "用户名或密码错误。"
