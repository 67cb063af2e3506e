from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task, task


@task(retries=3, retry_delay=60)
def send_email(recipients: list[str], subject: str, body: str) -> int:
    return send_mail(
        f"【校安】{subject}", body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=False
    )


# 17:30 in China: huey reads crontabs in UTC.
@db_periodic_task(crontab(hour="9", minute="30"))
@lock_task("notifications-digest")
def daily_digest() -> dict[str, int]:
    """The evening digest email of those who chose it."""
    from xiaoan.notifications.services import send_digests

    return send_digests()
