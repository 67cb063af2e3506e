"""Inspection numbers JC-2026-0001: per organiser and calendar year, gap-free and in order,
for inspections made one by one (service, page, API) and in bulk (schedules, draws, one
locked step each); shown in the list and searchable; correct under concurrency on
PostgreSQL."""

from __future__ import annotations

import datetime as dt
import threading
from unittest import mock

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from xiaoan.inspections import schedules
from xiaoan.inspections.choices import InspectionKind
from xiaoan.inspections.models import Inspection, InspectionCounter
from xiaoan.inspections.tests.support import SCHOOL_A, SCHOOL_B, checklist, make

pytestmark = pytest.mark.django_db
__all__ = ["checklist"]

DISTRICT = "梁子湖区教育局"


def year() -> int:
    return timezone.localdate().year


def test_it_numbers_per_organiser_in_order(persona, units, checklist):
    first = make(persona, units, checklist)  # organised by school A itself
    second = make(persona, units, checklist)
    by_district = make(
        persona, units, checklist, who="district_officer", kind=InspectionKind.SUPERVISION
    )
    other = make(persona, units, checklist, who="district_officer", unit=SCHOOL_B)
    y = year()
    assert [first.number, second.number] == [f"JC-{y}-0001", f"JC-{y}-0002"]
    assert by_district.organiser == units[DISTRICT]
    assert [by_district.number, other.number] == [f"JC-{y}-0001", f"JC-{y}-0002"]


def test_it_starts_again_each_year(persona, units, checklist):
    make(persona, units, checklist)
    next_year = dt.date(year() + 1, 1, 2)
    with mock.patch("xiaoan.inspections.numbers.timezone.localdate", return_value=next_year):
        new = make(persona, units, checklist)
    assert new.number == f"JC-{next_year.year}-0001"
    counters = InspectionCounter.objects.filter(organiser=units[SCHOOL_A])
    assert sorted(counters.values_list("year", "last")) == [(year(), 1), (next_year.year, 1)]


def test_it_takes_a_refused_creation_number_back(persona, units, checklist):
    make(persona, units, checklist)
    with pytest.raises(Exception):  # noqa: B017 - any refusal rolls the counter back
        make(persona, units, checklist, due_on=dt.date(2000, 1, 1))
    assert make(persona, units, checklist).number == f"JC-{year()}-0002"


def test_it_numbers_a_schedule_run_in_one_block(persona, units, checklist):
    before = make(persona, units, checklist, who="district_officer")  # district's 0001
    schedule = schedules.create_schedule(
        persona("district_officer"),
        name="每月安全自查",
        kind=InspectionKind.SELF_CHECK,
        checklist=checklist,
        organiser=units[DISTRICT],
        recurrence="monthly",
        day=1,
        days_allowed=20,
    )
    on = timezone.localdate()
    with CaptureQueriesContext(connection) as queries:
        result = schedules.generate(schedule, on)
    counter_queries = [q for q in queries if "inspectioncounter" in q["sql"].lower()]
    assert len(counter_queries) <= 3  # insert-if-missing, lock, one update: not one per row
    made = list(
        Inspection.objects.filter(schedule_key__startswith=f"s{schedule.pk}:").order_by("number")
    )
    assert result.created == len(made) > 2
    y = year()
    assert before.number == f"JC-{y}-0001"
    assert [i.number for i in made] == [f"JC-{y}-{n:04d}" for n in range(2, len(made) + 2)]
    # The same units in unit order get the numbers in order.
    assert [i.unit.path for i in made] == sorted(i.unit.path for i in made)
    assert schedules.generate(schedule, on).created == 0  # nothing twice, no number used
    assert make(persona, units, checklist, who="district_officer").number == (
        f"JC-{y}-{len(made) + 2:04d}"
    )


def test_it_numbers_a_draw_in_one_block(persona, units, checklist):
    draw = schedules.create_draw(
        persona("district_officer"),
        organiser=units[DISTRICT],
        count=3,
        checklist=checklist,
        seed=20260301,
    )
    numbers_made = sorted(schedules.draw_inspections(draw).values_list("number", flat=True))
    assert numbers_made == [f"JC-{year()}-{n:04d}" for n in (1, 2, 3)]


def test_it_shows_the_number_and_finds_by_it(persona, units, checklist, client_for, api_for):
    wanted = make(persona, units, checklist, title="消防专项")
    make(persona, units, checklist, title="食堂检查")
    page = client_for("school_a_officer").get("/inspections/", {"q": wanted.number})
    html = page.content.decode()
    assert page.status_code == 200 and wanted.number in html and "消防专项" in html
    assert "食堂检查" not in html
    listed = api_for("school_a_officer").get("/api/inspections/", {"q": wanted.number}).json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [r["number"] for r in rows] == [wanted.number]
    detail = client_for("school_a_officer").get(f"/inspections/{wanted.pk}/")
    assert wanted.number in detail.content.decode()
    # Outside the person's scope, the number finds nothing.
    other = api_for("uni_security").get("/api/inspections/", {"q": wanted.number})
    assert other.status_code == 200 and other.json()["results"] == []


def test_it_numbers_inspections_made_through_the_api(api_for, units, checklist):
    api = api_for("school_a_officer")
    body = {"kind": "self_check", "unit": units[SCHOOL_A].pk, "checklist": checklist.pk}
    first = api.post("/api/inspections/", body, format="json")
    second = api.post("/api/inspections/", body, format="json")
    assert first.status_code == second.status_code == 201
    assert [first.json()["number"], second.json()["number"]] == [
        f"JC-{year()}-0001",
        f"JC-{year()}-0002",
    ]


# ---------------------------------------------------------------- PostgreSQL concurrency


@pytest.fixture
def demo_after_flush(django_db_blocker):
    """A transactional test empties the database when it ends; put the demo back."""
    yield
    from xiaoan.orgs.demo import load_demo

    with django_db_blocker.unblock():
        load_demo()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises all writers")
def test_it_gives_concurrent_creations_distinct_numbers_without_gaps(
    demo_after_flush, transactional_db
):
    from rest_framework.test import APIClient

    from xiaoan.accounts.models import User
    from xiaoan.inspections.models import ChecklistTemplate
    from xiaoan.orgs.models import Unit

    officer = User.objects.get(username="school_a_officer")
    template = ChecklistTemplate.objects.filter(owner_unit__isnull=True).first()
    body = {"kind": "self_check", "unit": Unit.objects.get(name=SCHOOL_A).pk}
    body["checklist"] = template.pk
    counter = InspectionCounter.objects.filter(organiser__name=SCHOOL_A, year=year()).first()
    before = counter.last if counter else 0
    count = 6
    barrier = threading.Barrier(count)
    answers: list = [None] * count

    def run(index: int) -> None:
        client = APIClient()
        client.force_authenticate(officer)
        try:
            barrier.wait(timeout=10)
            answers[index] = client.post("/api/inspections/", body, format="json")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert [a.status_code for a in answers] == [201] * count, [a.content[:200] for a in answers]
    got = sorted(a.json()["number"] for a in answers)
    assert got == [f"JC-{year()}-{n:04d}" for n in range(before + 1, before + count + 1)]


def test_it_numbers_existing_rows_in_creation_order_in_the_migration(persona, units, checklist):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("xiaoan.inspections.migrations.0006_number_existing")
    made = [make(persona, units, checklist) for _ in range(3)]
    by_district = make(persona, units, checklist, who="district_officer")
    last_year = timezone.now() - dt.timedelta(days=400)
    Inspection.objects.filter(pk=made[0].pk).update(created_at=last_year)
    # As before the migration: no numbers (unique placeholders here), no counters.
    for inspection in [*made, by_district]:
        Inspection.objects.filter(pk=inspection.pk).update(number=f"old-{inspection.pk}")
    InspectionCounter.objects.all().delete()
    migration.number_existing(apps, None)
    got = dict(Inspection.objects.values_list("pk", "number"))
    y, before = year(), timezone.localtime(last_year).year
    assert got[made[0].pk] == f"JC-{before}-0001"
    assert [got[made[1].pk], got[made[2].pk]] == [f"JC-{y}-0001", f"JC-{y}-0002"]
    assert got[by_district.pk] == f"JC-{y}-0001"
    # The counters carry on from there.
    assert make(persona, units, checklist).number == f"JC-{y}-0003"
