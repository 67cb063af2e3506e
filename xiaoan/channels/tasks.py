"""Sending deliveries (xiaoan.channels.services): one job per delivery after the producer's
commit, a retry scheduled after each failure, and a sweep every minute for retries that are
due and jobs lost with a killed worker."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task


@db_task()
def deliver(pk: int) -> str:
    from xiaoan.channels import services
    from xiaoan.channels.choices import DeliveryStatus

    delivery = services.attempt(pk)
    if delivery is None:
        return "skipped"
    if delivery.status == DeliveryStatus.PENDING and delivery.next_attempt_at is not None:
        deliver.schedule((pk,), eta=delivery.next_attempt_at)
    return delivery.status


@db_periodic_task(crontab(minute="*"))
@lock_task("channels-retry-due")
def retry_due() -> int:
    from xiaoan.channels import services

    ids = services.due()
    services.enqueue(ids)
    return len(ids)
