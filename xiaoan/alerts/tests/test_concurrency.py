"""Four outside systems send the same event at the same moment (PostgreSQL: SQLite
serialises all writers): one alert is made, the other three are counted as its repeats."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from .support import SCHOOL_A


@pytest.fixture
def demo_after_flush(django_db_blocker):
    """A transactional test empties the database when it ends; put the demo back."""
    yield
    from xiaoan.orgs.demo import load_demo

    with django_db_blocker.unblock():
        load_demo()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises all writers")
def test_it_makes_one_alert_of_racing_raisers(demo_after_flush, transactional_db):
    from xiaoan.alerts import services
    from xiaoan.alerts.models import Alert
    from xiaoan.orgs.models import Unit

    unit = Unit.objects.get(name=SCHOOL_A)
    barrier = threading.Barrier(4)
    created: list = []

    def run() -> None:
        try:
            barrier.wait(timeout=10)
            _alert, new = services.raise_alert(
                unit=unit.pk,
                kind="smoke",
                severity="warning",
                title="烟感报警",
                fingerprint="device-77",
                notify_people=False,
            )
            created.append(new)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(created) == [False, False, False, True]
    alert = Alert.objects.get(unit=unit, kind="smoke")
    assert alert.repeats == 3
