"""API tokens: stored hashed, expiring, listed and revoked by their owner only."""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib

from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from xiaoan.accounts import services, tokens
from xiaoan.accounts.models import ApiToken
from xiaoan.accounts.tests.helpers import PASSWORD, error_of, has_chinese

TOKEN = "/api/auth/token/"
LIST = "/api/auth/tokens/"


def _obtain(username: str, **extra) -> dict:
    body = {"username": username, "password": PASSWORD, **extra}
    response = APIClient().post(TOKEN, body, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def _client(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def _refused(response, words: str) -> None:
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    error = error_of(response)
    assert error["code"] == "authentication_failed"
    assert words in error["message"] and has_chinese(error["message"])


def test_it_keeps_no_plaintext_key_in_the_database(demo):
    body = _obtain("district_officer", name="报表系统")
    key = body["token"]
    assert len(key) == 40
    row = ApiToken.objects.get(pk=body["id"])
    assert row.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert row.prefix == key[:8] == body["prefix"]
    assert row.name == body["name"] == "报表系统"
    stored = [
        str(v)
        for v in ApiToken.objects.values_list(*[f.attname for f in ApiToken._meta.fields]).get(
            pk=row.pk
        )
    ]
    assert not any(key in value for value in stored)
    assert _client(key).get("/api/me/").json()["username"] == "district_officer"


def test_it_sets_the_configured_expiry(settings, demo):
    before = timezone.now()
    expires = ApiToken.objects.get(pk=_obtain("district_officer")["id"]).expires_at
    assert before + dt.timedelta(days=30) <= expires <= timezone.now() + dt.timedelta(days=30)
    settings.XIAOAN_API_TOKEN_DAYS = 7
    body = _obtain("district_officer")
    assert body["expires_at"] is not None
    assert ApiToken.objects.get(pk=body["id"]).expires_at <= timezone.now() + dt.timedelta(days=7)
    settings.XIAOAN_API_TOKEN_DAYS = 0
    body = _obtain("district_officer")
    assert body["expires_at"] is None
    assert _client(body["token"]).get("/api/me/").status_code == 200


def test_it_refuses_an_expired_token(demo):
    body = _obtain("school_a_officer")
    client = _client(body["token"])
    assert client.get("/api/me/").status_code == 200
    ApiToken.objects.filter(pk=body["id"]).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    _refused(client.get("/api/me/"), "过期")


def test_it_refuses_a_revoked_token(demo):
    body = _obtain("school_a_officer")
    client = _client(body["token"])
    assert client.delete(f"{LIST}{body['id']}/").status_code == 204
    assert ApiToken.objects.get(pk=body["id"]).revoked_at is not None
    _refused(client.get("/api/me/"), "撤销")


def test_it_refuses_an_unknown_token_with_401(demo):
    _refused(_client("x" * 40).get("/api/me/"), "无效")


def test_it_lists_only_the_callers_working_tokens(demo):
    mine = [_obtain("school_a_officer", name=f"t{i}") for i in range(3)]
    theirs = _obtain("school_a_head")
    client = _client(mine[0]["token"])
    ApiToken.objects.filter(pk=mine[2]["id"]).update(revoked_at=timezone.now())
    response = client.get(LIST)
    assert response.status_code == 200
    rows = response.json()
    assert [r["id"] for r in rows] == [mine[1]["id"], mine[0]["id"]]
    assert theirs["id"] not in {r["id"] for r in rows}
    assert set(rows[0]) == {"id", "name", "prefix", "created_at", "expires_at", "last_used_at"}
    assert rows[1]["last_used_at"] is not None  # the token making this call


def test_it_answers_404_for_another_persons_token(demo):
    theirs = _obtain("school_a_head")
    mine = _obtain("school_a_officer")
    response = _client(mine["token"]).delete(f"{LIST}{theirs['id']}/")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"
    assert _client(theirs["token"]).get("/api/me/").status_code == 200
    assert _client(mine["token"]).delete(f"{LIST}999999/").status_code == 404


def test_it_revokes_every_token_when_the_password_changes(persona):
    keys = [_obtain("school_a_owner")["token"] for _ in range(2)]
    owner = persona("school_a_owner")
    services.change_own_password(owner, PASSWORD, "An0ther-pass!x")
    assert not tokens.active_tokens(owner).exists()
    for key in keys:
        _refused(_client(key).get("/api/me/"), "撤销")


def test_it_revokes_every_token_when_someone_resets_the_password(persona):
    key = _obtain("school_a_owner")["token"]
    services.reset_password(persona("school_a_officer"), persona("school_a_owner").pk)
    _refused(_client(key).get("/api/me/"), "撤销")


def test_it_notes_the_last_use_at_most_once_a_minute(demo):
    body = _obtain("district_officer")
    client = _client(body["token"])
    client.get("/api/me/")
    first = ApiToken.objects.get(pk=body["id"]).last_used_at
    assert first is not None
    client.get("/api/me/")
    assert ApiToken.objects.get(pk=body["id"]).last_used_at == first
    earlier = first - dt.timedelta(minutes=2)
    ApiToken.objects.filter(pk=body["id"]).update(last_used_at=earlier)
    client.get("/api/me/")
    assert ApiToken.objects.get(pk=body["id"]).last_used_at > first


def test_it_asks_for_a_login_to_list_tokens(demo):
    response = APIClient().get(LIST)
    assert response.status_code in (401, 403)
    assert error_of(response)["code"] == "not_authenticated"


# The page 我的令牌 ---------------------------------------------------------------------


def test_it_shows_a_new_key_once_on_the_page_and_lists_own_tokens(client_for, persona):
    _obtain("school_a_head", name="别人的令牌")
    client = client_for("school_a_officer")
    response = client.post("/accounts/tokens/", {"name": "巡查App"})
    assert response.status_code == 200
    key = response.context["new_key"]
    assert key in response.content.decode()
    assert _client(key).get("/api/me/").json()["username"] == "school_a_officer"

    page = client.get("/accounts/tokens/").content.decode()
    assert key not in page
    assert "巡查App" in page and key[:8] in page
    assert "别人的令牌" not in page
    assert client.post("/accounts/tokens/", {"name": ""}).status_code == 400


def test_it_revokes_a_token_from_the_page_and_404s_anyone_elses(client_for):
    mine = _obtain("school_a_officer")
    theirs = _obtain("school_a_head")
    client = client_for("school_a_officer")
    assert client.post(f"/accounts/tokens/{theirs['id']}/revoke/").status_code == 404
    assert ApiToken.objects.get(pk=theirs["id"]).revoked_at is None
    response = client.post(f"/accounts/tokens/{mine['id']}/revoke/")
    assert response.status_code == 302
    assert ApiToken.objects.get(pk=mine["id"]).revoked_at is not None
    assert client.get(f"/accounts/tokens/{mine['id']}/revoke/").status_code == 405


# The move from rest_framework.authtoken ------------------------------------------------


def test_it_moves_old_plaintext_tokens_into_hashed_rows(persona):
    from django.apps import apps

    migration = importlib.import_module("xiaoan.accounts.migrations.0005_api_tokens")
    user = persona("uni_head")
    key = "0123456789abcdef0123456789abcdef01234567"
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, created timestamp, "
            "user_id bigint)"
        )
        cursor.execute(
            "INSERT INTO authtoken_token (key, created, user_id) VALUES (%s, %s, %s)",
            [key, timezone.now(), user.pk],
        )

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection
    migration.move_authtoken_keys(apps, editor)

    assert "authtoken_token" not in connection.introspection.table_names()
    row = ApiToken.objects.get(user=user)
    assert row.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert row.expires_at is not None
    assert _client(key).get("/api/me/").json()["username"] == "uni_head"


def test_it_writes_token_steps_to_the_audit_trail(persona):
    from xiaoan.audit.models import AuditEntry

    body = _obtain("school_a_owner", name="审计")
    _client(body["token"]).delete(f"{LIST}{body['id']}/")
    _obtain("school_a_owner")
    services.reset_password(persona("school_a_officer"), persona("school_a_owner").pk)
    steps = list(
        AuditEntry.objects.filter(action="token", object_id=str(persona("school_a_owner").pk))
        .order_by("id")
        .values_list("detail__step", "actor__username")
    )
    assert steps == [
        ("create", "school_a_owner"),
        ("revoke", "school_a_owner"),
        ("create", "school_a_owner"),
        ("revoke_all", None),  # no request here: a page or API call names its user
    ]
