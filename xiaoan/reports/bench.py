"""`xiaoan bench dashboard`: p50/p95 of the home page and the dashboard (page and API) for a
school, a district and the province, kept (as most requests find them) and built (the first
request after a write), on the hazards benchmark's data set (10,000 units,
1,000,000 hazards; `xiaoan.hazards.bench` builds it once) with the other sections' records
(`build` below adds them once), with each page's query count."""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.db.models import F
from django.test import Client, override_settings
from django.utils import timezone

from xiaoan.core import freshness
from xiaoan.hazards import bench as hazards_bench
from xiaoan.inspections.choices import InspectionStatus
from xiaoan.inspections.models import Inspection
from xiaoan.orgs.choices import UnitKind
from xiaoan.orgs.models import Unit
from xiaoan.wsgi import settle


def _count_queries(client: Client, url: str) -> int:
    # A wrapper sees every statement, whatever happens to the connection's own log.
    seen = []
    with connection.execute_wrapper(lambda execute, sql, *a: seen.append(sql) or execute(sql, *a)):
        client.get(url)
    return len(seen)


def measure(root: Unit, runs: int, out: Callable[[str], None]) -> dict[str, Any]:
    district = Unit.objects.filter(path__startswith=root.path, depth=2).order_by("path").first()
    school = (
        Unit.objects.filter(path__startswith=district.path, kind=UnitKind.SCHOOL)
        .order_by("path")
        .first()
    )
    people = (
        ("school", hazards_bench._user(school, "bench_school"), school),
        ("district", hazards_bench._user(district, "bench_district"), district),
        ("province", hazards_bench._user(), root),
    )
    results: dict[str, Any] = {}
    for who, person, unit in people:
        client = Client()
        client.force_login(person)
        pages = {
            "home": "/",
            "dashboard": f"/reports/?unit={unit.pk}",
            "api dashboard": f"/api/dashboard/?unit={unit.pk}",
        }
        for label, url in pages.items():
            client.get(url)  # warm caches and connections
            settle()  # as the server's entry point does (xiaoan.wsgi)
            # Kept: what most requests meet (xiaoan.core.freshness). Built: the first
            # request after a write below or above the unit.
            for mode, keep in (("", True), (", built", False)):
                with override_settings(XIAOAN_PAGE_CACHE=keep and freshness.enabled()):
                    queries = _count_queries(client, url)
                    p50, p95 = hazards_bench._time_get(client, url, runs)
                key = f"{who}: {label}{mode}"
                results[key] = {"p50": p50, "p95": p95, "queries": queries}
                out(f"{key:35} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   {queries:3d} queries")
    return results


# ---------------------------------------------------------------- the sections' records

DUTIES = (
    # (name, recurrence, proof, inspection kind or record kind)
    ("基准每月安全自查", "monthly", "inspection", "self_check"),
    ("基准每季度隐患排查", "quarterly", "record", "screening"),
    ("基准每学期应急演练", "semester", "record", "drill"),
    ("基准年度安全工作总结", "yearly", "record", "summary"),
)
PLAN_TITLE = "基准测试校园安全专项整治方案"
PLAN_TASKS = 20


def build(root: Unit, out: Callable[[str], None]) -> None:
    """Inspections, obligations and plan assignments for every school of the data set (once):
    twelve months of monthly self-checks and this month's, a year of obligations of four
    duties, the assignments of one active plan of 20 tasks. Inserted in bulk, then the
    dashboard's rollups rebuilt."""
    from xiaoan.duties.models import Obligation
    from xiaoan.plans.models import Assignment

    schools = list(
        Unit.objects.filter(path__startswith=root.path, kind=UnitKind.SCHOOL)
        .order_by("path")
        .values_list("pk", flat=True)
    )
    built = False
    if not Inspection.objects.filter(unit__path__startswith=root.path).exists():
        _build_inspections(root, out)
        built = True
    if not Obligation.objects.filter(unit__path__startswith=root.path).exists():
        _build_obligations(root, schools, out)
        built = True
    if not Assignment.objects.filter(unit__path__startswith=root.path).exists():
        _build_assignments(root, schools, out)
        built = True
    tables = _build_registers(root, schools, out)
    if built or tables:
        _vacuum(
            "inspections_inspection",
            "duties_obligation",
            "plans_assignment",
            "plans_task",
            *tables,
        )
        _rebuild_rollups(out)


def _rebuild_rollups(out: Callable[[str], None]) -> None:
    try:
        from xiaoan.reports import rollups
    except ImportError:  # before the sections read rollups
        return
    started = time.monotonic()
    for kind, rows in rollups.rebuild_all().items():
        out(f"rollup {kind}: {rows} units")
    # The rebuild rewrites every row: what autovacuum would do before the next read.
    _vacuum("reports_rollup")
    out(f"rollups rebuilt in {time.monotonic() - started:.1f}s")


def _vacuum(*tables: str) -> None:
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"VACUUM ANALYZE {table}")


def _build_inspections(root: Unit, out: Callable[[str], None]) -> None:
    from xiaoan.inspections import bench as inspections_bench
    from xiaoan.inspections import schedules

    started = time.monotonic()
    _root, schedule = inspections_bench.build(0, 12, out)
    today = timezone.localdate()
    made = schedules.generate(schedule, today, actor=hazards_bench._user()).created
    key = schedule.key(f"{today:%Y-%m}")
    # This month: about 40% done so far.
    Inspection.objects.filter(schedule_key=key).annotate(m=F("id") % 5).filter(m__lt=2).update(
        status=InspectionStatus.SUBMITTED, submitted_at=timezone.now()
    )
    out(f"inspections: this month {made}, in all {time.monotonic() - started:.1f}s")


def _build_obligations(root: Unit, schools: list[int], out: Callable[[str], None]) -> None:
    from xiaoan.duties.choices import ObligationStatus
    from xiaoan.duties.models import Duty, Obligation
    from xiaoan.inspections.schedules import period_of

    started = time.monotonic()
    today = timezone.localdate()
    rng = random.Random(7)
    rows: list[Obligation] = []
    total = 0
    for name, recurrence, proof, what in DUTIES:
        duty = Duty.objects.create(
            name=name,
            issuer=root,
            recurrence=recurrence,
            proof=proof,
            inspection_kind=what if proof == "inspection" else "",
            record_kind=what if proof == "record" else "",
        )
        periods = {}
        for month in range(1, 13):
            period = period_of(recurrence, dt.date(today.year, month, 1))
            if period is not None and period.start <= today:
                periods[period.key] = period
        for period in periods.values():
            for pk in schools:
                if period.end < today:
                    roll = rng.random()
                    status = (
                        ObligationStatus.MET
                        if roll < 0.8
                        else ObligationStatus.MISSED
                        if roll < 0.95
                        else ObligationStatus.REVIEW
                    )
                else:
                    status = ObligationStatus.PENDING
                rows.append(
                    Obligation(
                        duty=duty,
                        unit_id=pk,
                        period_key=period.key,
                        period_label=str(period.label)[:40],
                        period_start=period.start,
                        period_end=period.end,
                        due_on=period.end,
                        status=status,
                        version=1,
                    )
                )
                if len(rows) == 5000:
                    Obligation.objects.bulk_create(rows)
                    total += len(rows)
                    rows.clear()
    Obligation.objects.bulk_create(rows)
    total += len(rows)
    out(f"obligations: {total} in {time.monotonic() - started:.1f}s")


def _build_assignments(root: Unit, schools: list[int], out: Callable[[str], None]) -> None:
    from xiaoan.plans.choices import PlanStatus, Progress
    from xiaoan.plans.models import Assignment, Plan, Task

    started = time.monotonic()
    today = timezone.localdate()
    rng = random.Random(11)
    plan = Plan.objects.create(
        title=PLAN_TITLE,
        unit=root,
        status=PlanStatus.ACTIVE,
        start_date=today.replace(month=1, day=1),
        end_date=today.replace(month=12, day=31),
    )
    tasks = Task.objects.bulk_create(
        [
            Task(
                plan=plan,
                unit=root,
                seq=n + 1,
                title=f"专项整治任务{n + 1}",
                all_below=True,
                due_on=today + dt.timedelta(days=rng.randrange(-120, 240)),
            )
            for n in range(PLAN_TASKS)
        ]
    )
    statuses = [
        (Progress.NOT_STARTED, 30),
        (Progress.IN_PROGRESS, 30),
        (Progress.DONE, 25),
        (Progress.SUBMITTED, 5),
        (Progress.ONGOING, 5),
        (Progress.OVERDUE, 5),
    ]
    weighted = [s for s, weight in statuses for _ in range(weight)]
    rows: list[Assignment] = []
    total = 0
    for task in tasks:
        for pk in schools:
            status = rng.choice(weighted)
            rows.append(
                Assignment(
                    task=task,
                    unit_id=pk,
                    status=status,
                    progress=100 if status == Progress.DONE else rng.randrange(0, 100, 10),
                    due_on=task.due_on,
                )
            )
            if len(rows) == 5000:
                Assignment.objects.bulk_create(rows)
                total += len(rows)
                rows.clear()
    Assignment.objects.bulk_create(rows)
    total += len(rows)
    out(f"assignments: {total} in {time.monotonic() - started:.1f}s")


# ---------------------------------------------------------------- the registers' items

REGISTER_ITEMS_PER_SCHOOL = 2


def _filler(field: Any, n: int, today: dt.date, rng: random.Random) -> Any:
    """A plausible value for a register field the bench does not know by name: the
    registers' counters read dates, yes-no fields and choices, so those vary."""
    from django.db import models

    if field.name == "semester":  # a period the tallies key their counters by
        from xiaoan.traffic.models import semester_of

        return semester_of(today)
    if field.choices:
        values = [value for value, _label in field.flatchoices if value not in ("", None)]
        return rng.choice(values) if values else None
    if isinstance(field, models.BooleanField):
        return rng.random() < 0.8
    if isinstance(field, models.DateTimeField):
        return timezone.now() - dt.timedelta(days=rng.randrange(0, 400))
    if isinstance(field, models.DateField):
        return today + dt.timedelta(days=rng.randrange(-400, 400))
    if isinstance(field, (models.IntegerField, models.DecimalField, models.FloatField)):
        return rng.randrange(1, 30)
    if isinstance(field, models.JSONField):
        return field.get_default()
    if isinstance(field, (models.CharField, models.TextField)):
        limit = getattr(field, "max_length", None) or 40
        return f"基准{n}"[:limit]
    return field.get_default()


def _build_registers(root: Unit, schools: list[int], out: Callable[[str], None]) -> list[str]:
    """A couple of items of every register at every school that has none yet (buses, waters,
    cameras, events …), their fields filled by type: the dashboard's register sections and
    the counted to-dos read their rollups at province scale. Returns the tables written."""
    from django.db import models

    from xiaoan.core import registers

    registers.discover()
    today = timezone.localdate()
    rng = random.Random(14)
    written = []
    for register in registers.registry:
        model = register.model
        if model.objects.filter(unit__path__startswith=root.path).exists():
            continue
        required = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, models.ForeignKey) and not f.null and f.name not in ("unit",)
        ]
        if required:  # an item that needs another record first (a plan's drill…)
            out(f"register {register.key}: skipped (needs {required[0].name})")
            continue
        started = time.monotonic()
        skip = ("retired_at", "retire_reason", "created_at", "updated_at", "version")
        fields = [
            f
            for f in model._meta.concrete_fields
            if not f.primary_key
            and not isinstance(f, models.ForeignKey)
            and f.name not in skip
            and f.editable
            and not (isinstance(f, (models.CharField, models.TextField)) and f.blank)
        ]
        rows = []
        n = 0
        for pk in schools:
            for _copy in range(REGISTER_ITEMS_PER_SCHOOL):
                n += 1
                item = model(unit_id=pk)
                for field in fields:
                    value = _filler(field, n, today, rng)
                    if value is not None:
                        setattr(item, field.attname, value)
                rows.append(item)
            if len(rows) >= 5000:
                model.objects.bulk_create(rows, ignore_conflicts=True)
                rows.clear()
        # One per school where the register allows only one (a year's security posture).
        model.objects.bulk_create(rows, ignore_conflicts=True)
        written.append(model._meta.db_table)
        out(f"register {register.key}: {n} items in {time.monotonic() - started:.1f}s")
    return written
