"""The router against a real streaming replica (scripts/pg-replica.sh start): set
XIAOAN_TEST_REPLICA_URL (postgres://postgres@127.0.0.1:5433/postgres) on a PostgreSQL run.
Skipped otherwise, with the reason; XIAOAN_REPLICA_TESTS=required (CI) makes that a failure.

The replica copies the whole primary, so the test database the run created there is on the
replica too: the "replica" alias is that database on the replica's server. Data must be
committed to replicate, hence transactional tests, and each waits for the replica to replay
the primary's WAL before it reads there. The alias is a test mirror of "default" for Django,
so it is never created nor flushed (the flush of the primary replicates)."""

from __future__ import annotations

import copy
import os
import re
import time
from collections.abc import Iterator

import dj_database_url
import pytest
from django.db import DatabaseError, connections
from django.test.utils import CaptureQueriesContext, override_settings

from xiaoan.core.dbrouter import REPLICA, lagging_reads, unit_of_work
from xiaoan.orgs.models import Unit

URL = os.environ.get("XIAOAN_TEST_REPLICA_URL", "")
REQUIRED = os.environ.get("XIAOAN_REPLICA_TESTS", "") == "required"
replica_db = pytest.mark.django_db(transaction=True, databases=["default", REPLICA])


def _unavailable() -> str | None:
    if not URL:
        return "XIAOAN_TEST_REPLICA_URL is not set (scripts/pg-replica.sh start prints it)"
    if "postgresql" not in connections.settings["default"]["ENGINE"]:
        return "the replica tests need DATABASE_URL on PostgreSQL"
    return None


def _settings_for_replica() -> dict:
    """The primary's test settings, pointed at the replica's server."""
    primary = connections["default"].settings_dict
    parsed = dj_database_url.parse(URL)
    replica = copy.deepcopy(primary)
    for key in ("HOST", "PORT", "USER", "PASSWORD"):
        replica[key] = parsed.get(key) or ""
        # A socket URL (postgres:///db?host=/var/run/postgresql) puts these in OPTIONS.
        replica["OPTIONS"].pop(key.lower(), None)
    replica["OPTIONS"].pop("hostaddr", None)
    replica["OPTIONS"].pop("service", None)
    replica["TEST"]["MIRROR"] = "default"
    return replica


def _ask(alias: str, sql: str):
    with connections[alias].cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


def wait_for_replay(timeout: float = 20.0) -> None:
    """Until the replica has replayed everything the primary has written so far."""
    target = _ask("default", "select pg_current_wal_lsn()::text")
    deadline = time.monotonic() + timeout
    while _ask(REPLICA, f"select pg_last_wal_replay_lsn() < '{target}'::pg_lsn"):
        if time.monotonic() > deadline:
            pytest.fail(f"the replica did not replay up to {target} in {timeout} s")
        time.sleep(0.05)


@pytest.fixture(scope="module", autouse=True)
def real_replica(request, django_db_blocker) -> Iterator[None]:
    reason = _unavailable()
    if reason:
        if REQUIRED:
            pytest.fail(f"replica tests required (XIAOAN_REPLICA_TESTS): {reason}")
        pytest.skip(f"replica tests skipped: {reason}")
    request.getfixturevalue("django_db_setup")  # only now: a skip needs no test database
    connections.settings[REPLICA] = _settings_for_replica()
    routers = override_settings(DATABASE_ROUTERS=["xiaoan.core.dbrouter.ReadReplicaRouter"])
    routers.enable()
    try:
        with django_db_blocker.unblock():
            try:
                recovering = _ask(REPLICA, "select pg_is_in_recovery()")
            except DatabaseError as error:
                recovering = None
                message = f"cannot reach the replica at {URL}: {error}"
            else:
                message = f"{URL} is not a replica (pg_is_in_recovery() is false)"
            if not recovering:
                pytest.fail(message) if REQUIRED else pytest.skip(message)
        yield
    finally:
        routers.disable()
        connections[REPLICA].close()
        del connections[REPLICA]
        del connections.settings[REPLICA]
        _demo_back(django_db_blocker)


def _demo_back(django_db_blocker) -> None:
    """The transactional tests' flush emptied the database: the demo district comes back for
    the tests after this module, which expect it as the run's setup left it."""
    from xiaoan.indicators.builtin import ensure_builtin
    from xiaoan.orgs.demo import load_demo

    with django_db_blocker.unblock():
        if not Unit.objects.exists():
            load_demo()
            ensure_builtin()


@replica_db
def test_it_replicates_from_the_primary_and_refuses_writes(units):
    assert _ask(REPLICA, "select pg_is_in_recovery()") is True
    assert _ask(REPLICA, "select current_database()") == _ask(
        "default", "select current_database()"
    )
    assert _ask(REPLICA, "select inet_server_port()") != _ask(
        "default", "select inet_server_port()"
    )
    Unit.objects.filter(pk=units["梁子湖区教育局"].pk).update(name="梁子湖区教育局（副本）")
    wait_for_replay()
    assert Unit.objects.using(REPLICA).get(pk=units["梁子湖区教育局"].pk).name.endswith("（副本）")
    with pytest.raises(DatabaseError, match="read-only"):
        Unit.objects.using(REPLICA).filter(pk=units["梁子湖区教育局"].pk).update(name="改名")


def _table(sql: str) -> str:
    """The table a query reads first (a subquery may join others)."""
    found = re.search(r'FROM "(\w+)"', sql)
    return found.group(1) if found else ""


@replica_db
def test_it_reads_dashboards_and_exports_from_the_replica_and_the_ledger_from_the_primary(
    client_for,
):
    client = client_for("district_officer")
    wait_for_replay()
    for path in [
        "/reports/",
        "/reports/export.xlsx",
        "/api/dashboard/",
        "/hazards/export/problems/",
    ]:
        with (
            CaptureQueriesContext(connections[REPLICA]) as on_replica,
            CaptureQueriesContext(connections["default"]) as on_primary,
        ):
            response = client.get(path)
        assert response.status_code == 200, path
        assert on_replica, path
        tables = {_table(q["sql"]) for q in on_replica}
        # Who is asking, and what they may do, is read from the primary.
        assert not {t for t in tables if t.startswith(("accounts_", "django_session"))}, path
        assert any(_table(q["sql"]) == "django_session" for q in on_primary), path
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        assert client.get("/hazards/").status_code == 200
    assert len(on_replica) == 0  # the ledger one works from reads one's own edits


@replica_db
def test_it_reads_its_own_write_from_the_primary(units):
    school = units["梁子湖区教育局"]
    wait_for_replay()
    with unit_of_work(), lagging_reads():
        with CaptureQueriesContext(connections[REPLICA]) as before:
            assert Unit.objects.get(pk=school.pk).name == school.name
        assert len(before) == 1
        Unit.objects.filter(pk=school.pk).update(name="刚改的名字")
        # No wait for the replica: the read after the write must come from the primary.
        with CaptureQueriesContext(connections[REPLICA]) as after:
            assert Unit.objects.get(pk=school.pk).name == "刚改的名字"
        assert len(after) == 0
