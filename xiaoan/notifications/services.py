"""Sending notifications: one row per recipient in the inbox, and an email job."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from xiaoan.notifications.models import Notification


def notify(recipients: Iterable[Any], kind: str, title: str, body: str = "", url: str = "") -> int:
    """Queue the message for each distinct active recipient; emails go out after commit."""
    people = {p.pk: p for p in recipients if p is not None and p.is_active}
    if not people:
        return 0
    rows = Notification.objects.bulk_create(
        Notification(recipient_id=pk, kind=kind, title=title[:200], body=body, url=url)
        for pk in people
    )
    emails = sorted({p.email for p in people.values() if p.email})
    if emails:
        from xiaoan.notifications.tasks import send_email

        transaction.on_commit(lambda: send_email(emails, title, f"{body}\n\n{url}".strip()))
    return len(rows)


def mark_read(user: Any, ids: Iterable[int] | None = None) -> int:
    query = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        query = query.filter(pk__in=list(ids))
    return query.update(read_at=timezone.now())


def unread_count(user: Any) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
