"""/api/bus-checks/: the pre-trip check from an app — recorded once per idempotency key (a
different body with the key 422), every refusal structured, photos by multipart, listed and
read in scope only."""

from __future__ import annotations

import pytest

from xiaoan.buses.models import Bus, BusCheck
from xiaoan.buses.tests.support import SCHOOL_A, SCHOOL_B, all_ok, check, jpeg, make
from xiaoan.hazards.models import Hazard

pytestmark = pytest.mark.django_db
URL = "/api/bus-checks/"


@pytest.fixture
def bus(persona, units):
    return make(persona("school_a_officer"), units[SCHOOL_A])


@pytest.fixture
def other(persona, units):
    return make(persona("district_officer"), units[SCHOOL_B], plate="鄂GC3001")


def test_it_records_a_check_once_per_key(api_for, bus):
    client = api_for("school_a_officer")
    body = {"bus": bus.pk, "items": all_ok(tyres="failed"), "note": "左后轮胎压不足"}
    first = client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert first.status_code == 201, first.json()
    data = first.json()
    assert data["result"] == "failed" and data["replayed"] is False
    assert data["failed"] == ["轮胎"] and data["plate"] == "鄂G12345" and data["hazard"]
    again = client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert again.status_code == 200 and again.json()["id"] == data["id"]
    assert again.json()["replayed"] is True
    changed = {**body, "note": "右前轮胎压不足"}
    assert client.post(URL, changed, format="json", HTTP_IDEMPOTENCY_KEY="k1").status_code == 422
    assert BusCheck.objects.count() == 1 and Hazard.objects.count() == 1
    bus.refresh_from_db()
    assert bus.last_check_result == "failed" and bus.checked_today


def test_it_takes_a_photo_by_multipart(api_for, client_for, bus):
    client = api_for("school_a_officer")
    body = {"bus": bus.pk, "note": "应急锤缺失", "photo": jpeg()}
    body.update({f"items.{k}": v for k, v in all_ok(doors="failed").items()})
    response = client.post(URL, body, format="multipart")
    assert response.status_code == 201, response.json()
    assert response.json()["has_photo"] is True and response.json()["failed"] == [
        "车门、安全门及应急窗"
    ]
    shown = client_for("school_a_officer").get(f"/buses/check-photos/{response.json()['id']}/")
    assert shown.status_code == 200 and shown["Content-Type"] == "image/jpeg"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"bus": "omit", "items": {}}, "bus"),
        ({"bus": "x", "items": {}}, "bus"),
        ({"bus": 2**70, "items": {}}, "bus"),
        ({"bus": None, "items": {}}, "bus"),
        ({"items": {"brakes": "maybe"}}, "items"),
        ({"items": {"brakes": {"nested": ["ok"]}}}, "items"),
        ({"items": "ok"}, "items"),
        ({"items": {"brakes": "ok"}}, "item-lights"),
        ({"items": all_ok(brakes="failed")}, "note"),
        ({"items": all_ok(), "note": "长" * 301}, "note"),
        ({"items": all_ok(), "photo": "not a file"}, "photo"),
    ],
)
def test_it_refuses_bad_bodies_with_the_field(api_for, bus, body, field):
    body = {"bus": bus.pk, **body}
    if body["bus"] == "omit":
        del body["bus"]
    response = api_for("school_a_officer").post(URL, body, format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()["error"]["fields"]
    assert not BusCheck.objects.exists()


def test_it_refuses_a_bus_out_of_scope_or_retired(api_for, persona, bus, other):
    client = api_for("school_a_officer")
    theirs = client.post(URL, {"bus": other.pk, "items": all_ok()}, format="json")
    assert theirs.status_code == 400 and "bus" in theirs.json()["error"]["fields"]
    Bus.objects.filter(pk=bus.pk).update(retired_at="2026-01-01T00:00:00Z")
    retired = client.post(URL, {"bus": bus.pk, "items": all_ok()}, format="json")
    assert retired.status_code == 400
    assert not BusCheck.objects.exists()


@pytest.mark.parametrize("who", ["auditor", "expert", "school_b_teacher"])
def test_it_refuses_those_who_may_not_check(api_for, bus, who):
    response = api_for(who).post(URL, {"bus": bus.pk, "items": all_ok()}, format="json")
    assert response.status_code == 403
    assert not BusCheck.objects.exists()


def test_it_lists_and_reads_checks_in_scope(api_for, persona, bus, other):
    check(persona("school_a_officer"), bus, note="刹车偏软", brakes="failed")
    check(persona("district_officer"), other)
    client = api_for("school_a_officer")
    body = client.get(URL).json()
    assert [r["plate"] for r in body["results"]] == ["鄂G12345"]
    mine = body["results"][0]["id"]
    assert client.get(f"{URL}{mine}/").json()["items"]["brakes"] == "failed"
    theirs = BusCheck.objects.get(bus=other).pk
    assert client.get(f"{URL}{theirs}/").status_code == 404
    district = api_for("district_officer")
    assert district.get(URL).json()["count"] == 2
    assert district.get(URL, {"result": "failed"}).json()["count"] == 1
    assert district.get(URL, {"bus": other.pk}).json()["count"] == 1
    assert api_for("expert").get(URL).status_code == 403
    assert client.delete(f"{URL}{mine}/").status_code == 405


def test_it_publishes_the_schema(api_for):
    paths = api_for("district_officer").get("/api/schema/", {"format": "json"}).json()["paths"]
    assert "post" in paths["/api/bus-checks/"] and "get" in paths["/api/bus-checks/{id}/"]
