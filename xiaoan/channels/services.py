"""Channels and deliveries: who may set up a unit's robots and SMS lists, which channels a
message goes to, and sending each delivery once with retries.

Producers (alerts, hazards…) call `dispatch` inside their own transaction: the delivery rows
are written with their change and sent by the job queue after commit. A delivery is claimed
by a conditional UPDATE (status still pending, no live claim) before each attempt, so a
retried or duplicated job never sends a message twice; a sent one is never sent again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import time
import urllib.parse
import uuid
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.channels import platforms
from xiaoan.channels.choices import (
    ROBOTS,
    SEVERITY_RANK,
    SIGNED,
    TEST_CATEGORY,
    Category,
    ChannelKind,
    DeliveryStatus,
    Severity,
)
from xiaoan.channels.models import Channel, Delivery
from xiaoan.channels.sms import SmsError, get_backend
from xiaoan.core.errors import Forbidden, Invalid, field_error
from xiaoan.core.history import stamp
from xiaoan.core.ids import record_id
from xiaoan.core.memo import remembered
from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.core.services import ensure_in_scope, get_scoped
from xiaoan.orgs.models import Unit, ancestor_paths

logger = logging.getLogger("xiaoan.channels")

ADD = "channels.add_channel"
CHANGE = "channels.change_channel"
MOBILE = re.compile(r"^1[3-9]\d{9}$")
MAX_NUMBERS = 20
# A pending delivery no job has picked up after this long (its job was lost with a killed
# worker) is picked up by the periodic sweep.
STRANDED_AFTER = dt.timedelta(minutes=2)
# How long a sent message waits for the database to be back to record it.
RECORD_FOR = dt.timedelta(minutes=2)


# ---------------------------------------------------------------- showing


def mask_mobile(number: str) -> str:
    return number[:3] + "****" + number[-4:] if len(number) >= 7 else "****"


def masked_target(channel: Channel) -> str:
    """What pages and the API show of the address: the robot's host (its key stays hidden),
    the numbers with their middle digits hidden."""
    target = channel.target or ""
    if channel.kind == ChannelKind.SMS:
        return "，".join(mask_mobile(n) for n in target.split(",") if n)
    parts = urllib.parse.urlsplit(target)
    return f"{parts.scheme}://{parts.netloc}/…" if parts.netloc else "…"


# ---------------------------------------------------------------- managing


def managing_units(actor: Any):
    return Unit.objects.with_permission(actor, ADD).filter(is_active=True)


def parse_numbers(text: Any) -> list[str]:
    if not isinstance(text, str):
        raise field_error(_("手机号须为文本，多个号码用逗号分隔。"), "target")
    numbers: list[str] = []
    for raw in re.split(r"[,，;；、\s]+", text.strip()):
        if not raw:
            continue
        if not MOBILE.match(raw):
            raise field_error(_("“%(n)s”不是有效的手机号。") % {"n": raw[:20]}, "target")
        if raw not in numbers:
            numbers.append(raw)
    if not numbers:
        raise field_error(_("请填写至少一个手机号。"), "target")
    if len(numbers) > MAX_NUMBERS:
        raise field_error(_("每个短信渠道最多 %(n)d 个手机号。") % {"n": MAX_NUMBERS}, "target")
    return numbers


def clean_target(kind: str, target: Any) -> str:
    if kind == ChannelKind.SMS:
        return ",".join(parse_numbers(target))
    if not isinstance(target, str) or not target.strip():
        raise field_error(_("请填写 Webhook 地址。"), "target")
    if len(target) > 1000:
        raise field_error(_("Webhook 地址不能超过 1000 个字符。"), "target")
    try:
        return platforms.check_url(target)
    except platforms.Refused as refused:
        raise field_error(str(refused), "target") from None


def clean_secret(kind: str, secret: Any) -> str:
    if secret in (None, ""):
        return ""
    if not isinstance(secret, str) or len(secret.strip()) > 200:
        raise field_error(_("加签密钥须为不超过 200 个字符的文本。"), "secret")
    if kind not in SIGNED:
        raise field_error(_("该类型的渠道不使用加签密钥。"), "secret")
    return secret.strip()


def clean_categories(categories: Any) -> list[str]:
    if categories in (None, ""):
        return []
    if not isinstance(categories, list | tuple) or not all(isinstance(c, str) for c in categories):
        raise field_error(_("接收类别须为类别代码的列表。"), "categories")
    unknown = [c for c in categories if c not in Category.values]
    if unknown:
        raise field_error(_("未知的接收类别：%(c)s") % {"c": unknown[0][:30]}, "categories")
    return [c for c in Category.values if c in categories]


def _clean_common(data: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "name" in data:
        name = " ".join(str(data["name"] or "").split()) if isinstance(data["name"], str) else ""
        if not name:
            raise field_error(_("请填写名称。"), "name")
        if len(name) > 60:
            raise field_error(_("名称不能超过 60 个字。"), "name")
        out["name"] = name
    if "min_severity" in data:
        if data["min_severity"] not in Severity.values:
            raise field_error(_("请选择最低级别。"), "min_severity")
        out["min_severity"] = data["min_severity"]
    if "categories" in data:
        out["categories"] = clean_categories(data["categories"])
    for flag in ("include_subtree", "is_active"):
        if flag in data:
            if not isinstance(data[flag], bool):
                raise field_error(_("请选择是或否。"), flag)
            out[flag] = data[flag]
    return out


@transaction.atomic
def create_channel(
    actor: Any,
    *,
    unit: Any,
    kind: str,
    name: str,
    target: str,
    secret: str = "",
    min_severity: str = Severity.WARNING,
    categories: Iterable[str] = (),
    include_subtree: bool = False,
    is_active: bool = True,
) -> Channel:
    if not has_permission_anywhere(actor, ADD):
        raise Forbidden()
    unit_id = getattr(unit, "pk", unit)
    found = (
        managing_units(actor).filter(pk=unit_id).first()
        if str(unit_id or "").isdigit() and len(str(unit_id)) < 20
        else None
    )
    if found is None:
        raise field_error(_("单位不存在或不在您的管理范围内。"), "unit")
    if kind not in ChannelKind.values:
        raise field_error(_("请选择渠道类型。"), "kind")
    fields = _clean_common(
        {
            "name": name,
            "min_severity": min_severity,
            "categories": list(categories) if isinstance(categories, tuple) else categories,
            "include_subtree": include_subtree,
            "is_active": is_active,
        }
    )
    channel = Channel(
        unit=found,
        kind=kind,
        target=clean_target(kind, target),
        secret=clean_secret(kind, secret),
        created_by=actor,
        **fields,
    )
    stamp(channel, actor)
    channel.save()
    ensure_in_scope(actor, channel, "add")
    return channel


@transaction.atomic
def update_channel(actor: Any, pk: Any, **changes: Any) -> Channel:
    """Change what is given; `target` or `secret` left empty keep the stored value (they are
    never shown back), `clear_secret` removes the secret. Unit and kind stay."""
    channel = get_scoped(actor, Channel, record_id(pk), "change")
    channel = Channel.objects.select_for_update().get(pk=channel.pk)
    fields = _clean_common(changes)
    if changes.get("target"):
        fields["target"] = clean_target(channel.kind, changes["target"])
    if changes.get("clear_secret"):
        fields["secret"] = ""
    elif changes.get("secret"):
        fields["secret"] = clean_secret(channel.kind, changes["secret"])
    for name, value in fields.items():
        setattr(channel, name, value)
    stamp(channel, actor)
    channel.save()
    ensure_in_scope(actor, channel, "change")
    return channel


def set_active(actor: Any, pk: Any, active: bool) -> Channel:
    return update_channel(actor, pk, is_active=active)


# ---------------------------------------------------------------- routing


def receiving(unit: Unit, category: str, severity: str) -> list[Channel]:
    """The active channels of `unit`, and of the units above it that take their subtree's
    messages, that receive `category` at `severity`."""
    above = ancestor_paths(unit.path, include_self=False)
    rank = SEVERITY_RANK[severity]
    channels = remembered(
        ("channels.active", unit.pk),
        lambda: list(
            Channel.objects.filter(is_active=True)
            .filter(Q(unit_id=unit.pk) | Q(unit__path__in=above, include_subtree=True))
            .order_by("pk")
        ),
    )
    return [
        c
        for c in channels
        if SEVERITY_RANK.get(c.min_severity, 0) <= rank
        and (not c.categories or category in c.categories)
    ]


def _key(key: str | None) -> str:
    if not key:
        return uuid.uuid4().hex
    key = str(key)
    return key if len(key) <= 100 else "sha256:" + hashlib.sha256(key.encode()).hexdigest()


def dispatch(
    *,
    unit: Any,
    category: str,
    severity: str,
    subject: str,
    body: str,
    url: str = "",
    key: str | None = None,
    ref: str = "",
) -> list[Delivery]:
    """Record a delivery per receiving channel in the caller's transaction and send them
    after it commits. The same `key` again (a retried producer) makes no new rows: the
    deliveries already recorded for it are returned and nothing is sent twice."""
    if severity not in Severity.values:
        raise ValueError(f"unknown severity {severity!r}")
    if not isinstance(unit, Unit):
        unit = Unit.objects.get(pk=unit)
    channels = receiving(unit, category, severity)
    if not channels:
        return []
    key = _key(key)
    Delivery.objects.bulk_create(
        [
            Delivery(
                channel=c,
                unit_id=c.unit_id,
                category=str(category)[:30],
                severity=severity,
                subject=str(subject)[:200],
                body=str(body),
                url=str(url)[:500],
                ref=str(ref)[:60],
                key=key,
            )
            for c in channels
        ],
        ignore_conflicts=True,
    )
    deliveries = list(
        Delivery.objects.filter(channel__in=channels, key=key).select_related("channel")
    )
    pending = [d.pk for d in deliveries if d.status == DeliveryStatus.PENDING]
    if pending:
        transaction.on_commit(lambda: enqueue(pending))
    return deliveries


def enqueue(ids: Iterable[int]) -> None:
    from xiaoan.channels.tasks import deliver

    for pk in ids:
        deliver(pk)


# ---------------------------------------------------------------- sending


def backoff(attempts: int) -> dt.timedelta:
    """30 s, 1 min, 2 min … up to an hour between attempts."""
    return dt.timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


def _message(delivery: Delivery) -> platforms.Message:
    label = str(Severity(delivery.severity).label) if delivery.severity in Severity.values else ""
    return platforms.Message(delivery.subject, delivery.body, delivery.url, label)


def _send(delivery: Delivery) -> platforms.Outcome:
    channel = delivery.channel
    message = _message(delivery)
    if channel.kind == ChannelKind.SMS:
        numbers = [n for n in channel.target.split(",") if n]
        try:
            get_backend().send(numbers, platforms.sms_text(message))
        except SmsError as error:
            return platforms.Outcome(False, None, str(error)[:500])
        except Exception as error:  # a gateway's own bug must not lose the delivery
            logger.exception("SMS backend failed")
            return platforms.Outcome(False, None, type(error).__name__)
        return platforms.Outcome(True)
    if channel.kind not in ROBOTS:
        return platforms.Outcome(False, None, _("未知的渠道类型"))
    url, body = platforms.request_for(channel.kind, channel.target, channel.secret, message)
    return platforms.post(url, body, settings.XIAOAN_CHANNEL_TIMEOUT)


def _lease() -> dt.timedelta:
    # Longer than any one attempt can take (DNS, connect and read each within the timeout).
    return dt.timedelta(seconds=settings.XIAOAN_CHANNEL_TIMEOUT * 3 + 30)


def claim(pk: int, now: dt.datetime) -> bool:
    """Take the delivery for one attempt: one conditional UPDATE, so of two jobs for the same
    delivery only one gets it, and a sent or failed one is never taken."""
    free = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    return bool(
        Delivery.objects.filter(free, pk=pk, status=DeliveryStatus.PENDING).update(
            claimed_until=now + _lease(), attempts=F("attempts") + 1
        )
    )


def attempt(pk: int, *, final: bool = False) -> Delivery | None:
    """One attempt at sending delivery `pk`; None when it is not ours to send (sent, failed,
    or another worker is at it). A failure is retried later (`next_attempt_at`) until
    XIAOAN_CHANNEL_MAX_ATTEMPTS, or at once marked failed when `final`."""
    now = timezone.now()
    if not claim(pk, now):
        return None
    delivery = Delivery.objects.select_related("channel").get(pk=pk)
    if not delivery.channel.is_active and delivery.category != TEST_CATEGORY:
        outcome = platforms.Outcome(False, None, _("渠道已停用"))
        final = True
    else:
        try:
            outcome = _send(delivery)
        except Exception as error:  # recorded and retried like any failure, never lost
            logger.exception("sending delivery %s failed", pk)
            outcome = platforms.Outcome(False, None, type(error).__name__)
    done = timezone.now()
    fields: dict[str, Any] = {
        "claimed_until": None,
        "response_code": outcome.code,
        "last_error": outcome.error[:500],
    }
    if outcome.ok:
        fields.update(status=DeliveryStatus.SENT, sent_at=done, next_attempt_at=None)
    elif final or delivery.attempts >= settings.XIAOAN_CHANNEL_MAX_ATTEMPTS:
        fields.update(status=DeliveryStatus.FAILED, next_attempt_at=None)
    else:
        fields.update(next_attempt_at=done + backoff(delivery.attempts))
    _record(pk, fields)
    for name, value in fields.items():
        setattr(delivery, name, value)
    return delivery


def _record(pk: int, fields: dict[str, Any]) -> None:
    """Write an attempt's outcome. The message has gone out: if the database is away for a
    moment (a restart), keep trying for `RECORD_FOR` rather than leave it to be sent again
    when its lease runs out."""
    deadline = time.monotonic() + RECORD_FOR.total_seconds()
    while True:
        try:
            Delivery.objects.filter(pk=pk).update(**fields)
            return
        except (OperationalError, InterfaceError):
            if connection.in_atomic_block or time.monotonic() > deadline:
                raise
            logger.warning("recording delivery %s: the database is away, trying again", pk)
            connection.close()
            time.sleep(1)


def due(now: dt.datetime | None = None, limit: int = 500) -> list[int]:
    """Pending deliveries to try now: their retry time has come, or their job was lost."""
    now = now or timezone.now()
    free = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    waiting = Q(next_attempt_at__lte=now) | Q(
        next_attempt_at__isnull=True, created_at__lte=now - STRANDED_AFTER
    )
    return list(
        Delivery.objects.filter(free, waiting, status=DeliveryStatus.PENDING)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def send_test(actor: Any, pk: Any) -> Delivery:
    """Send a test message to the channel now (whatever its routing) and return the result;
    a failed test is not retried."""
    channel = get_scoped(actor, Channel, record_id(pk), "change")
    if not channel.is_active:
        raise Invalid(_("渠道已停用，请先启用再发送测试消息。"))
    delivery = Delivery.objects.create(
        channel=channel,
        unit_id=channel.unit_id,
        category=TEST_CATEGORY,
        severity=Severity.INFO,
        subject=_("校安平台测试消息"),
        body=_("收到这条消息，说明“%(name)s”配置正确。发送人：%(who)s")
        % {"name": channel.name, "who": actor.get_full_name() or actor.get_username()},
        key=f"test:{uuid.uuid4().hex}",
    )
    return attempt(delivery.pk, final=True) or delivery
