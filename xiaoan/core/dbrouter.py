"""Reads that may lag go to the streaming replica (`XIAOAN_READ_DATABASE_URL`, alias
"replica"); everything else stays on the primary.

Opt-in only: a read goes to the replica inside `lagging_reads()` (a context manager and a
decorator), which `ReadRoutingMiddleware` enters for the dashboards, rankings, exports and
printed reports named in `lagging_view()`. Even there the primary answers
- once the request (or job) has written anything: one sees one's own writes;
- inside a transaction on the primary: it must read what it is about to write against;
- for accounts, sessions, permissions and lockouts: a revoked role or a new session must
  count at once, not a replication delay later.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
PRIMARY_ONLY_APPS = frozenset(
    {
        "accounts",
        "auth",
        "sessions",
        "contenttypes",
        "admin",
        "axes",
        "django_otp",
        "otp_totp",
        "otp_static",
    }
)
# URL names of GET pages that only show figures: the 一张图 dashboard and what it prints,
# the ranking and coverage pages. Exports are matched by name below.
LAGGING_VIEWS = frozenset(
    {
        "reports:dashboard",
        "reports:dashboard_brief",
        "reports:dashboard_export",
        "reports:map_data",
        "api:dashboard",
        "activities:coverage",
        "cameras:coverage",
        "inspections:coverage",
        "training:coverage",
        "api:activity-coverage",
        "api:camera-coverage",
        "api:inspection-coverage",
        "api:report-docx",
        "api:report-pdf",
    }
)
_EXPORT_NAME = re.compile(r"[:_-](export|xlsx|word|pdf)$")


@dataclass
class _Unit:
    """One request or job: whether it opted in, and whether it has written."""

    lagging: int = 0
    wrote: bool = False


_unit: ContextVar[_Unit | None] = ContextVar("xiaoan_db_unit", default=None)


@contextmanager
def unit_of_work() -> Iterator[None]:
    """A fresh request or job: nothing opted in, nothing written yet."""
    token = _unit.set(_Unit())
    try:
        yield
    finally:
        _unit.reset(token)


@contextmanager
def lagging_reads() -> Iterator[None]:
    """Reads inside may come from the replica, until something is written. Outside a request
    (a job, a command) it opens its own unit of work, so writes made before it are not seen:
    a job that writes first should enter it before, not after."""
    unit = _unit.get()
    token = None
    if unit is None:
        unit = _Unit()
        token = _unit.set(unit)
    unit.lagging += 1
    try:
        yield
    finally:
        unit.lagging -= 1
        if token is not None:
            _unit.reset(token)


def lagging_view(request) -> bool:
    """Whether the resolved view of `request` may read lagging data."""
    if request.method not in ("GET", "HEAD") or request.resolver_match is None:
        return False
    name = request.resolver_match.view_name
    return name in LAGGING_VIEWS or bool(_EXPORT_NAME.search(name))


def replica_configured() -> bool:
    return REPLICA in connections.settings


def reading_replica() -> bool:
    """Whether a read of an ordinary model would go to the replica now."""
    unit = _unit.get()
    return bool(
        unit is not None
        and unit.lagging
        and not unit.wrote
        and replica_configured()
        and not connections[DEFAULT_DB_ALIAS].in_atomic_block
    )


class ReadReplicaRouter:
    """Registered in DATABASE_ROUTERS only when XIAOAN_READ_DATABASE_URL is set."""

    def db_for_read(self, model, **hints):
        if model._meta.app_label in PRIMARY_ONLY_APPS or not reading_replica():
            return DEFAULT_DB_ALIAS
        return REPLICA

    def db_for_write(self, model, **hints):
        unit = _unit.get()
        if unit is not None:
            unit.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        pair = {obj1._state.db or DEFAULT_DB_ALIAS, obj2._state.db or DEFAULT_DB_ALIAS}
        return True if pair <= {DEFAULT_DB_ALIAS, REPLICA} else None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


class ReadRoutingMiddleware:
    """Each request is its own unit of work; the views `lagging_view` names opt in. First in
    the chain, so a write by any later middleware (a session, a lockout) counts."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with unit_of_work():
            return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        unit = _unit.get()
        if unit is not None and lagging_view(request):
            unit.lagging += 1  # for the rest of this request; the unit ends with it
        return None
