"""The read-replica router's decisions, on any database: without a "replica" alias everything
reads the primary; with one, only opted-in reads before any write, outside a transaction, of
models other than accounts and sessions. The real replica: test_dbrouter_replica.py."""

from __future__ import annotations

import os
import threading

import pytest
from django.conf import settings
from django.db import connections
from django.test import RequestFactory
from django.urls import URLResolver, get_resolver, resolve

from xiaoan.accounts.models import User
from xiaoan.core import dbrouter
from xiaoan.core.dbrouter import (
    REPLICA,
    ReadReplicaRouter,
    ReadRoutingMiddleware,
    lagging_reads,
    unit_of_work,
)
from xiaoan.hazards.models import Hazard

router = ReadReplicaRouter()


@pytest.fixture
def with_replica(monkeypatch):
    """As if XIAOAN_READ_DATABASE_URL were set: the decisions only, no query is made."""
    monkeypatch.setattr(dbrouter, "replica_configured", lambda: True)


def test_it_reads_the_primary_when_no_replica_is_configured():
    assert REPLICA not in settings.DATABASES
    with lagging_reads():
        assert router.db_for_read(Hazard) == "default"
    if not os.environ.get("XIAOAN_READ_DATABASE_URL"):
        assert not getattr(settings, "DATABASE_ROUTERS", [])


def test_it_reads_the_replica_only_inside_the_opt_in(with_replica):
    assert router.db_for_read(Hazard) == "default"
    with lagging_reads():
        assert router.db_for_read(Hazard) == REPLICA
        with lagging_reads():  # nested: still opted in, and after the inner one ends
            assert router.db_for_read(Hazard) == REPLICA
        assert router.db_for_read(Hazard) == REPLICA
    assert router.db_for_read(Hazard) == "default"


def test_it_reads_the_primary_for_the_rest_of_the_unit_once_it_wrote(with_replica):
    with unit_of_work():
        with lagging_reads():
            assert router.db_for_read(Hazard) == REPLICA
            assert router.db_for_write(Hazard) == "default"
            assert router.db_for_read(Hazard) == "default"
        with lagging_reads():  # a second opt-in in the same request: still written
            assert router.db_for_read(Hazard) == "default"
    with unit_of_work(), lagging_reads():  # the next request starts clean
        assert router.db_for_read(Hazard) == REPLICA


def test_it_counts_a_write_made_before_the_opt_in(with_replica):
    with unit_of_work():
        router.db_for_write(Hazard)
        with lagging_reads():
            assert router.db_for_read(Hazard) == "default"


def test_it_keeps_accounts_and_sessions_on_the_primary(with_replica):
    from django.contrib.sessions.models import Session

    with lagging_reads():
        assert router.db_for_read(User) == "default"
        assert router.db_for_read(Session) == "default"


def test_it_reads_the_primary_inside_a_transaction(with_replica, monkeypatch):
    monkeypatch.setattr(connections["default"], "in_atomic_block", True)
    with lagging_reads():
        assert router.db_for_read(Hazard) == "default"


def test_it_works_as_a_decorator_every_time(with_replica):
    @lagging_reads()
    def where() -> str:
        return router.db_for_read(Hazard)

    assert [where(), where()] == [REPLICA, REPLICA]
    assert router.db_for_read(Hazard) == "default"


def test_it_keeps_one_threads_opt_in_from_another(with_replica):
    seen = []
    with lagging_reads():
        thread = threading.Thread(target=lambda: seen.append(router.db_for_read(Hazard)))
        thread.start()
        thread.join()
        assert router.db_for_read(Hazard) == REPLICA
    assert seen == ["default"]


def test_it_writes_and_migrates_only_on_the_primary():
    assert router.db_for_write(Hazard) == "default"
    assert router.allow_migrate("default", "hazards") is True
    assert router.allow_migrate(REPLICA, "hazards") is False
    primary, copy, other = Hazard(), Hazard(), Hazard()
    copy._state.db, other._state.db = REPLICA, "elsewhere"
    assert router.allow_relation(primary, copy) is True
    assert router.allow_relation(primary, other) is None


def _serve(request, view):
    """The middleware as Django runs it: around the request, process_view before the view."""
    middleware = ReadRoutingMiddleware(
        lambda r: middleware.process_view(r, view, (), {}) or view(r)
    )
    return middleware(request)


def _request(method: str, path: str):
    request = getattr(RequestFactory(), method)(path)
    request.resolver_match = resolve(path)
    return request


@pytest.mark.parametrize(
    "method,path,lagging",
    [
        ("get", "/reports/", True),
        ("get", "/reports/export.xlsx", True),
        ("get", "/reports/brief.pdf", True),
        ("get", "/api/dashboard/", True),
        ("get", "/hazards/export/problems/", True),
        ("get", "/api/hazards/export/", True),
        ("get", "/inspections/coverage/", True),
        ("post", "/reports/export.xlsx", False),  # never a write path
        ("get", "/hazards/", False),  # the ledger one works from: read one's own edits
        ("get", "/", False),
    ],
)
def test_it_opts_in_the_views_that_only_show_figures(with_replica, method, path, lagging):
    seen = []

    def view(request):
        seen.append(router.db_for_read(Hazard))
        return None

    request = _request(method, path)
    _serve(request, view)
    assert seen == [REPLICA if lagging else "default"]
    assert router.db_for_read(Hazard) == "default"  # the request's opt-in ended with it


def test_it_reads_the_primary_after_the_request_wrote(with_replica):
    seen = []

    def view(request):
        seen.append(router.db_for_read(Hazard))
        router.db_for_write(Hazard)  # e.g. the view records that it was used
        seen.append(router.db_for_read(Hazard))

    request = _request("get", "/reports/")
    _serve(request, view)
    assert seen == [REPLICA, "default"]


def _view_names(resolver=None, namespace=None):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _view_names(pattern, inner)
        elif pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_it_names_only_views_that_exist():
    names = set(_view_names())
    assert dbrouter.LAGGING_VIEWS <= names, dbrouter.LAGGING_VIEWS - names
    exports = {n for n in names if dbrouter._EXPORT_NAME.search(n)}
    assert {"hazards:hazard_export", "api:hazard-export", "reports:dashboard_export"} <= exports


def _settings_in(tmp_path, **variables: str):
    """What settings.py makes of these variables, in a fresh process."""
    from xiaoan.core.tests.test_settings_validation import run

    code = (
        "import json; from django.conf import settings as s; "
        "print(json.dumps([s.DATABASES.get('replica'), s.DATABASES['default'], "
        "getattr(s, 'DATABASE_ROUTERS', []), s.MIDDLEWARE[:2]], default=str))"
    )
    return run(tmp_path, "shell", "-c", code, **variables)


def test_it_adds_the_replica_alias_and_router_only_with_the_variable(tmp_path):
    import json

    primary = "postgres://xiaoan@10.0.0.11:5432/xiaoan"
    done = _settings_in(
        tmp_path,
        DATABASE_URL=primary,
        XIAOAN_READ_DATABASE_URL="postgres://reader@10.0.0.12:5433/xiaoan",
        XIAOAN_DB_CONN_MAX_AGE="30",
    )
    assert done.returncode == 0, done.stderr
    replica, default, routers, middleware = json.loads(done.stdout.strip().splitlines()[-1])
    assert (replica["HOST"], replica["PORT"], replica["USER"]) == ("10.0.0.12", 5433, "reader")
    assert replica["CONN_MAX_AGE"] == default["CONN_MAX_AGE"] == 30
    assert replica["CONN_HEALTH_CHECKS"] is True
    assert replica["TEST"]["MIRROR"] == "default"
    assert routers == ["xiaoan.core.dbrouter.ReadReplicaRouter"]
    assert middleware[1] == "xiaoan.core.dbrouter.ReadRoutingMiddleware"
    done = _settings_in(tmp_path, DATABASE_URL=primary)
    assert json.loads(done.stdout.strip().splitlines()[-1])[0::2] == [None, []]
    refused = _settings_in(tmp_path, XIAOAN_READ_DATABASE_URL="postgres://r@h/x")
    assert refused.returncode != 0 and "XIAOAN_READ_DATABASE_URL" in refused.stderr
