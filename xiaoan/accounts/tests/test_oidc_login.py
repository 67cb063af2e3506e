"""Single sign-on (OpenID Connect): the whole code flow against a provider the tests start
(oidc_provider.py), over HTTP. The provider's person is matched to an existing account by
one claim; unknown people, inactive accounts and the platform administrators are refused on
the login page, and nothing is created. Not configured, /oidc/ does not exist."""

from __future__ import annotations

import importlib
from contextlib import contextmanager
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
import requests
from django.contrib.auth import SESSION_KEY
from django.test import Client, override_settings
from django.urls import clear_url_caches

from xiaoan.accounts.middleware import AUTH_AT
from xiaoan.accounts.models import User
from xiaoan.accounts.tests.oidc_provider import Provider
from xiaoan.audit.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db

BUTTON = "统一身份认证登录"
BACKEND = "xiaoan.accounts.oidc.OidcBackend"


def _reload_urls() -> None:
    import xiaoan.urls

    clear_url_caches()
    importlib.reload(xiaoan.urls)  # /oidc/ is included at import, when configured
    clear_url_caches()


@contextmanager
def _configured(provider: Provider, **extra):
    from django.conf import settings

    backends = [*settings.AUTHENTICATION_BACKENDS, BACKEND]
    try:
        values = {**provider.settings(), "AUTHENTICATION_BACKENDS": backends, **extra}
        with override_settings(**values):
            _reload_urls()
            yield provider
    finally:
        _reload_urls()


@pytest.fixture(scope="module")
def provider():
    running = Provider().start()
    yield running
    running.stop()


@pytest.fixture
def sso(provider):
    provider.mode = "ok"
    provider.claims = {"sub": "person-1", "preferred_username": "school_a_officer"}
    with _configured(provider):
        yield provider


def _through_provider(client: Client, provider: Provider, start: str = "/oidc/authenticate/"):
    """Start at xiaoan, let the provider approve, come back: xiaoan's answer to the callback."""
    response = client.get(start)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{provider.issuer}/authorize?")
    approved = requests.get(response["Location"], allow_redirects=False, timeout=10)
    assert approved.status_code == 302
    back = urlsplit(approved.headers["Location"])
    assert back.netloc == "testserver"
    return back


def sso_login(provider: Provider, start: str = "/oidc/authenticate/", tamper=None):
    client = Client()
    back = _through_provider(client, provider, start)
    query = back.query if tamper is None else tamper(back.query)
    return client, client.get(urlunsplit(("", "", back.path, query, "")))


def _refused_with(client: Client, response, text: str) -> None:
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert SESSION_KEY not in client.session
    page = client.get(response["Location"]).content.decode()
    assert text in page, page
    assert client.get("/").status_code == 302  # still not logged in


def _last_failure() -> AuditEntry:
    return AuditEntry.objects.filter(action=AuditAction.LOGIN_FAILED).latest("id")


def test_it_logs_the_mapped_account_in_and_lands_on_home(sso, persona):
    officer = persona("school_a_officer")
    before = AuditEntry.objects.filter(action=AuditAction.LOGIN, actor=officer).count()
    client, response = sso_login(sso)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session[SESSION_KEY] == str(officer.pk)
    assert client.session[AUTH_AT]  # the idle and absolute session limits run from now
    assert client.get("/").status_code == 200
    # Recorded as any login is.
    assert AuditEntry.objects.filter(action=AuditAction.LOGIN, actor=officer).count() == before + 1


def test_it_returns_to_the_page_asked_for(sso):
    _client, response = sso_login(sso, "/oidc/authenticate/?" + urlencode({"next": "/hazards/"}))
    assert response["Location"] == "/hazards/"


def test_it_matches_by_mobile_number_when_configured(provider, persona):
    provider.mode = "ok"
    provider.claims = {"sub": "p-2", "phone_number": "+8613800000012"}
    with _configured(
        provider, XIAOAN_OIDC_USERNAME_CLAIM="phone_number", XIAOAN_OIDC_ACCOUNT_FIELD="mobile"
    ):
        client, response = sso_login(provider)
        assert response["Location"] == "/"
        assert client.session[SESSION_KEY] == str(persona("school_a_officer").pk)


def test_it_refuses_an_unknown_person_and_creates_no_account(sso):
    sso.claims = {"sub": "stranger", "preferred_username": "nobody_here"}
    count = User.objects.count()
    client, response = sso_login(sso)
    _refused_with(client, response, "统一身份认证账号“nobody_here”没有对应的校安账号")
    assert User.objects.count() == count
    entry = _last_failure()
    assert entry.detail == {"username": "nobody_here", "method": "oidc", "reason": "unknown"}


def test_it_refuses_an_inactive_account(sso, persona):
    User.objects.filter(username="school_a_officer").update(is_active=False)
    client, response = sso_login(sso)
    _refused_with(client, response, "您的校安账号已停用")
    entry = _last_failure()
    assert entry.detail["reason"] == "inactive"
    assert entry.object_id == str(persona("school_a_officer").pk)


def test_it_ends_the_session_of_an_account_deactivated_after_login(sso):
    client, _response = sso_login(sso)
    assert client.get("/").status_code == 200
    User.objects.filter(username="school_a_officer").update(is_active=False)
    assert client.get("/").status_code == 302


@pytest.mark.parametrize("admin", ["sysadmin", "secadmin", "auditadmin"])
def test_it_keeps_the_platform_administrators_on_local_login(sso, admin):
    sso.claims = {"sub": admin, "preferred_username": admin}
    client, response = sso_login(sso)
    _refused_with(client, response, "平台管理员（三员）不能使用统一身份认证登录")
    assert _last_failure().detail["reason"] == "platform_admin"


def test_it_refuses_a_tampered_state(sso):
    def tamper(query: str) -> str:
        params = {k: v[0] for k, v in parse_qs(query).items()}
        params["state"] = params["state"][:-1] + ("A" if params["state"][-1] != "A" else "B")
        return urlencode(params)

    client, response = sso_login(sso, tamper=tamper)
    _refused_with(client, response, "统一身份认证登录失败")
    assert _last_failure().detail["method"] == "oidc"


def test_it_refuses_an_id_token_signed_with_another_key(sso):
    sso.mode = "bad_signature"
    client, response = sso_login(sso)
    _refused_with(client, response, "统一身份认证登录失败")


def test_it_refuses_an_id_token_from_another_issuer(provider):
    provider.mode = "ok"
    provider.claims = {"sub": "person-1", "preferred_username": "school_a_officer"}
    with _configured(provider, XIAOAN_OIDC_ISSUER="https://idp.elsewhere.example"):
        client, response = sso_login(provider)
        _refused_with(client, response, "统一身份认证登录失败")


def test_it_refuses_when_the_claim_is_missing(sso):
    sso.claims = {"sub": "person-1"}
    client, response = sso_login(sso)
    _refused_with(client, response, "没有提供用于匹配账号的信息")


def test_it_tells_when_the_provider_cannot_be_reached(sso, settings):
    client = Client()
    back = _through_provider(client, sso)
    settings.OIDC_OP_TOKEN_ENDPOINT = "http://127.0.0.1:9/token"  # nothing listens there
    response = client.get(f"{back.path}?{back.query}")
    _refused_with(client, response, "统一身份认证服务暂时无法访问")


def test_it_shows_the_button_on_the_login_page(sso):
    page = Client().get("/accounts/login/?next=/hazards/").content.decode()
    assert BUTTON in page
    assert 'href="/oidc/authenticate/?next=/hazards/"' in page


def test_it_does_not_exist_when_not_configured(client):
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/?code=x&state=y").status_code == 404
    assert BUTTON not in client.get("/accounts/login/").content.decode()


def test_it_never_starts_a_token_exchange_from_a_password_login(sso):
    sso.claims = {"sub": "person-1", "preferred_username": "school_a_officer"}
    response = Client().post(
        "/accounts/login/?code=stolen&state=whatever",
        {"username": "school_a_officer", "password": "wrong-password"},
    )
    assert response.status_code == 200  # the form again, not the provider's account


def test_it_refuses_an_account_locked_by_failed_passwords(sso, settings):
    settings.AXES_ENABLED = True
    for _ in range(settings.AXES_FAILURE_LIMIT):
        Client().post(
            "/accounts/login/", {"username": "school_a_officer", "password": "wrong-password"}
        )
    client, response = sso_login(sso)
    _refused_with(client, response, "您的账号因多次登录失败已被暂时锁定")
    # The lock is the account's: someone else still signs on with lock-outs enforced.
    sso.claims = {"sub": "person-2", "preferred_username": "school_a_head"}
    _client, response = sso_login(sso)
    assert response["Location"] == "/"


def test_it_does_not_ask_a_signed_on_person_to_change_the_unused_local_password(sso):
    User.objects.filter(username="school_a_officer").update(must_change_password=True)
    client, _response = sso_login(sso)
    assert client.get("/").status_code == 200
    assert client.get("/api/hazards/").status_code == 200
    # A password login of the same account is still sent to change it.
    local = Client()
    local.force_login(User.objects.get(username="school_a_officer"))
    assert local.get("/")["Location"] == "/accounts/password/"


def test_it_still_asks_for_the_second_factor_a_role_requires(sso):
    from xiaoan.accounts.models import Role

    Role.objects.filter(code="safety_officer").update(require_mfa=True)
    client, _response = sso_login(sso)
    assert client.get("/")["Location"].startswith("/accounts/mfa/setup/")
