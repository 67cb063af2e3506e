"""Scheduled risk job (huey): the daily re-assessment pass."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from xiaoan.risks import reassessment


@db_periodic_task(crontab(hour="1", minute="30"))
@lock_task("risks-daily")
def daily_risk_pass() -> dict[str, int]:
    """Flag for re-assessment the risk points whose linked hazards became 重大 or recurring
    (after the hazards' own daily pass at 01:10, which marks recurrence)."""
    return reassessment.daily()
