"""Scheduled hazard jobs (huey): the daily deadline pass, the cleanup of abandoned photos."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from xiaoan.core import pending
from xiaoan.hazards import services


@db_periodic_task(crontab(hour="1", minute="10"))
@lock_task("hazards-daily")
def daily_deadline_pass() -> dict[str, int]:
    """Mark overdue hazards, warn of due dates, supervise long-overdue ones. The lock keeps
    two workers (several app servers) from running it at once. It also reconciles the
    ledger's tally."""
    return services.daily()


@db_periodic_task(crontab(hour="3", minute="40"))
@lock_task("hazards-pending-cleanup")
def clean_pending_photos() -> int:
    """Photos kept for a refused 随手拍 form that was never sent again: deleted after a day."""
    return pending.clean_abandoned()
