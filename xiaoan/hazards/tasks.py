"""Scheduled hazard job (huey): the daily deadline pass."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from xiaoan.hazards import services


@db_periodic_task(crontab(hour="1", minute="10"))
@lock_task("hazards-daily")
def daily_deadline_pass() -> dict[str, int]:
    """Mark overdue hazards, warn of due dates, supervise long-overdue ones. The lock keeps
    two workers (several app servers) from running it at once. It also reconciles the
    ledger's tally."""
    return services.daily()
