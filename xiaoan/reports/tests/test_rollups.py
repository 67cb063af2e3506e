"""The dashboard's rollups kept by the services equal a recount of the records after every
kind of change, for each app's tally; drift is found and repaired; the dashboard reads them
with a number of queries that does not grow with the units it ranks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from xiaoan.duties import review as duty_review
from xiaoan.duties import services as duties
from xiaoan.duties.choices import ObligationStatus
from xiaoan.duties.models import Obligation
from xiaoan.duties.tests.support import duty, evidence
from xiaoan.inspections import schedules
from xiaoan.inspections import services as inspections
from xiaoan.inspections.choices import InspectionKind
from xiaoan.inspections.models import Inspection
from xiaoan.inspections.tests.support import checklist, done, make  # noqa: F401
from xiaoan.orgs.choices import UnitKind
from xiaoan.orgs.models import Unit
from xiaoan.plans import review as plan_review
from xiaoan.plans import services as plans
from xiaoan.plans.choices import Progress
from xiaoan.plans.models import Assignment
from xiaoan.plans.tests.support import SCHOOL_A, make_plan
from xiaoan.reports import rollups
from xiaoan.reports.models import Rollup
from xiaoan.reports.services import dashboard

pytestmark = pytest.mark.django_db

DISTRICT = "梁子湖区教育局"


def kept(kind: str) -> None:
    """What the services kept equals a recount (reconcile finds nothing to repair)."""
    assert rollups.reconcile(kind) == 0, kind


def test_it_keeps_the_inspections_through_every_step(persona, units, checklist):  # noqa: F811
    today = timezone.localdate()
    first = make(persona, units, checklist, scheduled_on=today)
    kept("inspections")
    second = make(persona, units, checklist, scheduled_on=today, due_on=today)
    kept("inspections")
    inspections.save_draft(persona("school_a_officer"), second.pk, summary="开始检查")
    kept("inspections")
    done(persona, first)
    kept("inspections")
    inspections.close(persona("school_a_officer"), first.pk, note="结束")
    kept("inspections")
    schedule = schedules.create_schedule(
        persona("district_officer"),
        name="每月自查",
        kind=InspectionKind.SELF_CHECK,
        checklist=checklist,
        organiser=units[DISTRICT],
        recurrence="monthly",
    )
    assert schedules.generate(schedule, today).created > 1  # in bulk
    kept("inspections")
    schedules.create_draw(
        persona("district_officer"),
        organiser=units[DISTRICT],
        count=3,
        checklist=checklist,
        seed=1,
        scheduled_on=today,
    )
    kept("inspections")
    # A bulk update of the records themselves, and a deletion.
    quarter = schedules.period_of("quarterly", today)
    moved = Inspection.objects.filter(unit=units[SCHOOL_A], scheduled_on=today)
    assert moved.update(scheduled_on=quarter.start - dt.timedelta(days=1)) > 1  # last quarter
    kept("inspections")
    Inspection.objects.filter(schedule_key__isnull=False, unit=units["东沟镇中心小学"]).delete()
    kept("inspections")
    counters = Rollup.objects.get(kind="inspections", unit=units[DISTRICT]).subtree
    assert counters[f"q:{quarter.key}:n"] > 2


def test_it_keeps_the_duties_through_every_step(persona, units):
    today = timezone.localdate()
    drill = duty(
        persona, units, name="年度演练", recurrence="yearly", proof="record", record_kind="drill"
    )
    duties.generate_duty(drill, today)  # in bulk
    kept("duties")
    ob = Obligation.objects.get(duty=drill, unit=units[SCHOOL_A])
    duties.submit_record(persona("school_a_officer"), ob.pk, evidence=evidence())
    kept("duties")
    assert Obligation.objects.get(pk=ob.pk).status == ObligationStatus.REVIEW
    duty_review.send_back(persona("district_officer"), ob.pk, note="材料不全")
    kept("duties")
    duties.submit_record(persona("school_a_officer"), ob.pk, evidence=evidence())
    duty_review.accept(persona("district_officer"), ob.pk)
    kept("duties")
    assert Obligation.objects.get(pk=ob.pk).status == ObligationStatus.MET
    monthly = duty(persona, units)
    duties.generate_duty(monthly, today)
    # The daily pass decides the pending ones in bulk: a month later, all missed.
    Obligation.objects.filter(duty=monthly).update(due_on=today - dt.timedelta(days=1))
    kept("duties")
    assert duties.daily(today)["missed"] > 1
    kept("duties")
    year = f"y:{today.year}:{ObligationStatus.MISSED}"
    assert Rollup.objects.get(kind="duties", unit=units[DISTRICT]).subtree[year] > 1


def test_it_keeps_the_plans_through_every_step(persona, units):
    plan, named, everyone = make_plan(persona, units, active=False)
    kept("plans")  # a draft's tasks are not counted
    plans.activate_plan(persona("district_officer"), plan.pk)
    kept("plans")
    school = named.assignments.get(unit=units[SCHOOL_A])
    officer = persona("school_a_officer")
    plans.report_progress(officer, school.pk, text="推进中", status="in_progress", progress=50)
    kept("plans")
    plans.report_progress(officer, school.pk, text="已完成", status="done")
    kept("plans")
    plan_review.return_report(persona("district_officer"), school.pk, note="请补充材料")
    kept("plans")
    plans.report_progress(officer, school.pk, text="已补充", status="done")
    plan_review.accept_report(persona("district_officer"), school.pk)
    kept("plans")
    # The daily pass marks the late ones overdue; the count follows the day it runs.
    later = dt.date(2027, 2, 1)
    assert plans.mark_overdue(later)["overdue"] >= 1
    assert rollups.reconcile("plans", today=later) == 0
    # A task no longer naming a unit drops its assignment there (never reported on).
    district = units[DISTRICT]
    before = Assignment.objects.filter(task=named).count()
    plans.save_task(
        persona("district_officer"),
        plan,
        task=named,
        title=named.title,
        deadlines=[{"date": "2026-12-31", "label": "", "kind": "date"}],
        responsible_units=[units[SCHOOL_A].pk],
    )
    assert Assignment.objects.filter(task=named).count() < before
    kept("plans")
    plans.close_plan(persona("district_officer"), plan.pk)
    kept("plans")
    assert Rollup.objects.get(kind="plans", unit=district).subtree == {}
    assert everyone.assignments.exists()


def test_its_period_keys_are_read_for_the_current_period(persona, units, checklist):  # noqa: F811
    """A count made last quarter holds this quarter's inspections under their own key, and
    last quarter's are never read as this quarter's."""
    today = timezone.localdate()
    last_quarter = schedules.period_of("quarterly", today).start - dt.timedelta(days=1)
    make(persona, units, checklist, scheduled_on=last_quarter)
    make(persona, units, checklist, scheduled_on=today)
    rollups.reconcile("inspections", today=last_quarter)  # the count ran last quarter
    board = dashboard(persona("school_a_officer"), units[SCHOOL_A].pk)
    figures = {f.key: f.value for f in board.sections_by_key["inspections"].figures}
    assert figures["month"] == 1 and figures["quarter_rate"] == 0.0


def test_reconcile_finds_and_repairs_drift(persona, units):
    make_plan(persona, units)
    load = Rollup.objects.get(kind="plans", unit=units[DISTRICT])
    load.subtree = {**load.subtree, "total": 999}
    load.save()
    Rollup.objects.filter(kind="plans", unit=units[SCHOOL_A]).delete()
    assert rollups.reconcile("plans") == 2
    kept("plans")
    assert rollups.reconcile() == 0  # every kind


def test_a_forgotten_touch_is_caught(persona, units):
    """The recount checks can fail: a change the rollup did not see is found."""
    make_plan(persona, units)
    school = Assignment.objects.filter(unit=units[SCHOOL_A]).first()
    Assignment.objects.filter(pk=school.pk).update(status=Progress.DONE)  # touches
    kept("plans")
    # Django's own update, past the rolled-up queryset: a write path that forgot to touch.
    QuerySet.update(Assignment.objects.filter(pk=school.pk), status=Progress.IN_PROGRESS)
    assert rollups.reconcile("plans") > 0


def _schools(parent: Unit, count: int) -> None:
    for n in range(count):
        Unit.objects.add_child(parent, instance=Unit(name=f"新建学校{n}", kind=UnitKind.SCHOOL))


def test_the_dashboard_reads_the_same_queries_however_many_units_it_ranks(persona, units):
    load_all = make_plan(persona, units)
    assert load_all
    district = Unit.objects.get(pk=units[DISTRICT].pk)
    officer = persona("district_officer")

    def queries(rank: str) -> int:
        dashboard(officer, district.pk, rank=rank)
        with CaptureQueriesContext(connection) as seen:
            board = dashboard(officer, district.pk, rank=rank)
        assert board.ranking
        return len(seen)

    few = {rank: queries(rank) for rank in ("children", "schools")}
    _schools(district, 6)
    district.refresh_from_db()
    # Records in the new schools too, so each has rollup rows to read.
    plans.save_task(officer, load_all[0], title="新增任务", all_below=True)
    many = {rank: queries(rank) for rank in ("children", "schools")}
    assert many == few
    assert Rollup.objects.filter(kind="plans", unit__name__startswith="新建学校").count() == 6


def test_a_unit_moved_takes_its_figures_along(persona, units, checklist):  # noqa: F811
    from xiaoan.hazards.tests.pages_support import reported
    from xiaoan.orgs.services import move_unit

    dept, school_a, other = units["政教处"], units[SCHOOL_A], units["太和镇中心学校"]
    make(persona, units, checklist, who="district_officer", unit="政教处")
    reported(persona, dept, "走廊灯具损坏", who="district_officer")
    before = Rollup.objects.get(kind="inspections", unit=school_a).subtree
    move_unit(persona("district_officer"), dept, other)
    for kind in rollups.tallies():
        kept(kind)
    after = Rollup.objects.get(kind="inspections", unit=school_a).subtree
    assert sum(after.values()) < sum(before.values())
    assert Rollup.objects.get(kind="inspections", unit=other).subtree


def test_the_command_recounts_every_kind_or_one(persona, units):
    import io

    from django.core.management import CommandError, call_command

    make_plan(persona, units)
    Rollup.objects.filter(kind="plans", unit=units[SCHOOL_A]).update(own={"total": 99})
    out = io.StringIO()
    call_command("rollups", stdout=out)
    assert "plans: 校正 1 个" in out.getvalue() and "hazards: 校正 0 个" in out.getvalue()
    out = io.StringIO()
    call_command("rollups", "--kind", "duties", stdout=out)
    assert out.getvalue().startswith("duties:")
    with pytest.raises(CommandError):
        call_command("rollups", "--kind", "bogus")
