"""/api/unannounced-draws/: a recorded, reproducible draw through the API, and its scoping."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from xiaoan.inspections import schedules
from xiaoan.inspections.models import Inspection
from xiaoan.inspections.tests.support import checklist

pytestmark = pytest.mark.django_db
__all__ = ["checklist"]

DISTRICT = "梁子湖区教育局"
URL = "/api/unannounced-draws/"


def test_it_draws_and_records_the_seed(units, checklist, api_for):
    client = api_for("district_officer")
    body = {"organiser": units[DISTRICT].pk, "count": 5, "checklist": checklist.pk, "seed": 42}
    response = client.post(URL, body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["seed"] == 42 and data["verified"] is True
    assert len(data["picked"]) == 5 and len(data["population"]) == 12
    assert data["picked"] == schedules.pick(data["population"], 5, 42)
    assert (
        sorted(
            Inspection.objects.filter(pk__in=data["inspections"]).values_list("unit_id", flat=True)
        )
        == data["picked"]
    )
    again = client.post(URL, body, format="json").json()
    assert again["picked"] == data["picked"]
    detail = client.get(f"{URL}{data['id']}/")
    assert detail.status_code == 200 and detail.json()["verified"] is True


def test_it_refuses_a_count_beyond_the_candidates(units, checklist, api_for):
    body = {"organiser": units[DISTRICT].pk, "count": 50, "checklist": checklist.pk}
    response = api_for("district_officer").post(URL, body, format="json")
    assert response.status_code == 400 and "count" in response.json()["error"]["fields"]


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
def test_it_scopes_the_record(who, expected, persona, units, checklist, api_for):
    record = schedules.create_draw(
        persona("district_officer"), organiser=units[DISTRICT], count=2, checklist=checklist
    )
    assert api_for(who).get(f"{URL}{record.pk}/").status_code == expected


@pytest.mark.parametrize(("who", "expected"), [("auditor", 403), ("school_b_teacher", 403)])
def test_it_needs_the_right_to_draw(who, expected, units, checklist, api_for):
    body = {"organiser": units[DISTRICT].pk, "count": 1, "checklist": checklist.pk}
    assert api_for(who).post(URL, body, format="json").status_code == expected


def test_it_refuses_anonymous_callers():
    assert APIClient().get(URL).status_code in (401, 403)
