"""The inspections, duties and plans sections of 一张图, each figure checked against the
records behind it, for the district (subtree) and a school, and after a change."""

from __future__ import annotations

import pytest
from django.utils import timezone

from xiaoan.duties.choices import ObligationStatus
from xiaoan.duties.demo import load_duties
from xiaoan.duties.models import Obligation
from xiaoan.inspections.choices import DONE_STATUSES, InspectionKind
from xiaoan.inspections.models import Inspection
from xiaoan.inspections.tests.support import checklist, done, make  # noqa: F401
from xiaoan.plans import review
from xiaoan.plans import services as plans
from xiaoan.plans.choices import FINISHED, PlanStatus, Progress
from xiaoan.plans.models import Assignment
from xiaoan.plans.tests.support import SCHOOL_A, make_plan
from xiaoan.reports.figures import rate
from xiaoan.reports.services import dashboard

pytestmark = pytest.mark.django_db


def figures(board, key) -> dict:
    return {f.key: f.value for f in board.sections_by_key[key].figures}


def test_it_counts_this_quarters_inspections(persona, units, checklist):  # noqa: F811
    today = timezone.localdate()
    first = make(persona, units, checklist, scheduled_on=today)
    make(persona, units, checklist, scheduled_on=today)
    done(persona, first)
    # A pending unannounced visit is never counted (nor seen by the school).
    make(
        persona,
        units,
        checklist,
        who="district_officer",
        kind=InspectionKind.UNANNOUNCED,
        scheduled_on=today,
    )
    first = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)  # the quarter's
    for who, unit in (("district_officer", "梁子湖区教育局"), ("school_a_officer", SCHOOL_A)):
        board = dashboard(persona(who), units[unit].pk)
        got = figures(board, "inspections")
        quarter = Inspection.objects.filter(
            unit__path__startswith=units[unit].path,
            scheduled_on__gte=first,
            scheduled_on__year=today.year,
            scheduled_on__month__lte=first.month + 2,
        ).exclude(kind=InspectionKind.UNANNOUNCED, status__in=("planned", "in_progress"))
        done_count = quarter.filter(status__in=DONE_STATUSES).count()
        assert got["quarter_rate"] == rate(done_count, quarter.count()), who
        assert done_count >= 1


def test_it_counts_duties_met_missed_and_pending(persona, units):
    load_duties()
    school = units[SCHOOL_A]
    year = timezone.localdate().year
    one = Obligation.objects.filter(unit=school, period_start__year=year).first()
    Obligation.objects.filter(pk=one.pk).update(status=ObligationStatus.MISSED)
    for who, unit in (("district_officer", "梁子湖区教育局"), ("school_a_officer", SCHOOL_A)):
        rows = Obligation.objects.filter(
            unit__path__startswith=units[unit].path, period_start__year=year
        )
        got = figures(dashboard(persona(who), units[unit].pk), "duties")
        assert got["missed"] == rows.filter(status=ObligationStatus.MISSED).count() >= 1
        assert got["pending"] == rows.filter(status=ObligationStatus.PENDING).count()
        assert got["met"] == rows.filter(status=ObligationStatus.MET).count()


def test_it_counts_plan_tasks_and_follows_a_review(persona, units):
    _plan, named, _ = make_plan(persona, units)
    school = named.assignments.get(unit=units[SCHOOL_A])

    def check():
        for who, unit in (("district_officer", "梁子湖区教育局"), ("school_a_officer", SCHOOL_A)):
            rows = Assignment.objects.filter(
                unit__path__startswith=units[unit].path, task__plan__status=PlanStatus.ACTIVE
            )
            got = figures(dashboard(persona(who), units[unit].pk), "plans")
            assert got["total"] == rows.count(), who
            assert got["review"] == rows.filter(status=Progress.SUBMITTED).count(), who
            assert got["rate"] == rate(rows.filter(status__in=FINISHED).count(), rows.count())

    check()
    plans.report_progress(persona("school_a_officer"), school.pk, text="已完成", status="done")
    check()
    assert (
        figures(dashboard(persona("school_a_officer"), units[SCHOOL_A].pk), "plans")["review"] == 1
    )
    review.accept_report(persona("district_officer"), school.pk)
    check()


def test_it_ranks_on_every_sections_columns(persona, units):
    load_duties()
    board = dashboard(persona("district_officer"), units["梁子湖区教育局"].pk)
    keys = {f"{key}.{c.key}" for key, c in board.columns}
    assert {
        "hazards.open_major",
        "inspections.quarter_rate",
        "duties.missed",
        "plans.overdue",
    } <= keys
    assert "×" in board.formula
    by_rate = dashboard(persona("district_officer"), units["梁子湖区教育局"].pk, sort="duties.rate")
    values = [
        r["values"]["duties.rate"]
        for r in by_rate.ranking
        if r["values"]["duties.rate"] is not None
    ]
    assert values == sorted(values)  # the lowest rate first


def test_it_shows_duty_records_awaiting_review_apart(persona, units):
    from xiaoan.duties import services as duties
    from xiaoan.duties.tests.support import duty, evidence

    d = duty(persona, units, name="年度演练", recurrence="yearly", proof="record",
             record_kind="drill")  # fmt: skip
    duties.generate_duty(d, timezone.localdate())
    ob = Obligation.objects.get(duty=d, unit=units[SCHOOL_A])
    duties.submit_record(persona("school_a_officer"), ob.pk, evidence=evidence())
    got = figures(dashboard(persona("district_officer"), units["梁子湖区教育局"].pk), "duties")
    year = timezone.localdate().year
    rows = Obligation.objects.filter(
        unit__path__startswith=units["梁子湖区教育局"].path, period_start__year=year
    )
    assert got["review"] == rows.filter(status=ObligationStatus.REVIEW).count() >= 1
    decided = rows.filter(status__in=(ObligationStatus.MET, ObligationStatus.MISSED))
    assert got["rate"] == rate(rows.filter(status=ObligationStatus.MET).count(), decided.count())
