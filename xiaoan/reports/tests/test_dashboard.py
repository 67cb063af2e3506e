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
    assert "数据截至" in text  # a kept page says when its figures were read
    data = api_for("district_officer").get("/api/dashboard/").json()
    assert data["unit"]["name"] == "梁子湖区教育局" and data["subtree"] is True
    assert dt.datetime.fromisoformat(data["built_at"]) <= timezone.now()
    keys = {f["key"] for f in data["sections"][0]["figures"]}
    assert {"open", "open_major", "overdue", "closure_rate", "on_time_rate"} <= keys
    assert data["ranking"]["rows"]


def test_it_takes_the_same_queries_however_many_hazards(persona, units, settings):
    settings.XIAOAN_PAGE_CACHE = False  # the build itself, not the kept page
    district = units["梁子湖区教育局"]
    dashboard(persona("district_officer"), district.pk)
    with CaptureQueriesContext(connection) as few:
        dashboard(persona("district_officer"), district.pk)
    for n in range(4):
        reported(persona, units["梁子湖高级中学"], f"第{n}处楼道堆放杂物")
    with CaptureQueriesContext(connection) as many:
        dashboard(persona("district_officer"), district.pk)
    assert len(many) == len(few)


def test_it_keeps_a_built_dashboard_until_something_below_or_above_changes(persona, units):
    district, school = units["梁子湖区教育局"], units["梁子湖高级中学"]
    other_school = units["东沟镇中心小学"]
    officer = persona("district_officer")
    built = dashboard(officer, district.pk)
    with CaptureQueriesContext(connection) as kept:
        again = dashboard(officer, district.pk)
    # The unit is still looked up within the person's scope; nothing else is read.
    assert len(kept) <= 3
    assert figures(again) == figures(built)
    # A school's own page is not rebuilt for a write at another school...
    dashboard(persona("school_a_officer"), school.pk)
    reported(persona, other_school, "校门口护栏缺失", who="district_officer")
    with CaptureQueriesContext(connection) as untouched:
        dashboard(persona("school_a_officer"), school.pk)
    assert len(untouched) <= 3
    # ...the district's is, and shows it.
    check(dashboard(officer, district.pk), district)
    # A write at the school is seen by the school and by the district above it.
    reported(persona, school, "配电房线路老化裸露")
    check(dashboard(persona("school_a_officer"), school.pk), school)
    check(dashboard(officer, district.pk), district)


def test_it_rebuilds_what_a_superior_decided_for_those_below(persona, units):
    from xiaoan.core import freshness

    school = units["梁子湖高级中学"]
    officer = persona("school_a_officer")
    dashboard(officer, school.pk)
    before = freshness.version(school.path)
    # A write recorded at the district (its weights, its targets) changes the school's page.
    freshness.changed([units["梁子湖区教育局"].pk])
    assert freshness.version(school.path) != before
    # A recount of everything changes every page.
    middle = freshness.version(school.path)
    freshness.everywhere()
    assert freshness.version(school.path) != middle


def test_it_builds_each_time_when_the_cache_is_down(persona, units, monkeypatch):
    from django.core.cache import cache

    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    school = units["梁子湖高级中学"]
    for name in ("get", "get_many", "set", "set_many", "add"):
        monkeypatch.setattr(cache, name, down)
    board = dashboard(persona("school_a_officer"), school.pk)
    check(board, school)
    # Writes go on when the cache cannot be told.
    reported(persona, school, "配电房线路老化裸露")
    check(dashboard(persona("school_a_officer"), school.pk), school)
    # The home page's to-dos too.
    from xiaoan.core.todos import todos_for

    assert "hazards.confirm" in {t.key for t in todos_for(persona("school_a_officer"))}


def test_it_does_not_hand_one_persons_page_to_another(persona, units):
    from xiaoan.core.errors import NotFound
    from xiaoan.core.freshness import grants_key

    school = units["梁子湖高级中学"]
    officer, head = persona("school_a_officer"), persona("school_a_head")
    assert grants_key(officer) != grants_key(head)
    dashboard(officer, school.pk)
    with CaptureQueriesContext(connection) as built:
        dashboard(head, school.pk)
    assert len(built) > 3  # built for the head's own grants, not read from the officer's
    # A page kept for the unit is no way into it for someone outside its scope.
    with pytest.raises(NotFound):
        dashboard(persona("school_b_teacher"), school.pk)
