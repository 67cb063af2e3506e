"""Scheduled inspection jobs (huey): the daily generation of the schedules' current periods."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from xiaoan.inspections import schedules


@db_periodic_task(crontab(hour="0", minute="30"))
@lock_task("inspections-generate")
def daily_generation() -> int:
    """Create the current period's inspections of every active schedule. Generation is
    idempotent; the lock keeps two workers from doing the same work at once."""
    return sum(r.created for r in schedules.generate_all())
