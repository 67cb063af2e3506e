"""Scheduled core jobs (huey): the registers' due-date warnings (xiaoan.core.register_due),
the cleanup of photos kept for forms never sent again (xiaoan.core.pending)."""

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


@db_periodic_task(crontab(hour="3", minute="40"))
@lock_task("pending-photos-cleanup")
def clean_pending_photos() -> int:
    """Photos kept for a refused form (随手拍, a monthly fire check) that was never sent
    again: deleted after a day."""
    from xiaoan.core import pending

    return pending.clean_abandoned()
