"""Jobs (huey): the figures of a large call's drafts, made after it is issued, and a sweep
for drafts a lost job left without them."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task

from xiaoan.reportcalls import services


@db_task()
def fill_drafts(call_id: int, actor_id: int) -> int:
    return services.fill_drafts(call_id, actor_id)


@db_periodic_task(crontab(minute="*/10"))
@lock_task("reportcalls-fill-drafts")
def fill_waiting_drafts() -> int:
    return services.fill_drafts()
