"""Sending notifications: one row per recipient in the inbox, and email.

Two rules hold for every producer without it doing anything:
- nobody is told of their own action: the actor (passed to `notify`, or the person of the
  request/job wrapped in `grouped`) is left out;
- what one action sends one person is one notice: inside `grouped` (every web request and the
  daily jobs run in one), a person's notices are merged into one listing them all.
Email follows each person's preference: each notice, a daily digest (`send_digests`), or none.
Account security notices (`Notification.Kind.SECURITY`) are the exception: emailed at once to
whoever has an address, never merged into a grouped notice nor held for the digest (a reset
password the owner did not ask for cannot wait until the evening).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.notifications.models import Notification, Preference

# How many items a grouped notice lists in its text (the inbox lists them all).
BODY_ITEMS = 20


@dataclass
class _Batch:
    actor: Callable[[], Any] | None
    ids: list[int] = field(default_factory=list)

    def actor_pk(self) -> Any:
        actor = self.actor() if self.actor else None
        return getattr(actor, "pk", None) if getattr(actor, "is_authenticated", True) else None


_batch: ContextVar[_Batch | None] = ContextVar("notification_batch", default=None)


@contextlib.contextmanager
def grouped(actor: Any = None) -> Iterator[None]:
    """One action: each person gets one notice for everything sent inside, the actor none.
    `actor` may be a callable (a request's user is known only once authenticated). Nested
    blocks join the outer one."""
    if _batch.get() is not None:
        yield
        return
    getter = actor if callable(actor) else (lambda: actor)
    token = _batch.set(_Batch(getter))
    try:
        yield
    finally:
        batch = _batch.get()
        _batch.reset(token)
        if batch is not None and batch.ids:
            _flush(batch.ids)


def notify(
    recipients: Iterable[Any],
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    *,
    actor: Any = None,
) -> int:
    """Queue the message for each distinct active recipient but the actor; emails go out
    after commit (inside `grouped`, once per person when the action ends)."""
    batch = _batch.get()
    skip = {getattr(actor, "pk", None), batch.actor_pk() if batch else None} - {None}
    people = {p.pk: p for p in recipients if p is not None and p.is_active and p.pk not in skip}
    if not people:
        return 0
    rows = Notification.objects.bulk_create(
        Notification(recipient_id=pk, kind=kind, title=title[:200], body=body, url=url)
        for pk in people
    )
    if kind == Notification.Kind.SECURITY:
        _email_each(rows, always=True)
    elif batch is not None:
        batch.ids += [row.pk for row in rows]
    else:
        _email_each(rows)
    return len(rows)


def _flush(ids: list[int]) -> None:
    """Merge each person's notices of one action into one, then email them."""
    by_person: dict[int, list[Notification]] = defaultdict(list)
    # Rows of a rolled-back transaction are gone: only what really happened is sent.
    for row in Notification.objects.filter(pk__in=ids).order_by("pk"):
        by_person[row.recipient_id].append(row)
    kept = []
    with transaction.atomic():
        for rows in by_person.values():
            kept.append(_merge(rows) if len(rows) > 1 else rows[0])
    _email_each(kept)


def _merge(rows: list[Notification]) -> Notification:
    first = rows[0]
    items = [{"kind": r.kind, "title": r.title, "body": r.body, "url": r.url} for r in rows]
    titles = list(dict.fromkeys(r.title for r in rows))
    urls = {r.url for r in rows}
    kinds = {r.kind for r in rows}
    n = len(rows)
    if len(titles) == 1:
        title = _("%(title)s（%(n)d 条）") % {"title": titles[0][:180], "n": n}
        lines = [r.body.splitlines()[0] if r.body else r.title for r in rows]
    else:
        title = _("%(title)s 等 %(n)d 条消息") % {"title": titles[0][:180], "n": n}
        lines = [f"{r.title}：{r.body.splitlines()[0]}" if r.body else r.title for r in rows]
    body = "\n".join(f"· {line}" for line in lines[:BODY_ITEMS])
    if n > BODY_ITEMS:
        body += "\n" + _("……另有 %(n)d 条，请到消息页查看。") % {"n": n - BODY_ITEMS}
    first.title = title[:200]
    first.body = body
    first.url = urls.pop() if len(urls) == 1 else ""
    first.kind = kinds.pop() if len(kinds) == 1 else Notification.Kind.OTHER
    first.items = items
    first.item_keys = "".join(f"\n{r.kind} {r.url}" for r in rows) + "\n"
    first.save(update_fields=["title", "body", "url", "kind", "items", "item_keys"])
    Notification.objects.filter(pk__in=[r.pk for r in rows[1:]]).delete()
    return first


def was_notified(user: Any, kind: str, url: str) -> bool:
    """Whether the person already has a notice of this kind pointing there, alone or within
    a grouped one (reminders are sent once)."""
    return Notification.objects.filter(
        Q(kind=kind, url=url) | Q(item_keys__contains=f"\n{kind} {url}\n"), recipient=user
    ).exists()


def email_choice(user: Any) -> str:
    pref = Preference.objects.filter(user_id=user.pk).values_list("email", flat=True).first()
    return pref or Preference.Email.EACH


def _email_each(rows: Iterable[Notification], *, always: bool = False) -> None:
    """One email per notice to those who want each one (not digest or no-email people);
    `always`: to everyone with an address (security notices)."""
    rows = list(rows)
    if not rows:
        return
    from xiaoan.accounts.models import User

    quiet = set()
    if not always:
        quiet = set(
            Preference.objects.filter(
                user_id__in={r.recipient_id for r in rows}, email__in=["digest", "none"]
            ).values_list("user_id", flat=True)
        )
    addresses = dict(
        User.objects.filter(pk__in={r.recipient_id for r in rows} - quiet)
        .exclude(email="")
        .values_list("pk", "email")
    )
    if not addresses:
        return
    from xiaoan.notifications.tasks import send_email

    for row in rows:
        if row.recipient_id in addresses:
            to, subject, text = [addresses[row.recipient_id]], row.title, _email_text(row)
            transaction.on_commit(
                lambda to=to, subject=subject, text=text: send_email(to, subject, text)
            )


def _email_text(row: Notification) -> str:
    parts = [row.body]
    if row.items and not row.url:
        parts += [f"{item['title']}  {item['url']}" for item in row.items if item.get("url")]
    parts.append(row.url)
    return "\n\n".join(p for p in parts if p).strip()


# ---------------------------------------------------------------- preferences and digest


def set_email_choice(user: Any, choice: str) -> Preference:
    from xiaoan.core.errors import Invalid

    if choice not in Preference.Email.values:
        raise Invalid(fields={"email": [_("请选择邮件提醒方式。")]})
    pref, _created = Preference.objects.update_or_create(user=user, defaults={"email": choice})
    return pref


def send_digests(now: dt.datetime | None = None) -> dict[str, int]:
    """One email to each person who chose the digest, with their notices still unread since
    their last digest (the past day at most). Safe to run twice: the second sends nothing.
    Security notices were emailed when they happened and are not repeated."""
    from xiaoan.notifications.tasks import send_email

    now = now or timezone.now()
    day_ago = now - dt.timedelta(days=1)
    sent = 0
    prefs = Preference.objects.filter(
        email=Preference.Email.DIGEST, user__is_active=True
    ).select_related("user")
    for pref in prefs:
        since = max(pref.digest_sent_at or day_ago, day_ago)
        rows = list(
            Notification.objects.filter(
                recipient_id=pref.user_id,
                read_at__isnull=True,
                created_at__gt=since,
                created_at__lte=now,
            )
            .exclude(kind=Notification.Kind.SECURITY)
            .order_by("created_at", "id")
        )
        pref.digest_sent_at = now
        pref.save(update_fields=["digest_sent_at"])
        if not rows or not pref.user.email:
            continue
        subject = _("今日消息汇总（%(n)d 条未读）") % {"n": len(rows)}
        send_email([pref.user.email], subject, digest_text(rows))
        sent += 1
    return {"digests": sent}


def digest_text(rows: list[Notification]) -> str:
    inbox = reverse("notifications:inbox")
    blocks = []
    for row in rows:
        when = timezone.localtime(row.created_at).strftime("%H:%M")
        lines = [f"【{when}】{row.title}"]
        if row.body:
            lines.append(row.body)
        if row.url:
            lines.append(row.url)
        blocks.append("\n".join(lines))
    footer = _("全部消息：%(url)s") % {"url": inbox}
    return "\n\n".join([*blocks, footer])


def mark_read(user: Any, ids: Iterable[int] | None = None) -> int:
    query = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        query = query.filter(pk__in=list(ids))
    return query.update(read_at=timezone.now())


def unread_count(user: Any) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
