"""Coverage: required, done, not done and overdue per unit for a small tree, the units with
nothing done, and a query count that does not grow with the number of units."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xiaoan.inspections import coverage, schedules
from xiaoan.inspections.choices import InspectionKind
from xiaoan.inspections.models import Inspection
from xiaoan.inspections.tests.support import SCHOOL_A, SCHOOL_B, checklist, done
from xiaoan.orgs.models import Unit

pytestmark = pytest.mark.django_db
__all__ = ["checklist"]

DISTRICT = "梁子湖区教育局"
D = dt.date
MID_MARCH = D(2026, 3, 20)


@pytest.fixture
def march(persona, units, checklist):
    """The district's monthly self-check for March 2026 (due 10 March); School A's is done."""
    schedule = schedules.create_schedule(
        persona("district_officer"),
        name="每月安全自查",
        kind=InspectionKind.SELF_CHECK,
        checklist=checklist,
        organiser=units[DISTRICT],
        recurrence="monthly",
        days_allowed=10,
    )
    schedules.generate(schedule, D(2026, 3, 1))
    visit = Inspection.objects.get(schedule_key=schedule.key("2026-03"), unit=units[SCHOOL_A])
    done(persona, visit)
    return schedule


def report(persona, units, who="district_officer", unit=DISTRICT, today=MID_MARCH, **kw):
    return coverage.coverage(
        persona(who), units[unit], D(2026, 3, 1), D(2026, 3, 31), today=today, **kw
    )


def test_it_counts_done_not_done_and_overdue(persona, units, march):
    result = report(persona, units)
    rows = {r.name: r for r in result.rows}
    assert len(rows) == 12  # every school of the district
    a, b = rows[SCHOOL_A], rows[SCHOOL_B]
    assert (a.required, a.completed, a.not_done, a.overdue, a.nothing_done) == (1, 1, 0, 0, False)
    assert (b.required, b.completed, b.not_done, b.overdue, b.nothing_done) == (1, 0, 1, 1, True)
    assert result.totals == {
        "units": 12,
        "required": 12,
        "completed": 1,
        "not_done": 11,
        "overdue": 11,
        "nothing_done": 11,
    }
    assert SCHOOL_A not in {r.name for r in result.nothing_done}


def test_nothing_is_overdue_before_the_due_date(persona, units, march):
    assert report(persona, units, today=D(2026, 3, 10)).totals["overdue"] == 0


def test_it_filters_by_kind_and_period(persona, units, march):
    result = report(persona, units, kind=InspectionKind.SUPERVISION)
    assert result.totals["required"] == 0 and result.totals["nothing_done"] == 12
    april = coverage.coverage(
        persona("district_officer"), units[DISTRICT], D(2026, 4, 1), D(2026, 4, 30)
    )
    assert april.totals["required"] == 0


def test_it_stays_inside_the_persons_scope(persona, units, march):
    result = report(persona, units, who="school_a_head", unit=SCHOOL_A)
    assert [r.name for r in result.rows] == [SCHOOL_A]
    assert result.totals["completed"] == 1


def test_it_lists_other_units_only_when_they_have_inspections(persona, units, march, checklist):
    sections = schedules.create_schedule(
        persona("district_officer"), name="股室检查", kind="supervision", checklist=checklist,
        organiser=units[DISTRICT], recurrence="monthly", target="kind", target_kind="section",
    )  # fmt: skip
    schedules.generate(sections, D(2026, 3, 1))
    rows = {r.name: r for r in report(persona, units).rows}
    assert len(rows) == 17 and rows["安全股"].required == 1
    assert DISTRICT not in rows


def test_drawn_visits_stay_out_of_the_targets_figures(persona, units, march, checklist):
    schedules.create_draw(
        persona("district_officer"),
        organiser=units[DISTRICT],
        count=12,
        checklist=checklist,
        seed=1,
        scheduled_on=D(2026, 3, 15),
    )
    assert report(persona, units).totals["required"] == 24
    own = report(persona, units, who="school_a_head", unit=SCHOOL_A)
    assert own.totals["required"] == 1


def test_its_query_count_does_not_grow_with_the_units(persona, units, march):
    def count() -> int:
        user = persona("district_officer")
        with CaptureQueriesContext(connection) as queries:
            coverage.coverage(user, units[DISTRICT], D(2026, 3, 1), D(2026, 3, 31))
        return len(queries)

    before = count()
    for n in range(25):
        Unit.objects.add_child(units[DISTRICT], instance=Unit(name=f"新学校{n}", kind="school"))
    schedules.generate(march, D(2026, 3, 2))
    assert report(persona, units).totals["units"] == 37
    assert count() == before


@pytest.mark.parametrize(
    ("period", "start", "end"),
    [("2026-02", D(2026, 2, 1), D(2026, 2, 28)), ("2024-02", D(2024, 2, 1), D(2024, 2, 29))],
)
def test_it_reads_a_month(period, start, end):
    assert coverage.parse_range(period) == (start, end)


def test_it_refuses_bad_ranges():
    from xiaoan.core.errors import Invalid

    for args in (("2026-13",), (None, "2026-03-10", "2026-03-01"), (None, "x", None)):
        with pytest.raises(Invalid):
            coverage.parse_range(*args)
    with pytest.raises(Invalid):
        coverage.parse_range(None, "2020-01-01", "2026-01-01")


def test_it_cuts_one_page_in_the_database(persona, units, march):
    whole = report(persona, units)
    page = coverage.coverage(
        persona("district_officer"), units[DISTRICT], D(2026, 3, 1), D(2026, 3, 31),
        today=MID_MARCH, offset=4, limit=3, only_nothing_done=True,
    )  # fmt: skip
    assert page.totals == whole.totals and page.row_count == 11
    assert [r.name for r in page.rows] == [r.name for r in whole.nothing_done][4:7]
