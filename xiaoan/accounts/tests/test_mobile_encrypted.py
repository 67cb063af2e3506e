"""Mobile numbers are stored encrypted (users and their history) and still work: login by
mobile, uniqueness with a clear message, search by a whole number; migration 0004 converts
the plain numbers of an existing database."""

from __future__ import annotations

import importlib

from django.apps import apps
from django.db import connection
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from xiaoan.accounts import services
from xiaoan.accounts.models import User
from xiaoan.accounts.tests.helpers import PASSWORD, error_of
from xiaoan.core import crypto
from xiaoan.core.errors import Invalid
from xiaoan.orgs.demo import PEOPLE

MIGRATION = importlib.import_module("xiaoan.accounts.migrations.0004_encrypt_mobile")
NEW_PASSWORD = "Anquan#2026x"


def _raw(model, column: str = "mobile") -> list:
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE {column} IS NOT NULL")
        return [row[0] for row in cursor.fetchall()]


def _write_raw(model, pk: int, mobile: str | None, pk_column: str = "id") -> None:
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET mobile = %s WHERE {pk_column} = %s", [mobile, pk])


def test_it_stores_no_plain_mobile_for_users_or_their_history(client_for, persona, demo):
    person = persona("school_a_owner")
    response = client_for("district_officer").post(
        reverse("accounts:user_change", args=[person.pk]),
        {
            "name": person.name,
            "mobile": "13912345678",
            "unit": person.unit_id,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    users, history = _raw(User), _raw(User.history.model)
    assert users and history
    plain = {entry[2] for entry in PEOPLE if entry[2]}
    for stored in users + history:
        assert stored.startswith("sm4gcm:"), stored
        assert not any(number in stored for number in plain | {"13912345678"})
    assert User.objects.get(pk=person.pk).mobile == "13912345678"
    assert User.history.filter(id=person.pk).first().mobile == "13912345678"
    assert User.objects.get(pk=person.pk).mobile_hash == crypto.lookup_hash("13912345678")


def test_it_logs_in_by_mobile_on_the_page_and_for_a_token(demo):
    client = Client()
    response = client.post("/accounts/login/", {"username": "13800000012", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("core:home")).context["user"].username == "school_a_officer"
    token = APIClient().post(
        "/api/auth/token/", {"username": "13800000012", "password": PASSWORD}, format="json"
    )
    assert token.status_code == 200
    assert token.json()["token"]


def test_it_refuses_a_taken_mobile_naming_the_mobile(api_for, client_for, persona, demo):
    created = api_for("school_a_officer").post(
        "/api/users/",
        {
            "username": "dup_mobile",
            "name": "重号",
            "mobile": "13800000012",
            "unit": demo["政教处"].pk,
            "password": NEW_PASSWORD,
        },
        format="json",
    )
    assert created.status_code == 400
    assert error_of(created)["fields"] == {"mobile": ["该手机号码已被使用。"]}
    owner = persona("school_a_owner")
    changed = api_for("school_a_officer").patch(
        f"/api/users/{owner.pk}/", {"mobile": "13800000012"}, format="json"
    )
    assert changed.status_code == 400
    assert error_of(changed)["fields"] == {"mobile": ["该手机号码已被使用。"]}
    page = client_for("school_a_officer").post(
        reverse("accounts:user_add"),
        {
            "username": "dup_page",
            "name": "重号",
            "mobile": "13800000012",
            "unit": demo["政教处"].pk,
            "is_active": "on",
            "password": NEW_PASSWORD,
        },
    )
    assert page.status_code == 400
    assert "该手机号码已被使用。" in page.content.decode()
    try:
        services.update_user(persona("district_officer"), owner, {"mobile": "13800000012"})
    except Invalid as exc:
        assert exc.fields == {"mobile": ["该手机号码已被使用。"]}
    else:
        raise AssertionError("a taken mobile number was accepted")
    assert not User.objects.filter(username__in=["dup_mobile", "dup_page"]).exists()


def test_it_keeps_the_eleven_digit_rule(api_for, demo):
    response = api_for("school_a_officer").post(
        "/api/users/",
        {
            "username": "short_mobile",
            "name": "短号",
            "mobile": "1380000",
            "unit": demo["政教处"].pk,
            "password": NEW_PASSWORD,
        },
        format="json",
    )
    assert error_of(response)["fields"]["mobile"] == ["请输入11位手机号码。"]


def test_it_finds_people_by_their_whole_mobile_number(api_for, client_for, demo):
    api = api_for("district_officer")
    found = api.get("/api/users/", {"search": "13800000012"}).json()["results"]
    assert [u["username"] for u in found] == ["school_a_officer"]
    assert found[0]["mobile"] == "13800000012"
    by_filter = api.get("/api/users/", {"q": "13800000012"}).json()["results"]
    assert [u["username"] for u in by_filter] == ["school_a_officer"]
    assert api.get("/api/users/", {"search": "school_a_off"}).json()["count"] == 1
    page = client_for("district_officer").get(reverse("accounts:user_list"), {"q": "13800000012"})
    assert [u.username for u in page.context["object_list"]] == ["school_a_officer"]


def test_it_converts_existing_plain_numbers_in_the_migration(persona):
    officer = persona("school_a_officer")
    history = User.history.model
    entry = history.objects.filter(id=officer.pk).latest("history_id")
    # The database as migration 0003 left it: plain numbers, no hash.
    _write_raw(User, officer.pk, "13800000012")
    _write_raw(history, entry.history_id, "13800000012", pk_column="history_id")
    User.objects.filter(pk=officer.pk).update(mobile_hash=None)
    assert "13800000012" in _raw(User) and "13800000012" in _raw(history)

    MIGRATION.encrypt_mobiles(apps, None)
    MIGRATION.encrypt_mobiles(apps, None)  # a second run changes nothing

    assert not any(value == "13800000012" for value in _raw(User) + _raw(history))
    assert all(crypto.is_encrypted(value) for value in _raw(User) + _raw(history))
    officer.refresh_from_db()
    assert officer.mobile == "13800000012"
    assert officer.mobile_hash == crypto.lookup_hash("13800000012")
    assert history.objects.get(history_id=entry.history_id).mobile == "13800000012"
    assert Client().login(username="13800000012", password=PASSWORD)

    MIGRATION.decrypt_mobiles(apps, None)
    assert "13800000012" in _raw(User) and "13800000012" in _raw(history)
