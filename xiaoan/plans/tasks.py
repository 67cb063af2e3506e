"""Scheduled plan jobs (huey): the daily deadline pass."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from xiaoan.plans import services


@db_periodic_task(crontab(hour="1", minute="20"))
@lock_task("plans-daily")
def daily_deadline_pass() -> dict[str, int]:
    """Mark overdue assignments and send due-soon notices. The lock keeps two workers from
    running it at once."""
    return services.daily()
