"""一张图: each figure is checked against a count of the records behind it, for several people
and units and after changes; the ranking covers the units one level down; nobody sees a unit
outside their scope (page 404, API 404/400)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from xiaoan.hazards import rollup
from xiaoan.hazards import services as hazards
from xiaoan.hazards.choices import OPEN_STATUSES, HazardLevel, HazardStatus
from xiaoan.hazards.models import Hazard
from xiaoan.hazards.tests.pages_support import assigned, private_media, reported  # noqa: F401
from xiaoan.orgs.choices import UnitKind
from xiaoan.orgs.models import Unit
from xiaoan.reports.services import dashboard

pytestmark = pytest.mark.django_db


def figures(board, section="hazards") -> dict:
    return {f.key: f.value for f in board.sections_by_key[section].figures}


def expected(unit: Unit) -> dict:
    rows = Hazard.objects.filter(unit__path__startswith=unit.path)
    counted = rows.exclude(status=HazardStatus.DISMISSED)
    closed = rows.filter(status=HazardStatus.CLOSED).count()
    return {
        "open": rows.filter(status__in=OPEN_STATUSES).count(),
        "open_major": rows.filter(status__in=OPEN_STATUSES, level=HazardLevel.MAJOR).count(),
        "overdue": rows.filter(status__in=OPEN_STATUSES, is_overdue=True).count(),
        "closure_rate": round(100 * closed / counted.count(), 1) if counted.count() else None,
        "recurring": counted.filter(is_recurring=True).count(),
        "missed": counted.filter(missed_by_self_check=True).count(),
    }


def check(board, unit):
    got = figures(board)
    for key, value in expected(unit).items():
        assert got[key] == value, key


def test_it_counts_what_the_records_say_for_a_district_and_a_school(persona, units):
    school = units["梁子湖高级中学"]
    reported(persona, school)
    major = reported(persona, school, "配电房线路老化裸露")
    hazards.confirm(persona("school_a_officer"), major.pk, level=HazardLevel.MAJOR)
    late = assigned(persona, units, "食堂燃气管道未固定")
    Hazard.objects.filter(pk=late.pk).update(is_overdue=True)
    rollup.touch([late.unit_id])  # the daily pass does this through the services
    reported(persona, units["东沟镇中心小学"], "校门口护栏缺失", who="district_officer")
    district = units["梁子湖区教育局"]
    check(dashboard(persona("district_officer"), district.pk), district)
    check(dashboard(persona("school_a_officer"), school.pk), school)
    board = dashboard(persona("school_a_officer"), school.pk)
    assert figures(board)["open_major"] >= 1
    assert major.pk in {h["pk"] for h in board.sections_by_key["hazards"].board}


def test_it_follows_every_kind_of_change(persona, units):
    school = units["梁子湖高级中学"]
    officer = persona("school_a_officer")
    hazard = reported(persona, school)
    check(dashboard(officer, school.pk), school)
    hazards.confirm(officer, hazard.pk, level=HazardLevel.MAJOR)
    check(dashboard(officer, school.pk), school)
    dismissed = reported(persona, school, "误报")
    hazards.dismiss(officer, dismissed.pk, note="不构成隐患")
    check(dashboard(officer, school.pk), school)


def test_it_ranks_the_units_one_level_down_worst_first(persona, units):
    district = units["梁子湖区教育局"]
    school = units["梁子湖高级中学"]
    major = reported(persona, school, "配电房线路老化裸露")
    hazards.confirm(persona("school_a_officer"), major.pk, level=HazardLevel.MAJOR)
    board = dashboard(persona("district_officer"), district.pk)
    ranked = [row["unit"] for row in board.ranking]
    below = Unit.objects.filter(
        path__startswith=district.path, depth=district.depth + 1, is_active=True
    ).exclude(kind=UnitKind.SECTION)
    assert {u.pk for u in ranked} == {u.pk for u in below}
    assert all(u.kind != UnitKind.SECTION for u in ranked)
    scores = [row["score"] for row in board.ranking]
    assert scores == sorted(scores, reverse=True)
    top = board.ranking[0]
    assert top["unit"].pk == school.pk and top["worst"]
    assert top["values"]["hazards.open_major"] == expected(school)["open_major"]
    by_open = dashboard(persona("district_officer"), district.pk, sort="hazards.open")
    values = [row["values"]["hazards.open"] for row in by_open.ranking]
    assert values == sorted(values, reverse=True)


def test_it_counts_found_and_closed_per_month(persona, units):
    school = units["梁子湖高级中学"]
    hazard = reported(persona, school)
    Hazard.objects.filter(pk=hazard.pk).update(found_at=timezone.now() - dt.timedelta(days=400))
    rollup.touch([hazard.unit_id])
    board = dashboard(persona("school_a_officer"), school.pk)
    table = next(t for t in board.sections_by_key["hazards"].tables if t["key"] == "by_month")
    assert len(table["rows"]) == 12
    this_month = timezone.localdate().strftime("%Y-%m")
    found = Hazard.objects.filter(
        unit__path__startswith=school.path,
        found_at__date__gte=timezone.localdate().replace(day=1),
    ).exclude(status=HazardStatus.DISMISSED)
    assert table["rows"][-1] == [this_month, found.count(), table["rows"][-1][2]]


def test_it_keeps_each_person_to_their_scope(persona, units, client_for, api_for):
    school_b = units["东沟镇中心小学"]
    assert client_for("school_a_officer").get(f"/reports/?unit={school_b.pk}").status_code == 404
    api = api_for("school_a_officer")
    assert api.get(f"/api/dashboard/?unit={school_b.pk}").status_code == 404
    assert api.get("/api/dashboard/?unit=abc").status_code == 400
    assert api.get("/api/dashboard/?unit=99999999999999999999").status_code in (400, 404)
    assert client_for("school_a_officer").get("/reports/?unit=abc").status_code == 404
    assert api_for("expert").get("/api/dashboard/").status_code == 404
    # The school's officer sees their school, not the district's ranking.
    data = api.get("/api/dashboard/").json()
    assert data["unit"]["name"] == "梁子湖高级中学"
    assert {row["unit"]["name"] for row in data["ranking"]["rows"]} <= {
        u.name for u in Unit.objects.filter(path__startswith=units["梁子湖高级中学"].path)
    }


def test_it_serves_the_page_and_the_api(persona, units, client_for, api_for):
    reported(persona, units["梁子湖高级中学"])
    page = client_for("district_officer").get("/reports/")
    text = page.content.decode()
    assert page.status_code == 200
    assert 'id="ranking"' in text and 'data-figure="hazards.open_major"' in text
    data = api_for("district_officer").get("/api/dashboard/").json()
    assert data["unit"]["name"] == "梁子湖区教育局" and data["subtree"] is True
    keys = {f["key"] for f in data["sections"][0]["figures"]}
    assert {"open", "open_major", "overdue", "closure_rate", "on_time_rate"} <= keys
    assert data["ranking"]["rows"]


def test_it_takes_the_same_queries_however_many_hazards(persona, units):
    district = units["梁子湖区教育局"]
    dashboard(persona("district_officer"), district.pk)
    with CaptureQueriesContext(connection) as few:
        dashboard(persona("district_officer"), district.pk)
    for n in range(4):
        reported(persona, units["梁子湖高级中学"], f"第{n}处楼道堆放杂物")
    with CaptureQueriesContext(connection) as many:
        dashboard(persona("district_officer"), district.pk)
    assert len(many) == len(few)


def test_it_ranks_every_school_below_when_asked(persona, units, api_for):
    city = units["鄂州市教育局"]
    major = reported(persona, units["梁子湖高级中学"], "配电房线路老化裸露")
    hazards.confirm(persona("school_a_officer"), major.pk, level=HazardLevel.MAJOR)
    officer = persona("district_officer")
    district = units["梁子湖区教育局"]
    board = dashboard(officer, district.pk, rank="schools")
    schools = Unit.objects.filter(
        path__startswith=district.path, kind=UnitKind.SCHOOL, is_active=True
    )
    assert {r["unit"].pk for r in board.ranking} == {u.pk for u in schools}
    top = board.ranking[0]
    assert top["unit"].pk == units["梁子湖高级中学"].pk
    assert top["values"]["hazards.open"] == expected(units["梁子湖高级中学"])["open"]
    data = api_for("district_officer").get(f"/api/dashboard/?unit={district.pk}&rank=schools")
    assert data.json()["ranking"]["rank"] == "schools"
    # An unknown ranking falls back to the units one level down.
    assert dashboard(officer, district.pk, rank="bogus").rank == "children"
    assert city.pk  # the city is above the district officer's scope
    assert api_for("district_officer").get(f"/api/dashboard/?unit={city.pk}").status_code == 404


def test_the_rollup_kept_by_the_services_equals_a_recount(persona, units):
    school = units["梁子湖高级中学"]
    officer = persona("school_a_officer")
    first = reported(persona, school)
    hazards.confirm(officer, first.pk, level=HazardLevel.MAJOR)
    reported(persona, units["东沟镇中心小学"], "校门口护栏缺失", who="district_officer")
    late = assigned(persona, units, "食堂燃气管道未固定")
    dismissed = reported(persona, school, "误报")
    hazards.dismiss(officer, dismissed.pk, note="不构成隐患")
    assert late.unit_id
    assert rollup.reconcile() == 0
