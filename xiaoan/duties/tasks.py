"""Scheduled duty job (huey): the daily pass over recurring duties."""

from __future__ import annotations

from typing import Any

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from xiaoan.duties import services


@db_periodic_task(crontab(hour="0", minute="50"))
@lock_task("duties-daily")
def daily_duty_pass() -> dict[str, Any]:
    """Generate this period's obligations, decide the pending ones, warn of due-soon and
    missed ones. After the inspections' generation (00:30). The lock keeps two workers
    (several app servers) from running it at once; every step is idempotent anyway."""
    return services.daily()
