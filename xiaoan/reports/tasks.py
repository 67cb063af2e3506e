"""Scheduled dashboard job (huey): the nightly recount of every app's rollup."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from xiaoan.reports import rollups


@db_periodic_task(crontab(hour="1", minute="40"))
@lock_task("reports-rollups")
def nightly_reconcile() -> dict[str, int]:
    """Recount every rollup after the apps' daily passes (their day-relative counters, such
    as overdue, move with the date); returns how many rows each kind had wrong."""
    return {kind: rollups.reconcile(kind) for kind in rollups.tallies()}
