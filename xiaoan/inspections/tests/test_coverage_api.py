"""/api/inspections/coverage/: the figures, the scoping matrix and a query count that does not
grow with the number of units."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from xiaoan.inspections import schedules
from xiaoan.inspections.tests.support import SCHOOL_A, checklist
from xiaoan.orgs.models import Unit

pytestmark = pytest.mark.django_db
__all__ = ["checklist"]

DISTRICT = "梁子湖区教育局"
URL = "/api/inspections/coverage/"


@pytest.fixture
def schedule(persona, units, checklist):
    schedule = schedules.create_schedule(
        persona("district_officer"), name="区每月自查", kind="self_check", checklist=checklist,
        organiser=units[DISTRICT], recurrence="monthly", days_allowed=5,
    )  # fmt: skip
    schedules.generate(schedule, dt.date(2026, 3, 1))
    return schedule


def test_it_reports_the_coverage(units, schedule, api_for):
    response = api_for("district_officer").get(
        URL, {"unit": units[DISTRICT].pk, "period": "2026-03"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["date_from"] == "2026-03-01" and body["date_to"] == "2026-03-31"
    assert body["totals"] == {
        "units": 12, "required": 12, "completed": 0, "not_done": 12, "overdue": 12,
        "nothing_done": 12,
    }  # fmt: skip
    row = next(r for r in body["rows"] if r["unit_name"] == SCHOOL_A)
    assert row == {
        "unit": units[SCHOOL_A].pk, "unit_name": SCHOOL_A, "unit_kind": "school",
        "depth": units[SCHOOL_A].depth, "required": 1, "completed": 0, "not_done": 1,
        "overdue": 1, "nothing_done": True,
    }  # fmt: skip
    only = api_for("district_officer").get(URL, {"period": "2026-03", "nothing_done": "true"})
    assert len(only.json()["rows"]) == 12
    supervision = api_for("district_officer").get(
        URL, {"date_from": "2026-03-01", "date_to": "2026-03-31", "kind": "supervision"}
    )
    assert supervision.json()["totals"]["required"] == 0


@pytest.mark.parametrize(
    ("who", "unit", "expected"),
    [
        ("district_officer", DISTRICT, 200),
        ("district_officer", None, 200),
        ("auditor", DISTRICT, 200),
        ("school_a_head", SCHOOL_A, 200),
        ("school_a_head", None, 200),
        ("school_a_head", DISTRICT, 404),
        ("uni_security", DISTRICT, 404),
        ("school_b_teacher", None, 403),
    ],
)
def test_it_scopes_the_endpoint(who, unit, expected, units, schedule, api_for):
    params = {"period": "2026-03"}
    if unit:
        params["unit"] = units[unit].pk
    response = api_for(who).get(URL, params)
    assert response.status_code == expected, response.content
    if expected != 200:
        assert response.json()["error"]["code"]
    if who == "school_a_head" and expected == 200:
        assert [r["unit_name"] for r in response.json()["rows"]] == [SCHOOL_A]


def test_it_refuses_anonymous_callers(schedule):
    assert APIClient().get(URL).status_code in (401, 403)


@pytest.mark.parametrize(
    "params",
    [{"period": "2026-3"}, {"date_from": "yesterday"}, {"kind": "nonsense"}, {"unit": "abc"}],
)
def test_it_refuses_bad_input(params, api_for, schedule):
    response = api_for("district_officer").get(URL, params)
    assert response.status_code in (400, 404)
    assert response.json()["error"]["code"] in ("invalid", "not_found")


def test_its_query_count_does_not_grow_with_the_units(units, schedule, api_for):
    client = api_for("district_officer")
    params = {"unit": units[DISTRICT].pk, "period": "2026-03"}

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, params).status_code == 200
        return len(queries)

    count()  # the person's grants and scope are cached on the user after the first call
    before = count()
    for n in range(30):
        Unit.objects.add_child(units[DISTRICT], instance=Unit(name=f"新学校{n}", kind="school"))
    schedules.generate(schedule, dt.date(2026, 3, 2))
    assert len(client.get(URL, params).json()["rows"]) == 42
    assert count() == before


def test_it_is_in_the_openapi_schema(api_for):
    schema = api_for("district_officer").get("/api/schema/?format=json").json()
    operation = schema["paths"][URL]["get"]
    assert operation["operationId"] == "inspections_coverage"
    names = {p["name"] for p in operation["parameters"]}
    assert {"unit", "period", "date_from", "date_to", "kind", "nothing_done"} <= names


def test_it_pages_the_rows_and_keeps_the_totals_whole(units, schedule, api_for):
    client = api_for("district_officer")
    params = {"unit": units[DISTRICT].pk, "period": "2026-03", "page_size": 5}
    whole = client.get(URL, {"unit": units[DISTRICT].pk, "period": "2026-03"}).json()
    names = [r["unit_name"] for r in whole["rows"]]
    pages = [client.get(URL, {**params, "page": n}).json() for n in (1, 2, 3, 4)]
    assert [len(p["rows"]) for p in pages] == [5, 5, 2, 0]
    assert [r["unit_name"] for p in pages for r in p["rows"]] == names
    assert {p["row_count"] for p in pages} == {12}
    assert pages[2]["offset"] == 10
    assert all(p["totals"] == whole["totals"] for p in pages)
    for bad in ({"page_size": 0}, {"page": "x"}):
        assert client.get(URL, {**params, **bad}).status_code == 400
    assert len(client.get(URL, {**params, "page_size": 9999}).json()["rows"]) == 12
