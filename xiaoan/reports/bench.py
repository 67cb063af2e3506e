"""`xiaoan bench dashboard`: p50/p95 of the home page and the dashboard (page and API) for a
school, a district and the province on the hazards benchmark's data set (10,000 units,
1,000,000 hazards; `xiaoan.hazards.bench` builds it once), with each page's query count."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test import Client

from xiaoan.hazards import bench as hazards_bench
from xiaoan.orgs.choices import UnitKind
from xiaoan.orgs.models import Unit


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
            queries = _count_queries(client, url)
            p50, p95 = hazards_bench._time_get(client, url, runs)
            key = f"{who}: {label}"
            results[key] = {"p50": p50, "p95": p95, "queries": queries}
            out(f"{key:28} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   {queries:3d} queries")
    return results
