"""Every security-relevant event leaves an entry with actor, unit, source address and user
agent: logins, logouts, failures, lockouts, record changes, hazard transitions, exports and
file downloads."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from xiaoan.accounts.tests.helpers import PASSWORD
from xiaoan.audit.tests.support import CLIENT_META, IP, UA, mark, newest, since
from xiaoan.hazards.tests.api_support import SCHOOL_A, hazard_in

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def _client(username: str | None = None) -> Client:
    client = Client(**CLIENT_META)
    if username:
        client.post(LOGIN, {"username": username, "password": PASSWORD})
    return client


def _api(persona, username: str) -> APIClient:
    client = APIClient(**CLIENT_META)
    client.force_authenticate(persona(username))
    return client


def _assert_source(entry) -> None:
    assert entry.ip == IP
    assert entry.user_agent == UA


def test_it_records_a_login_and_a_logout(persona):
    client = _client("school_a_officer")
    officer = persona("school_a_officer")
    login = newest(action="login")
    assert login.actor_id == officer.pk and "school_a_officer" in login.actor_name
    assert login.unit_id == officer.unit_id
    _assert_source(login)
    client.post(reverse("accounts:logout"))
    logout = newest(action="logout")
    assert logout.actor_id == officer.pk
    _assert_source(logout)


def test_it_records_a_failed_login_with_the_name_tried_and_never_the_password(persona):
    start = mark()
    response = _client().post(LOGIN, {"username": "school_a_officer", "password": "s3cret-tried"})
    assert response.status_code == 200
    entry = since(start, action="login_failed").get()
    assert entry.actor_id is None
    assert entry.detail == {"username": "school_a_officer"}
    assert entry.object_id == str(persona("school_a_officer").pk)
    assert entry.unit_id == persona("school_a_officer").unit_id
    _assert_source(entry)
    assert "s3cret-tried" not in str(entry.detail) + entry.object_repr


def test_it_records_a_lockout(settings, demo):
    settings.AXES_ENABLED = True
    start = mark()
    client = _client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": "school_a_head", "password": "wrong"})
    assert since(start, action="login_failed").count() == settings.AXES_FAILURE_LIMIT
    lockout = since(start, action="lockout").get()
    assert lockout.detail["username"] == "school_a_head"
    _assert_source(lockout)


def test_it_records_a_change_made_on_a_page_with_the_fields_changed(persona):
    start = mark()
    owner = persona("school_a_owner")
    response = _client("school_a_officer").post(
        reverse("accounts:user_change", args=[owner.pk]),
        {
            "name": owner.name,
            "mobile": owner.mobile or "",
            "email": owner.email,
            "unit": owner.unit_id,
            "position": "总务副主任",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    entry = since(start, action="change", object_type="accounts.user").get()
    assert entry.object_id == str(owner.pk)
    assert entry.detail["fields"] == ["position"]
    assert entry.actor_id == persona("school_a_officer").pk
    assert entry.unit_id == owner.unit_id
    _assert_source(entry)


def test_it_records_a_creation_through_the_api(persona, units):
    start = mark()
    response = _api(persona, "school_a_officer").post(
        "/api/units/",
        {"name": "审计楼", "kind": "department", "parent": units[SCHOOL_A].pk},
        format="json",
    )
    assert response.status_code == 201, response.content
    entry = since(start, action="create", object_type="orgs.unit").get()
    assert entry.object_id == str(response.json()["id"])
    assert entry.unit_id == response.json()["id"]  # a unit is its own unit
    assert entry.actor_id == persona("school_a_officer").pk
    _assert_source(entry)


def test_it_records_a_hazard_transition(persona, units):
    hazard = hazard_in("reported", persona, units)
    start = mark()
    response = _api(persona, "school_a_officer").post(
        f"/api/hazards/{hazard.pk}/confirm/", {"level": "general"}, format="json"
    )
    assert response.status_code == 200, response.content
    entry = since(start, action="transition").get()
    assert (entry.object_type, entry.object_id) == ("hazards.hazard", str(hazard.pk))
    assert entry.detail["action"] == "confirm"
    assert entry.detail["from"] == "reported"
    assert entry.unit_id == units[SCHOOL_A].pk
    assert entry.actor_id == persona("school_a_officer").pk
    _assert_source(entry)


def test_it_records_an_export_with_its_filters(persona):
    start = mark()
    client = _client("district_officer")
    response = client.get(reverse("hazards:hazard_export", args=["problems"]), {"level": "major"})
    assert response.status_code == 200
    b"".join(response.streaming_content)
    entry = since(start, action="export").get()
    assert entry.detail["kind"] == "hazards-problems"
    assert entry.detail["filters"] == {"level": "major"}
    assert entry.detail["filename"].endswith(".xlsx")
    assert entry.actor_id == persona("district_officer").pk
    _assert_source(entry)


def test_it_records_a_file_download(persona, units):
    hazard = hazard_in("reported", persona, units)
    photo = hazard.photos.first()
    start = mark()
    client = _client("school_a_officer")
    response = client.get(reverse("hazards:hazard_photo", args=[photo.pk]))
    assert response.status_code == 200
    entry = since(start, action="download").get()
    assert entry.detail["kind"] == "photo"
    assert (entry.object_type, entry.object_id) == ("hazards.hazardphoto", str(photo.pk))
    assert entry.actor_id == persona("school_a_officer").pk
    _assert_source(entry)


def test_it_records_nothing_for_a_refused_download(persona, units):
    hazard = hazard_in("reported", persona, units)
    photo = hazard.photos.first()
    start = mark()
    response = _client("uni_security").get(reverse("hazards:hazard_photo", args=[photo.pk]))
    assert response.status_code in (403, 404)
    assert not since(start, action="download").exists()


def test_it_takes_the_forwarded_address_only_when_told_to_trust_it(settings, demo):
    client = Client(HTTP_X_FORWARDED_FOR="198.51.100.9, 10.0.0.1", **CLIENT_META)
    client.post(LOGIN, {"username": "auditor", "password": "wrong"})
    assert newest(action="login_failed").ip == IP
    settings.XIAOAN_TRUST_X_FORWARDED_FOR = True
    client.post(LOGIN, {"username": "auditor", "password": "wrong"})
    assert newest(action="login_failed").ip == "198.51.100.9"
