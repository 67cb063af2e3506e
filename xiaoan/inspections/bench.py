"""`xiaoan bench inspections`: a month's self-checks for every school of a province-sized
tree, and the coverage report over the whole tree.

Reuses the tree under BENCH-ROOT that `xiaoan bench hazards` builds (or builds it the same
way), keeps a monthly self-check schedule over it with `--months` of history (about 60% of
each month done), then measures: generating the current month's self-checks for all schools
(after deleting that month's, so it is a real generation), and the coverage report for the
whole tree through the service, the page and the API (p50/p95 over `--runs`).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from xiaoan.hazards import bench as hazard_bench
from xiaoan.inspections import coverage, schedules
from xiaoan.inspections.choices import InspectionKind, InspectionStatus
from xiaoan.inspections.models import ChecklistTemplate, Inspection, InspectionSchedule
from xiaoan.orgs.choices import UnitKind
from xiaoan.orgs.models import Unit

SCHEDULE_NAME = "基准测试每月安全自查"


def _months_back(today: dt.date, n: int) -> dt.date:
    month = today.month - 1 - n
    return dt.date(today.year + month // 12, month % 12 + 1, 1)


def _mark_done(key: str) -> None:
    """About 60% done (submitted), the rest left as they are."""
    now = timezone.now()
    Inspection.objects.filter(schedule_key=key).annotate(m=F("id") % 5).filter(m__lt=3).update(
        status=InspectionStatus.SUBMITTED, submitted_at=now
    )


def build(units: int, months: int, out: Callable[[str], None]) -> tuple[Unit, InspectionSchedule]:
    root = Unit.objects.filter(code=hazard_bench.ROOT_CODE).first()
    if root is None:
        root = hazard_bench._build_units(units, out)
    user = hazard_bench._user()
    schedule = InspectionSchedule.objects.filter(name=SCHEDULE_NAME, organiser=root).first()
    if schedule is None:
        checklist = ChecklistTemplate.objects.filter(owner_unit__isnull=True, is_active=True)
        template = checklist.filter(code="SEC-BASIC").first() or checklist.first()
        schedule = schedules.create_schedule(
            user,
            name=SCHEDULE_NAME,
            kind=InspectionKind.SELF_CHECK,
            checklist=template,
            organiser=root,
            recurrence="monthly",
            day=1,
            days_allowed=20,
        )
    today = timezone.localdate()
    for n in range(months, 0, -1):
        on = _months_back(today, n)
        key = schedule.key(f"{on:%Y-%m}")
        if not Inspection.objects.filter(schedule_key=key).exists():
            started = time.monotonic()
            made = schedules.generate(schedule, on, actor=user).created
            _mark_done(key)
            out(f"history {on:%Y-%m}: {made} inspections in {time.monotonic() - started:.1f}s")
    # Fresh statistics and visibility map, as autovacuum would leave them (VACUUM cannot run
    # inside a transaction, as under the test suite).
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE inspections_inspection")
            cursor.execute("VACUUM ANALYZE orgs_unit")
    return root, schedule


def _line(out: Callable[[str], None], label: str, figures: tuple[float, float]) -> None:
    out(f"{label:48} p50 {figures[0]:7.1f} ms   p95 {figures[1]:7.1f} ms")


def measure(
    root: Unit, schedule: InspectionSchedule, runs: int, out: Callable[[str], None]
) -> dict[str, Any]:
    user = hazard_bench._user()
    today = timezone.localdate()
    period = f"{today:%Y-%m}"
    key = schedule.key(period)
    results: dict[str, Any] = {}
    schools = Unit.objects.filter(path__startswith=root.path, kind=UnitKind.SCHOOL).count()
    out(f"tree: {Unit.objects.filter(path__startswith=root.path).count()} units, {schools} schools")

    # A real generation: this month's generated self-checks go first (not timed).
    Inspection.history.filter(schedule_key=key).delete()
    Inspection.objects.filter(schedule_key=key).delete()
    started = time.perf_counter()
    made = schedules.generate(schedule, today, actor=user)
    elapsed = time.perf_counter() - started
    results["generate"] = (elapsed, made.created)
    out(f"{'generate one month of self-checks':48} {elapsed:6.2f} s   ({made.created} created)")
    started = time.perf_counter()
    again = schedules.generate(schedule, today, actor=user)
    results["generate again"] = (time.perf_counter() - started, again.created)
    out(
        f"{'generate again (idempotent)':48} {results['generate again'][0]:6.2f} s   "
        f"({again.created} created)"
    )
    _mark_done(key)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE inspections_inspection")

    date_from, date_to = coverage.month_range(period)
    for label, limit in (("all rows", None), ("first 100 rows", 100)):
        coverage.coverage(user, root, date_from, date_to, limit=limit)  # warm
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            report = coverage.coverage(user, root, date_from, date_to, limit=limit)
            samples.append(time.perf_counter() - started)
        results[f"coverage service, {label}"] = hazard_bench._percentiles(samples)
        _line(
            out, f"coverage: service (whole tree, {label})", results[f"coverage service, {label}"]
        )
    totals = report.totals
    out(
        f"coverage of {totals['units']} units: required {totals['required']}, done "
        f"{totals['completed']}, overdue {totals['overdue']}, nothing done {totals['nothing_done']}"
    )
    client = Client()
    client.force_login(user)
    page = f"{reverse('inspections:coverage')}?unit={root.pk}&period={period}"
    api = f"/api/inspections/coverage/?unit={root.pk}&period={period}"
    timings = {
        "coverage: page (whole tree, 100 rows)": page,
        "coverage: page (nothing done, page 10)": f"{page}&nothing_done=1&page=10",
        "coverage: API (whole tree, 100 rows)": api,
        "coverage: API (whole tree, 500 rows)": f"{api}&page_size=500&page=7",
    }
    client.get(page)
    client.get(api)
    for label, url in timings.items():
        results[label] = hazard_bench._time_get(client, url, runs)
        _line(out, label, results[label])
    district = Unit.objects.filter(path__startswith=root.path, depth=2).order_by("path").first()
    district_api = f"/api/inspections/coverage/?unit={district.pk}&period={period}"
    results["coverage api district"] = hazard_bench._time_get(client, district_api, runs)
    _line(out, "coverage: API (one district)", results["coverage api district"])
    return results
