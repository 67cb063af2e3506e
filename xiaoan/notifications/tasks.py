from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from huey.contrib.djhuey import task


@task(retries=3, retry_delay=60)
def send_email(recipients: list[str], subject: str, body: str) -> int:
    return send_mail(
        f"【校安】{subject}", body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=False
    )
