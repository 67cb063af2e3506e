"""`xiaoan bench hazards`: a province-sized data set and the timings that matter to users.

Builds (or reuses) a tree of ~10,000 units and 1,000,000 hazards under a root marked with the
code BENCH-ROOT, then measures the ledger's first page with counts, a filtered page, the
record page, and the export of 100,000 rows (time and peak memory).
"""

from __future__ import annotations

import datetime as dt
import random
import resource
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from xiaoan.core.choices import SafetyDomain
from xiaoan.hazards.choices import HazardLevel, HazardSource, HazardStatus
from xiaoan.hazards.models import Hazard
from xiaoan.orgs.choices import UnitKind
from xiaoan.orgs.models import Unit

ROOT_CODE = "BENCH-ROOT"
STATUSES = [
    (HazardStatus.CLOSED, 70),
    (HazardStatus.RECTIFYING, 10),
    (HazardStatus.ASSIGNED, 8),
    (HazardStatus.REPORTED, 5),
    (HazardStatus.SUBMITTED, 4),
    (HazardStatus.DISMISSED, 3),
]
DESCRIPTIONS = [
    "疏散通道堆放杂物",
    "灭火器压力不足",
    "宿舍私拉乱接电线",
    "食堂燃气软管老化",
    "实验室危化品台账不符",
    "围墙局部开裂",
    "校车安全锤缺失",
    "监控探头损坏",
    "配电箱未上锁",
    "楼梯扶手松动",
    "电动自行车楼道充电",
    "消火栓无水",
]


def _user(unit: Unit | None = None, username: str = "bench_officer"):
    """A safety officer over `unit` (default: the whole data set)."""
    from xiaoan.accounts.models import Role, RoleAssignment, User

    user, _created = User.objects.get_or_create(
        username=username, defaults={"name": "基准测试", "is_active": True}
    )
    unit = unit or Unit.objects.get(code=ROOT_CODE)
    RoleAssignment.objects.get_or_create(
        user=user,
        role=Role.objects.get(code="safety_officer"),
        unit=unit,
        defaults={"include_descendants": True},
    )
    return user


def build(units: int, hazards: int, out: Callable[[str], None]) -> Unit:
    """Create the data set if missing (or smaller than asked); return its root."""
    root = Unit.objects.filter(code=ROOT_CODE).first()
    if root is None:
        root = _build_units(units, out)
    have = Hazard.objects.filter(unit__path__startswith=root.path).count()
    if have < hazards:
        _build_hazards(root, hazards - have, out)
        from xiaoan.hazards import rollup, tally

        out(f"tally: {tally.rebuild()} rows")
        out(f"rollup: {rollup.rebuild()} units")
    from xiaoan.reports.models import Rollup

    if not Rollup.objects.filter(kind="hazards").exists():  # built before the rollup existed
        from xiaoan.hazards import rollup

        out(f"rollup: {rollup.rebuild()} units")
    _user()
    return root


def _build_units(total: int, out: Callable[[str], None]) -> Unit:
    started = time.monotonic()
    root = Unit.objects.add_root(
        instance=Unit(name="基准测试省教育厅", kind=UnitKind.AUTHORITY, code=ROOT_CODE)
    )
    districts = max(1, total // 500)
    per_district = max(1, (total - 1 - districts) // districts)
    rows: list[Unit] = []
    for d in range(districts):
        d_path = Unit._get_path(root.path, 2, d + 1)
        rows.append(
            Unit(
                name=f"基准区教育局{d + 1:03d}",
                kind=UnitKind.AUTHORITY,
                path=d_path,
                depth=2,
                numchild=per_district,
            )
        )
        for s in range(per_district):
            rows.append(
                Unit(
                    name=f"基准学校{d + 1:03d}-{s + 1:04d}",
                    kind=UnitKind.SCHOOL,
                    school_type="primary",
                    enrolment=600 + s % 900,
                    staff_count=40,
                    path=Unit._get_path(d_path, 3, s + 1),
                    depth=3,
                    numchild=0,
                )
            )
    Unit.objects.bulk_create(rows, batch_size=2000)
    Unit.objects.filter(pk=root.pk).update(numchild=districts)
    out(f"units: {len(rows) + 1} in {time.monotonic() - started:.1f}s")
    return Unit.objects.get(pk=root.pk)


def _build_hazards(root: Unit, count: int, out: Callable[[str], None]) -> None:
    started = time.monotonic()
    from xiaoan.accounts.models import User

    # Reports come from the schools' own people, not from the officers being measured.
    finder, _created = User.objects.get_or_create(
        username="bench_reporter", defaults={"name": "基准上报人"}
    )
    schools = list(
        Unit.objects.filter(path__startswith=root.path, kind=UnitKind.SCHOOL).values_list(
            "pk", flat=True
        )
    )
    rng = random.Random(42)
    statuses = [s for s, weight in STATUSES for _ in range(weight)]
    domains = [d for d in SafetyDomain.values if d != "other"]
    now = timezone.now()
    today = timezone.localdate()
    base = Hazard.objects.count()
    batch: list[Hazard] = []
    for i in range(count):
        status = rng.choice(statuses)
        found = now - dt.timedelta(minutes=rng.randrange(0, 3 * 365 * 24 * 60))
        deadline = (found + dt.timedelta(days=rng.randrange(3, 90))).date()
        open_ = status not in (HazardStatus.CLOSED, HazardStatus.DISMISSED)
        batch.append(
            Hazard(
                unit_id=rng.choice(schools),
                number=f"BENCH-{base + i:08d}",
                description=rng.choice(DESCRIPTIONS),
                source=rng.choice(HazardSource.values),
                domain=rng.choice(domains),
                level=HazardLevel.MAJOR if rng.random() < 0.05 else HazardLevel.GENERAL,
                status=status,
                finder_id=finder.pk,
                found_at=found,
                deadline=deadline if status != HazardStatus.REPORTED else None,
                is_overdue=open_ and deadline < today and status != HazardStatus.REPORTED,
                closed_at=found + dt.timedelta(days=10) if status == HazardStatus.CLOSED else None,
            )
        )
        if len(batch) == 5000:
            with transaction.atomic():
                Hazard.objects.bulk_create(batch)
            batch.clear()
            if (i + 1) % 100_000 == 0:
                out(f"hazards: {i + 1} ({time.monotonic() - started:.0f}s)")
    if batch:
        Hazard.objects.bulk_create(batch)
    # VACUUM cannot run in a transaction (a test's small run is inside one).
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            # Fresh statistics and visibility map, as autovacuum would leave them.
            cursor.execute("VACUUM ANALYZE hazards_hazard")
            cursor.execute("VACUUM ANALYZE orgs_unit")
    out(f"hazards: {count} in {time.monotonic() - started:.1f}s")


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def _time_get(client: Client, url: str, runs: int) -> tuple[float, float]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
    return _percentiles(samples)


def measure(root: Unit, runs: int, export_rows: int, out: Callable[[str], None]) -> dict[str, Any]:
    from django.urls import reverse

    from xiaoan.hazards.exports import write_export

    user = _user()
    district = Unit.objects.filter(path__startswith=root.path, depth=2).order_by("path").first()
    district_user = _user(district, "bench_district")
    results: dict[str, Any] = {}
    ledger = reverse("hazards:hazard_list")
    # A district 安全股 officer (one district's schools) and the province (everything).
    for who, person, unit in (("district", district_user, district), ("province", user, root)):
        client = Client()
        client.force_login(person)
        pages = {
            "ledger first page with counts": ledger,
            "filtered page": f"{ledger}?level=major&open=true&ordering=-found_at",
            "api list (overdue)": f"/api/hazards/?page_size=50&overdue=true&unit={unit.pk}",
        }
        client.get(ledger)  # warm caches and connections
        for label, url in pages.items():
            key = f"{who}: {label}"
            results[key] = _time_get(client, url, runs)
            out(f"{key:44} p50 {results[key][0]:7.1f} ms   p95 {results[key][1]:7.1f} ms")
    client = Client()
    client.force_login(user)
    ids = (
        list(
            Hazard.objects.filter(unit__path__startswith=root.path)
            .order_by("?")
            .values_list("pk", flat=True)[:runs]
        )
        if connection.vendor != "postgresql"
        else list(
            Hazard.objects.filter(unit__path__startswith=root.path).values_list("pk", flat=True)[
                : runs * 97 : 97
            ]
        )
    )
    samples = []
    for pk in ids:
        started = time.perf_counter()
        response = client.get(reverse("hazards:hazard_detail", args=[pk]))
        samples.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    results["record page"] = _percentiles(samples)
    out(
        f"{'record page':44} p50 {results['record page'][0]:7.1f} ms   "
        f"p95 {results['record page'][1]:7.1f} ms"
    )
    queryset = (
        Hazard.objects.restrict(user)
        .filter(unit__path__startswith=root.path)
        .order_by("-found_at")[:export_rows]
    )
    # Time without tracing (tracemalloc slows Python down several times), then the peak
    # of Python's heap in a second, traced run.
    started = time.perf_counter()
    with tempfile.TemporaryFile() as handle:
        write_export(queryset, "problems", handle)
        size = handle.tell()
    elapsed = time.perf_counter() - started
    tracemalloc.start()
    with tempfile.TemporaryFile() as handle:
        write_export(queryset, "problems", handle)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # The whole process's peak resident memory (pages and record included) bounds the export's.
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    results["export"] = (elapsed, peak / 1024 / 1024, size / 1024 / 1024, rss)
    out(
        f"{'export ' + str(export_rows) + ' rows':44} {elapsed:6.1f} s   peak "
        f"{peak / 1024 / 1024:6.1f} MB (Python heap), {rss:.0f} MB (process RSS)   "
        f"file {size / 1024 / 1024:.1f} MB"
    )
    return results
