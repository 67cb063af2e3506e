"""The ledger API costs the same number of queries at any page size (no N+1), the counts are
one aggregate query, and filters, search and ordering behave as on the ledger page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from xiaoan.hazards import services
from xiaoan.hazards.choices import HazardLevel
from xiaoan.hazards.tests.api_support import SCHOOL_A, hazard_in, today
from xiaoan.orgs.models import Place

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def ledger(persona, units):
    """41 School A hazards: in a room of a building, assigned to an owner, supervised…"""
    officer, owner = persona("school_a_officer"), persona("school_a_owner")
    school = units[SCHOOL_A]
    building = Place.objects.create(unit=school, kind="building", name="二号宿舍楼")
    floor = Place.objects.create(unit=school, kind="floor", name="三楼", parent=building)
    room = Place.objects.create(unit=school, kind="room", name="304", parent=floor)
    now = timezone.now()
    hazards = []
    for i in range(41):
        hazard = services.report(
            officer,
            school,
            description=f"第{i}处隐患：楼道堆放杂物",
            place=room if i % 2 else None,
            place_text="东侧楼梯口" if i % 3 else "",
            found_at=now - dt.timedelta(hours=i),
        )
        if i % 4 == 0:
            services.confirm(
                officer, hazard.pk, level=HazardLevel.MAJOR if i % 8 == 0 else HazardLevel.GENERAL
            )
            services.assign(
                officer,
                hazard.pk,
                owner_unit=units["总务处"],
                owner=owner,
                measures="清理",
                deadline=today() + dt.timedelta(days=i + 1),
            )
        hazards.append(hazard)
    return hazards


def _queries(api_for, url: str, params: dict) -> tuple[int, dict]:
    client = api_for("district_officer")  # a fresh user: grants load inside the request
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200, response.content[:300]
    return len(captured.captured_queries), response.json()


def test_it_runs_the_same_queries_for_5_and_40_rows(api_for, ledger):
    small, body = _queries(api_for, "/api/hazards/", {"page_size": 5})
    assert len(body["results"]) == 5
    large, body = _queries(api_for, "/api/hazards/", {"page_size": 40})
    assert len(body["results"]) == 40
    assert small == large
    row = next(r for r in body["results"] if r["place"])
    assert row["place_label"] == "二号宿舍楼 / 三楼 / 304 · 东侧楼梯口"
    assert any(r["owner_name"] == "周总务" for r in body["results"])


def test_it_counts_the_filtered_set_in_one_aggregate_query(api_for, ledger, persona, units):
    hazard_in("submitted", persona, units)
    _, body = _queries(api_for, "/api/hazards/counts/", {"unit": units[SCHOOL_A].pk})
    assert body["total"] == 42
    assert body["by_status"] == {
        "reported": 30,
        "confirmed": 0,
        "assigned": 11,
        "rectifying": 0,
        "submitted": 1,
        "closed": 0,
        "dismissed": 0,
    }
    assert body["open"] == 42 and body["open_major"] == 6
    assert body["oldest_open_major_days"] in (0, 1, 2)
    assert body["supervised"] == 6 and body["overdue"] == 0
    client = api_for("district_officer")
    with CaptureQueriesContext(connection) as captured:
        client.get("/api/hazards/counts/", {"level": "major"})
    aggregates = [q for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
    assert len(aggregates) == 1
    _, major = _queries(api_for, "/api/hazards/counts/", {"level": "major", "open": "true"})
    assert major["total"] == major["open_major"] == 6


def test_it_filters_searches_and_orders_like_the_ledger(api_for, ledger, units):
    client = api_for("district_officer")
    body = client.get("/api/hazards/", {"level": "major", "page_size": 100}).json()
    assert body["count"] == 6 and {r["level"] for r in body["results"]} == {"major"}
    body = client.get("/api/hazards/", {"search": "第17处"}).json()
    assert [r["description"] for r in body["results"]] == ["第17处隐患：楼道堆放杂物"]
    body = client.get("/api/hazards/", {"q": "第17处"}).json()
    assert body["count"] == 1
    newest = client.get("/api/hazards/", {"page_size": 3}).json()["results"]
    assert [r["description"][:4] for r in newest] == ["第0处隐", "第1处隐", "第2处隐"]
    oldest = client.get("/api/hazards/", {"page_size": 2, "ordering": "found_at"}).json()
    assert oldest["results"][0]["description"].startswith("第40处")
    by_deadline = client.get(
        "/api/hazards/", {"ordering": "deadline", "status": "assigned", "page_size": 100}
    ).json()["results"]
    deadlines = [r["deadline"] for r in by_deadline]
    assert deadlines == sorted(deadlines) and len(deadlines) == 11
    bad = client.get("/api/hazards/", {"level": "catastrophic"})
    assert bad.status_code == 400 and "level" in bad.json()["error"]["fields"]
