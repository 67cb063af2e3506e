"""The overview: per unit × duty, how many obligations due in the period are met, pending and
missed — in a constant number of queries however many units and duties."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xiaoan.duties import overview, services
from xiaoan.duties.tests.support import DISTRICT, SCHOOL_A, SCHOOL_B, done_inspection, duty
from xiaoan.orgs.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(persona, units):
    """A monthly self-check for January–March 2026: School A does January and February."""
    d = duty(persona, units)
    for month in (1, 2, 3):
        services.generate_duty(d, dt.date(2026, month, 5))
    done_inspection(units, SCHOOL_A, "self_check", dt.date(2026, 1, 10))
    done_inspection(units, SCHOOL_A, "self_check", dt.date(2026, 2, 10))
    services.evaluate(today=dt.date(2026, 3, 15))
    return d


def test_it_counts_per_unit_and_duty(year, persona, units):
    report = overview.overview(persona("district_officer"), "2026-Q1")
    rows = {r.name: r for r in report.rows}
    assert rows[SCHOOL_A].cells[year.pk] == {"met": 2, "review": 0, "pending": 1, "missed": 0}
    assert rows[SCHOOL_B].cells[year.pk] == {"met": 0, "review": 0, "pending": 1, "missed": 2}
    schools = Unit.objects.filter(path__startswith=units[DISTRICT].path, kind="school").count()
    assert len(report.rows) == schools
    assert report.totals == {"met": 2, "review": 0, "pending": schools, "missed": 2 * schools - 2}
    assert [d.pk for d in report.duties] == [year.pk]
    january = overview.overview(persona("district_officer"), "2026-01")
    assert {r.name: r.totals for r in january.rows}[SCHOOL_A] == {
        "met": 1, "review": 0, "pending": 0, "missed": 0,
    }  # fmt: skip
    data = report.as_dict()
    assert data["period"] == "2026-Q1" and data["date_to"] == "2026-03-31"


def test_it_is_scoped(year, persona, units):
    mine = overview.overview(persona("school_a_head"), "2026")
    assert [r.name for r in mine.rows] == [SCHOOL_A]
    only_a = overview.overview(persona("district_officer"), "2026", units[SCHOOL_A].pk)
    assert [r.name for r in only_a.rows] == [SCHOOL_A]


def test_it_takes_a_constant_number_of_queries(year, persona, units):
    officer = persona("district_officer")
    overview.overview(officer, "2026")  # warm the person's scope cache
    with CaptureQueriesContext(connection) as one:
        overview.overview(officer, "2026")
    for i in range(3):
        more = duty(persona, units, name=f"另一项{i}", recurrence="quarterly")
        services.generate_duty(more, dt.date(2026, 2, 1))
    with CaptureQueriesContext(connection) as four:
        report = overview.overview(officer, "2026")
    assert len(report.duties) == 4
    assert len(four.captured_queries) == len(one.captured_queries) <= 3


def test_the_api_and_the_page_show_the_same_figures(year, api_for, client_for):
    body = api_for("district_officer").get("/api/obligations/overview/?period=2026-Q1").json()
    assert body["totals"]["met"] == 2
    row = next(r for r in body["rows"] if r["unit_name"] == SCHOOL_A)
    assert row["cells"] == [{"duty": year.pk, "met": 2, "review": 0, "pending": 1, "missed": 0}]
    page = client_for("district_officer").get("/duties/obligations/overview/?period=2026-Q1")
    assert "2/1/0" in page.content.decode()
