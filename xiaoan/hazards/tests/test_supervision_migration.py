"""The migration that numbers 挂牌督办 numbers the listings already made, per supervising
unit and year in the order they were made, and sets their answer deadline."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("hazards", "0008_confirmed_status")]
AFTER = [("hazards", "0009_supervision_number_answer")]


@pytest.fixture
def demo_after_flush(django_db_blocker):
    """A transactional test empties the database when it ends; put the demo back."""
    yield
    from xiaoan.orgs.demo import load_demo

    with django_db_blocker.unblock():
        load_demo()


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


# On SQLite the flush after a transactional test meets the audit trail's DELETE trigger.
@pytest.mark.skipif(connection.vendor != "postgresql", reason="flushing needs TRUNCATE")
def test_it_numbers_existing_listings_in_creation_order(demo_after_flush, transactional_db):
    old = _migrate(BEFORE)
    Unit = old.get_model("orgs", "Unit")
    User = old.get_model("accounts", "User")
    Hazard = old.get_model("hazards", "Hazard")
    Supervision = old.get_model("hazards", "Supervision")
    school = Unit.objects.get(name="梁子湖高级中学")
    district = Unit.objects.get(name="梁子湖区教育局")
    city = Unit.objects.get(name="鄂州市教育局")
    finder = User.objects.get(username="school_a_officer")
    now = timezone.now()
    listed = [
        (district, now - dt.timedelta(days=400)),  # last year: its own 1
        (district, now - dt.timedelta(days=2)),
        (city, now - dt.timedelta(days=1)),
        (district, now - dt.timedelta(days=1)),
    ]
    made = []
    for i, (unit, when) in enumerate(listed):
        hazard = Hazard.objects.create(
            unit=school,
            number=f"YH-OLD-{i}",
            description=f"旧隐患 {i}",
            source="self_check",
            finder=finder,
            status="assigned",
        )
        made.append(
            Supervision.objects.create(
                hazard=hazard, supervising_unit=unit, reason="旧督办", listed_at=when
            ).pk
        )
    # Made in another order than listed: the numbering follows listed_at.
    Supervision.objects.filter(pk=made[3]).update(listed_at=now - dt.timedelta(days=3))

    new = _migrate(AFTER)
    rows = new.get_model("hazards", "Supervision").objects.in_bulk(made)
    numbers = [(rows[pk].year, rows[pk].serial) for pk in made]
    this_year = timezone.localtime(now).year
    last_year = timezone.localtime(now - dt.timedelta(days=400)).year
    assert numbers == [(last_year, 1), (this_year, 2), (this_year, 1), (this_year, 1)]
    assert rows[made[2]].answer_due == timezone.localtime(listed[2][1]).date() + dt.timedelta(7)
    Counter = new.get_model("hazards", "SupervisionCounter")
    assert Counter.objects.get(unit_id=district.pk, year=this_year).last == 2
    # The next listing takes the next number.
    _migrate([("hazards", max_leaf())])
    from django.db import transaction

    from xiaoan.hazards.services.supervision import _next_serial
    from xiaoan.orgs.models import Unit as LiveUnit

    with transaction.atomic():
        assert _next_serial(LiveUnit.objects.get(pk=district.pk), this_year) == 3


def max_leaf() -> str:
    executor = MigrationExecutor(connection)
    return max(name for app, name in executor.loader.graph.leaf_nodes() if app == "hazards")
