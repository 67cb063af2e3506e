"""/api/inspection-schedules/: create, generate (idempotent), defaults, and the scoping
matrix: in scope 2xx, outside 404, without the permission anywhere 403, anonymous 401/403."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from xiaoan.inspections import schedules
from xiaoan.inspections.models import Inspection, InspectionSchedule
from xiaoan.inspections.tests.support import SCHOOL_A, checklist

pytestmark = pytest.mark.django_db
__all__ = ["checklist"]

DISTRICT = "梁子湖区教育局"
URL = "/api/inspection-schedules/"


@pytest.fixture
def schedule(persona, units, checklist):
    return schedules.create_schedule(
        persona("district_officer"), name="区每月自查", kind="self_check", checklist=checklist,
        organiser=units[DISTRICT], recurrence="monthly",
    )  # fmt: skip


def test_it_creates_and_generates_a_schedule(units, checklist, api_for):
    client = api_for("district_officer")
    response = client.post(
        URL,
        {"name": "每季度检查", "kind": "self_check", "checklist": checklist.pk,
         "organiser": units[DISTRICT].pk, "recurrence": "quarterly", "days_allowed": 30},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["target"] == "schools"
    first = client.post(f"{URL}{pk}/generate/", {"date": "2026-05-02"}, format="json")
    assert first.status_code == 200
    assert first.json()["period"] == "2026-Q2" and first.json()["created"] == 12
    again = client.post(f"{URL}{pk}/generate/", {"date": "2026-06-30"}, format="json")
    assert again.json()["created"] == 0
    assert Inspection.objects.filter(schedule_key=f"s{pk}:2026-Q2").count() == 12


def test_it_refuses_bad_schedules(units, checklist, api_for):
    client = api_for("district_officer")
    body = {"name": "x", "kind": "unannounced", "checklist": checklist.pk,
            "organiser": units[DISTRICT].pk, "recurrence": "monthly"}  # fmt: skip
    response = client.post(URL, body, format="json")
    assert response.status_code == 400 and "kind" in response.json()["error"]["fields"]
    body.update(kind="self_check", recurrence="weekly")
    assert client.post(URL, body, format="json").status_code == 400
    body.update(recurrence="monthly", organiser=units["鄂州职业大学"].pk)
    assert client.post(URL, body, format="json").status_code == 400
    assert not InspectionSchedule.objects.filter(name="x").exists()


def test_it_creates_the_defaults(units, api_for):
    client = api_for("district_officer")
    response = client.post(f"{URL}defaults/", {"organiser": units[DISTRICT].pk}, format="json")
    assert response.status_code == 201 and len(response.json()) == 5
    again = client.post(f"{URL}defaults/", {"organiser": units[DISTRICT].pk}, format="json")
    assert again.json() == []


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("district_officer", 200),
        ("auditor", 200),
        ("school_a_head", 404),
        ("uni_security", 404),
        ("school_b_teacher", 403),
    ],
)
def test_it_scopes_reading(who, expected, schedule, api_for):
    client = api_for(who)
    assert client.get(f"{URL}{schedule.pk}/").status_code == expected
    listed = client.get(URL)
    assert listed.status_code == (403 if expected == 403 else 200)
    if expected != 403:
        ids = [s["id"] for s in listed.json()["results"]]
        assert (schedule.pk in ids) == (expected == 200)


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("district_officer", 200),
        ("district_supervisor", 200),
        ("auditor", 403),
        ("school_a_head", 404),
        ("school_b_teacher", 403),
    ],
)
def test_it_scopes_generating(who, expected, schedule, api_for):
    response = api_for(who).post(f"{URL}{schedule.pk}/generate/", {}, format="json")
    assert response.status_code == expected
    made = Inspection.objects.filter(schedule_key__startswith=f"s{schedule.pk}:").exists()
    assert made == (expected == 200)


def test_a_school_keeps_its_own_schedules(units, checklist, api_for):
    response = api_for("school_a_head").post(
        URL,
        {"name": "本校自查", "kind": "self_check", "checklist": checklist.pk,
         "organiser": units[SCHOOL_A].pk, "recurrence": "monthly"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201
    assert api_for("district_officer").get(f"{URL}{response.json()['id']}/").status_code == 200


def test_it_refuses_anonymous_callers(schedule):
    client = APIClient()
    assert client.get(URL).status_code in (401, 403)
    assert client.post(f"{URL}{schedule.pk}/generate/").status_code in (401, 403)


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("district_officer", 200),
        ("auditor", 403),
        ("school_a_head", 404),
        ("school_b_teacher", 403),
    ],
)
def test_it_scopes_stopping(who, expected, schedule, api_for):
    response = api_for(who).post(f"{URL}{schedule.pk}/active/", {"is_active": False}, format="json")
    assert response.status_code == expected
    schedule.refresh_from_db()
    assert schedule.is_active == (expected != 200)
