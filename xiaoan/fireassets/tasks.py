"""Scheduled job (huey): assets that have expired since yesterday become hazards (once)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task


@db_periodic_task(crontab(hour="1", minute="50"))
@lock_task("fireassets-daily")
def daily_fire_asset_pass() -> int:
    from xiaoan.fireassets.rules import expired_pass

    return expired_pass()
