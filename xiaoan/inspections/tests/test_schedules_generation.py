"""Schedules: periods per recurrence, one inspection per target unit and period, and running
the generation again (job, command, page) adds nothing."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from xiaoan.core.errors import Invalid
from xiaoan.inspections import schedules
from xiaoan.inspections.choices import InspectionKind, InspectionStatus
from xiaoan.inspections.models import Inspection, InspectionSchedule
from xiaoan.inspections.tasks import daily_generation
from xiaoan.inspections.tests.support import SCHOOL_A, checklist
from xiaoan.orgs.models import Unit

pytestmark = pytest.mark.django_db
__all__ = ["checklist"]

DISTRICT = "梁子湖区教育局"
D = dt.date


def district_schools(units) -> set[int]:
    return set(
        Unit.objects.filter(path__startswith=units[DISTRICT].path, kind="school").values_list(
            "pk", flat=True
        )
    )


def new_schedule(persona, all_units, checklist, **kwargs) -> InspectionSchedule:
    values = {
        "name": "每月安全自查",
        "kind": InspectionKind.SELF_CHECK,
        "checklist": checklist,
        "organiser": all_units[DISTRICT],
        "recurrence": "monthly",
        "day": 1,
        "days_allowed": 20,
    }
    values.update(kwargs)
    return schedules.create_schedule(persona(values.pop("who", "district_officer")), **values)


@pytest.mark.parametrize(
    ("recurrence", "on", "key", "start", "end"),
    [
        ("monthly", D(2026, 2, 14), "2026-02", D(2026, 2, 1), D(2026, 2, 28)),
        ("bimonthly", D(2026, 4, 30), "2026-B2", D(2026, 3, 1), D(2026, 4, 30)),
        ("bimonthly", D(2026, 12, 1), "2026-B6", D(2026, 11, 1), D(2026, 12, 31)),
        ("quarterly", D(2026, 5, 2), "2026-Q2", D(2026, 4, 1), D(2026, 6, 30)),
        ("semester", D(2026, 3, 9), "2026-spring", D(2026, 2, 1), D(2026, 7, 31)),
        ("semester", D(2026, 10, 9), "2026-autumn", D(2026, 9, 1), D(2027, 1, 31)),
        ("semester", D(2027, 1, 20), "2026-autumn", D(2026, 9, 1), D(2027, 1, 31)),
        ("half_yearly", D(2026, 7, 1), "2026-H2", D(2026, 7, 1), D(2026, 12, 31)),
        ("yearly", D(2026, 7, 1), "2026", D(2026, 1, 1), D(2026, 12, 31)),
    ],
)
def test_it_finds_the_period_of_each_recurrence(recurrence, on, key, start, end):
    period = schedules.period_of(recurrence, on)
    assert (period.key, period.start, period.end) == (key, start, end)
    assert period.label


def test_it_leaves_august_out_of_the_semesters():
    assert schedules.period_of("semester", D(2026, 8, 10)) is None


@pytest.mark.parametrize(
    ("recurrence", "day", "allowed", "on", "scheduled", "due", "period"),
    [
        ("monthly", 1, 20, D(2026, 3, 17), D(2026, 3, 1), D(2026, 3, 20), "2026-03"),
        ("monthly", 31, 5, D(2026, 2, 3), D(2026, 2, 28), D(2026, 3, 4), "2026-02"),
        ("bimonthly", 10, 30, D(2026, 6, 1), D(2026, 5, 10), D(2026, 6, 8), "2026-05"),
        ("quarterly", 1, 45, D(2026, 9, 30), D(2026, 7, 1), D(2026, 8, 14), "2026-07"),
        ("semester", 15, 120, D(2026, 12, 1), D(2026, 9, 15), D(2027, 1, 12), "2026-09"),
        ("half_yearly", 1, 90, D(2026, 3, 3), D(2026, 1, 1), D(2026, 3, 31), "2026-01"),
        ("yearly", 60, 10, D(2026, 11, 3), D(2026, 3, 1), D(2026, 3, 10), "2026-03"),
    ],
)
def test_it_generates_one_inspection_per_school_for_each_recurrence(
    persona, units, checklist, recurrence, day, allowed, on, scheduled, due, period
):
    schedule = new_schedule(
        persona, units, checklist, recurrence=recurrence, day=day, days_allowed=allowed
    )
    result = schedules.generate(schedule, on)
    made = Inspection.objects.filter(schedule_key__startswith=f"s{schedule.pk}:")
    assert result.created == made.count() == len(district_schools(units)) == result.targets
    assert set(made.values_list("unit_id", flat=True)) == district_schools(units)
    first = made.first()
    assert (first.scheduled_on, first.due_on, first.period) == (scheduled, due, period)
    assert first.kind == InspectionKind.SELF_CHECK and first.status == InspectionStatus.PLANNED
    assert first.organiser == units[DISTRICT]
    assert first.checklist_id == checklist.current_version_id
    assert first.schedule_key == f"s{schedule.pk}:{result.period.key}"
    assert first.history.count() == 1
    checklist.current_version.refresh_from_db()
    assert checklist.current_version.is_frozen


def test_it_generates_nothing_twice(persona, units, checklist):
    schedule = new_schedule(persona, units, checklist)
    first = schedules.generate(schedule, D(2026, 3, 5))
    again = schedules.generate(schedule, D(2026, 3, 28))
    assert first.created > 0 and again.created == 0
    assert Inspection.objects.filter(schedule_key=schedule.key("2026-03")).count() == first.created
    assert schedules.generate(schedule, D(2026, 4, 1)).created == first.created


def test_it_fills_in_a_school_added_during_the_period(persona, units, checklist):
    schedule = new_schedule(persona, units, checklist)
    first = schedules.generate(schedule, D(2026, 3, 5))
    Unit.objects.add_child(units[DISTRICT], instance=Unit(name="新建学校", kind="school"))
    again = schedules.generate(schedule, D(2026, 3, 6))
    assert again.created == 1 and again.targets == first.targets + 1


def test_it_targets_units_of_a_kind_or_a_chosen_list(persona, units, checklist):
    sections = new_schedule(persona, units, checklist, target="kind", target_kind="section")
    result = schedules.generate(sections, D(2026, 3, 5))
    assert result.created == 5  # the district's five 股室
    chosen = new_schedule(
        persona, units, checklist, target="chosen", units=[units[SCHOOL_A], units["东沟镇中心小学"]]
    )
    made = schedules.generate(chosen, D(2026, 3, 5))
    assert made.created == 2
    with pytest.raises(Invalid):  # a unit outside the organiser's subtree
        new_schedule(
            persona, units, checklist, who="school_a_head", organiser=units[SCHOOL_A],
            target="chosen", units=[units["东沟镇中心小学"]],
        )  # fmt: skip


def test_it_skips_inactive_schedules_and_refuses_unannounced_ones(persona, units, checklist):
    schedule = new_schedule(persona, units, checklist, is_active=False)
    assert schedules.generate(schedule, D(2026, 3, 5)).created == 0
    with pytest.raises(Invalid) as error:
        new_schedule(persona, units, checklist, kind=InspectionKind.UNANNOUNCED)
    assert "kind" in error.value.fields


def test_it_lets_a_school_schedule_only_itself(persona, units, checklist):
    schedule = new_schedule(
        persona, units, checklist, who="school_a_head", organiser=units[SCHOOL_A]
    )
    result = schedules.generate(schedule, D(2026, 3, 5))
    assert result.created == 1
    assert Inspection.objects.get(schedule_key=schedule.key("2026-03")).unit == units[SCHOOL_A]
    with pytest.raises(Invalid):
        new_schedule(persona, units, checklist, who="school_a_head", organiser=units[DISTRICT])


def test_it_creates_the_default_schedules_once(persona, units):
    officer = persona("district_officer")
    made = schedules.create_default_schedules(officer, units[DISTRICT])
    assert len(made) == 5
    assert {s.recurrence for s in made} == {
        "monthly", "quarterly", "bimonthly", "semester", "half_yearly",
    }  # fmt: skip
    assert schedules.create_default_schedules(officer, units[DISTRICT]) == []
    results = schedules.generate_all(D(2026, 3, 5))
    assert sum(r.created for r in results) == 5 * len(district_schools(units))


def test_the_daily_job_generates_the_current_periods(persona, units, checklist):
    new_schedule(persona, units, checklist)
    assert daily_generation.call_local() == len(district_schools(units))
    assert daily_generation.call_local() == 0


def test_the_command_prints_json(persona, units, checklist):
    schedule = new_schedule(persona, units, checklist)
    out = io.StringIO()
    call_command("inspections-generate", "--date", "2026-03-05", "--json", stdout=out)
    payload = json.loads(out.getvalue())
    assert payload["date"] == "2026-03-05"
    assert payload["created"] == len(district_schools(units))
    row = next(r for r in payload["schedules"] if r["schedule"] == schedule.pk)
    assert row == {
        "schedule": schedule.pk,
        "name": "每月安全自查",
        "period": "2026-03",
        "targets": len(district_schools(units)),
        "created": len(district_schools(units)),
        "skipped": "",
    }
    out = io.StringIO()
    call_command("inspections-generate", "--date", "2026-03-05", "--json", stdout=out)
    assert json.loads(out.getvalue())["created"] == 0
    out = io.StringIO()
    call_command("inspections-generate", "--date", "2026-03-05", stdout=out)
    assert "共生成 0 项检查" in out.getvalue()
