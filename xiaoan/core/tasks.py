"""Scheduled core job (huey): the registers' due-date warnings (xiaoan.core.register_due)."""

from __future__ import annotations

from typing import Any

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task


@db_periodic_task(crontab(hour="1", minute="40"))
@lock_task("registers-daily")
def daily_register_pass() -> dict[str, Any]:
    """Warn of register dates coming due and just past, once per item and date."""
    from xiaoan.core import register_due

    return register_due.daily()
