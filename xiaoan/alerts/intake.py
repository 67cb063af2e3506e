"""Alerts from outside systems (smoke detectors, smart electricity meters, video analytics,
明厨亮灶 kitchen AI, Prometheus Alertmanager), shared by the API and the pages.

A source is registered at a unit with its own secret, shown once. Two ways in:

- the signed intake: `X-Xiaoan-Source` (the source's key), `X-Xiaoan-Timestamp` (Unix
  seconds, within `WINDOW` of our clock), `Idempotency-Key` and `X-Xiaoan-Signature:
  sha256=<hex>`, the HMAC-SHA256 with the secret of "<timestamp>\\n<key>\\n<body>": the key is
  signed, so a captured request can be neither replayed after the window nor replayed with
  another key; inside the window the same key is answered from its receipt and changes
  nothing;
- the Alertmanager receiver: its standard webhook payload, the source's key and secret as
  HTTP Basic credentials (Alertmanager's `http_config.basic_auth`); a retried webhook (the
  same body) is answered from its receipt.

A request is checked (signature, payload, unit) and acknowledged once its receipt, holding
the checked events, is committed: an acknowledged event is never lost, and a failure before
the commit leaves nothing and tells the sender to retry. The job (`drain`, woken by the
request and every minute) raises the queued receipts' alerts in the order received, so a
burst of events is accepted at the rate the database takes a row, not at the rate alerts are
raised and people told. A known source's payload that is refused is kept (`IntakeRejection`)
with the reasons it was given.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import json
import logging
import secrets
from collections.abc import Mapping
from contextlib import nullcontext
from typing import Any

from django.core.cache import cache
from django.db import IntegrityError, InterfaceError, OperationalError, connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from xiaoan.alerts.choices import AlertStatus, ReceiptState, Severity
from xiaoan.alerts.models import Alert, AlertSource, IntakeReceipt, IntakeRejection
from xiaoan.core import memo
from xiaoan.core.errors import Conflict, Forbidden, Invalid, NotFound, ServiceError
from xiaoan.core.idempotency import clean_key
from xiaoan.core.ids import parse_id, record_id
from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.orgs.models import Unit

VIEW, ADD, CHANGE = "alerts.view_alertsource", "alerts.add_alertsource", "alerts.change_alertsource"
WINDOW = dt.timedelta(minutes=5)
MAX_BODY = 256 * 1024
MAX_BATCH = 500  # alerts in one Alertmanager webhook
MAX_EVENTS = 100  # events in one signed request (a gateway's batch)
SEEN_EVERY = dt.timedelta(minutes=1)
KEEP_REJECTIONS = 1000  # per source
BATCH = 100  # receipts the job raises in one transaction
# A raised receipt answers retries of its key this long, then goes (one row per request would
# otherwise grow without end; a sender retries within minutes, not weeks).
KEEP_RECEIPTS = dt.timedelta(days=30)
WAKE, WAKE_TTL = "alerts:intake:wake", 30
LOCK, LOCK_TTL = "alerts:intake:lock", 30
logger = logging.getLogger(__name__)
SEVERITY_WORDS = {
    "critical": Severity.CRITICAL,
    "emergency": Severity.CRITICAL,
    "page": Severity.CRITICAL,
    "error": Severity.WARNING,
    "warning": Severity.WARNING,
    "warn": Severity.WARNING,
    "info": Severity.INFO,
    "none": Severity.INFO,
}


class Unauthenticated(ServiceError):
    status = 401
    code = "not_authenticated"
    default_message = _("来源认证失败。")


# ---------------------------------------------------------------- sources


def source_units(actor: Any):
    return Unit.objects.with_permission(actor, ADD)


def _new_secret() -> str:
    return secrets.token_urlsafe(32)


def create_source(
    actor: Any, *, unit: Any, name: str, default_kind: str = ""
) -> tuple[AlertSource, str]:
    """A new source and its secret (shown this once)."""
    if not has_permission_anywhere(actor, ADD):
        raise Forbidden()
    pk = unit.pk if isinstance(unit, Unit) else parse_id(unit, "unit")
    owner = source_units(actor).filter(pk=pk).first()
    if owner is None:
        raise Invalid(fields={"unit": [_("请选择您管理范围内的单位。")]})
    name = " ".join(str(name or "").split())[:100]
    if not name:
        raise Invalid(fields={"name": [_("请填写来源名称。")]})
    secret = _new_secret()
    source = AlertSource.objects.create(
        unit=owner,
        name=name,
        key=f"src_{secrets.token_hex(10)}",
        secret=secret,
        default_kind=str(default_kind or "").strip()[:40],
        created_by=actor,
    )
    return source, secret


def load_source(actor: Any, pk: Any, action: str = "view") -> AlertSource:
    pk = record_id(pk)
    found = AlertSource.objects.restrict(actor, action).filter(pk=pk).first()
    if found is None:
        if action != "view" and AlertSource.objects.restrict(actor).filter(pk=pk).exists():
            raise Forbidden()
        raise NotFound()
    return found


def rotate_secret(actor: Any, pk: Any) -> tuple[AlertSource, str]:
    """A new secret (shown this once); the old one stops working at once."""
    with transaction.atomic():
        source = load_source(actor, pk, "change")
        source = AlertSource.objects.select_for_update().get(pk=source.pk)
        secret = _new_secret()
        source.secret, source.rotated_at = secret, timezone.now()
        source.save(update_fields=["secret", "rotated_at"])
    return source, secret


def set_active(actor: Any, pk: Any, active: bool) -> AlertSource:
    source = load_source(actor, pk, "change")
    AlertSource.objects.filter(pk=source.pk).update(is_active=bool(active))
    source.is_active = bool(active)
    return source


# ---------------------------------------------------------------- authenticating


def sign(secret: str, timestamp: str, key: str, body: bytes) -> str:
    """The signature a sender puts in X-Xiaoan-Signature (for senders and tests)."""
    message = f"{timestamp}\n{key}\n".encode() + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def _one_row(sql: str, params: list) -> tuple | None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def _aware(value: Any) -> dt.datetime | None:
    """A datetime column read by hand (SQLite answers text in UTC)."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, dt.UTC)
    return value


def _active_source(key: str) -> AlertSource:
    """The source of a request, with its unit's path. Every intake request starts here, so the
    read is written out: composing it with the ORM cost three times the query itself (see
    `xiaoan bench alerts`); the instance holds only what the intake uses."""
    q = connection.ops.quote_name
    row = _one_row(
        f"SELECT s.id, s.secret, s.name, s.default_kind, s.last_seen_at, s.unit_id, u.path "
        f"FROM {q(AlertSource._meta.db_table)} s JOIN {q(Unit._meta.db_table)} u "
        f"ON u.id = s.unit_id WHERE s.{q('key')} = %s AND s.is_active",
        [str(key or "")[:40]],
    )
    if row is None:
        raise Unauthenticated(_("未知或已停用的来源。"))
    pk, secret, name, default_kind, last_seen, unit_id, path = row
    secret = AlertSource._meta.get_field("secret").from_db_value(secret, None, connection)
    source = AlertSource(
        id=pk, key=key, secret=secret, name=name, default_kind=default_kind,
        last_seen_at=_aware(last_seen), unit_id=unit_id, is_active=True,
    )  # fmt: skip
    source.unit = Unit(id=unit_id, path=path)
    return source


def authenticate_signed(
    headers: Mapping[str, str], body: bytes, now: dt.datetime | None = None
) -> tuple[AlertSource, str]:
    """(the source, the idempotency key) of a signed request, or Unauthenticated."""
    source = _active_source(headers.get("X-Xiaoan-Source", ""))
    stamp = str(headers.get("X-Xiaoan-Timestamp", "")).strip()
    try:
        sent = dt.datetime.fromtimestamp(int(stamp), tz=dt.UTC)
    except (ValueError, OverflowError, OSError):
        raise Unauthenticated(_("缺少或无效的时间戳。")) from None
    if abs((now or timezone.now()) - sent) > WINDOW:
        raise Unauthenticated(_("时间戳不在 5 分钟之内，请求被拒绝。"))
    key = clean_key(headers.get("Idempotency-Key"))
    if not key:
        raise Unauthenticated(_("缺少 Idempotency-Key（最多 64 个字符）。"))
    given = str(headers.get("X-Xiaoan-Signature", ""))
    if not hmac.compare_digest(given.encode(), sign(source.secret, stamp, key, body).encode()):
        raise Unauthenticated(_("签名不正确。"))
    return source, key


def authenticate_basic(authorization: str) -> AlertSource:
    """The source named by HTTP Basic credentials (key:secret), or Unauthenticated."""
    scheme, _sep, value = str(authorization or "").partition(" ")
    if scheme.lower() != "basic":
        raise Unauthenticated(_("请以 HTTP Basic 方式提供来源标识与密钥。"))
    try:
        key, _sep, secret = base64.b64decode(value.strip()).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        raise Unauthenticated(_("认证信息格式不正确。")) from None
    source = _active_source(key)
    if not hmac.compare_digest(secret.encode(), source.secret.encode()):
        raise Unauthenticated(_("密钥不正确。"))
    return source


# ---------------------------------------------------------------- receiving


def _digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def _decode(body: bytes) -> Any:
    if len(body) > MAX_BODY:
        raise Invalid(_("请求内容超过 256 KB。"))
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise Invalid(_("请求内容不是有效的 JSON（UTF-8）。")) from None
    except RecursionError:
        raise Invalid(_("请求内容的嵌套层级过深。")) from None


def _text(data: Mapping, name: str, limit: int, errors: dict, *, required: bool = False) -> str:
    value = data.get(name)
    if value is None or value == "":
        if required:
            errors[name] = [_("必填。")]
        return ""
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        errors[name] = [_("须为文字。")]
        return ""
    from xiaoan.alerts.services import plain_text

    text = plain_text(value)
    if len(text) > limit:
        errors[name] = [_("不超过 %(n)d 个字符。") % {"n": limit}]
    return text


def _when(value: Any, errors: dict, name: str) -> dt.datetime | None:
    if value in (None, ""):
        return None
    try:
        parsed = parse_datetime(value) if isinstance(value, str) else None
    except ValueError:  # well formed but no such time: month 13, hour 25
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        errors[name] = [_("须为带时区的 ISO 8601 时间，如 2026-12-06T08:30:00+08:00。")]
        return None
    return parsed


def _unit_of(
    source: AlertSource,
    code: str,
    errors: dict,
    name: str = "unit",
    known: Mapping[str, int] | None = None,
) -> int | None:
    """The id of the unit the event names (the source's own by default), within the source's
    subtree and active; `known` holds the codes a batch named, read at once."""
    if not code:
        return source.unit_id
    if known is not None:
        found = (known[code],) if code in known else None
    else:
        # Written out for the same reason as `_active_source`; tree paths are [0-9A-Z] only.
        found = _one_row(
            f"SELECT id FROM {connection.ops.quote_name(Unit._meta.db_table)} "
            "WHERE code = %s AND path LIKE %s AND is_active",
            [code, source.unit.path + "%"],
        )
    if not found:
        errors[name] = [_("单位代码不存在或不在该来源的范围内。")]
    return found[0] if found else None


def _codes_within(source: AlertSource, items: list, pick) -> dict[str, int]:
    """{code: id} of the active units below the source that a batch's items name (`pick`
    gives an item's code), in one query."""
    codes = set()
    for item in items:
        code = pick(item) if isinstance(item, Mapping) else None
        if isinstance(code, (str, int)) and not isinstance(code, bool) and str(code).strip():
            codes.add(str(code).strip()[:50])
    if not codes:
        return {}
    rows = Unit.objects.filter(code__in=codes, path__startswith=source.unit.path, is_active=True)
    return dict(rows.values_list("code", "pk"))


def _event(
    source: AlertSource, data: Any, known: Mapping[str, int] | None = None
) -> dict[str, Any]:
    """The arguments of `raise_alert` (the unit by id) for one event of the documented JSON,
    or Invalid with every field's reason."""
    from xiaoan.alerts.services import clean_labels

    if not isinstance(data, Mapping):
        raise Invalid(_("请求内容须为 JSON 对象。"))
    errors: dict[str, list[str]] = {}
    kind = _text(data, "kind", 40, errors) or source.default_kind
    if not kind and "kind" not in errors:
        errors["kind"] = [_("必填（或为来源设置默认预警类型）。")]
    severity = _text(data, "severity", 10, errors) or Severity.WARNING
    if severity not in Severity.values and "severity" not in errors:
        errors["severity"] = [_("须为 info、warning 或 critical。")]
    status = _text(data, "status", 10, errors) or "firing"
    if status not in ("firing", "resolved") and "status" not in errors:
        errors["status"] = [_("须为 firing 或 resolved。")]
    event = {
        "kind": kind,
        "severity": severity,
        "title": _text(data, "title", 200, errors, required=True),
        "detail": _text(data, "detail", 10_000, errors),
        "place": _text(data, "place", 200, errors),
        "fingerprint": _text(data, "fingerprint", 500, errors) or None,
        "occurred_at": _when(data.get("occurred_at"), errors, "occurred_at"),
        "unit": _unit_of(source, _text(data, "unit", 50, errors), errors, known=known),
        "status": status,
    }
    try:
        event["labels"] = clean_labels(data.get("labels"))
    except Invalid as error:
        errors.update(error.fields or {"labels": [str(error.message)]})
    if errors:
        raise Invalid(_("预警内容有误。"), fields=errors)
    return event


def stored(event: Mapping[str, Any]) -> dict[str, Any]:
    """A checked event as the receipt keeps it until the job raises it (JSON: the time in
    ISO 8601)."""
    when = event["occurred_at"]
    return {**event, "occurred_at": when.isoformat() if when else None}


def _loaded(data: Mapping[str, Any], units: Mapping[int, Unit]) -> dict[str, Any]:
    when = data.get("occurred_at")
    return {
        **data,
        "unit": units[data["unit"]],
        "occurred_at": dt.datetime.fromisoformat(when) if when else None,
    }


def _apply(source: AlertSource, event: dict[str, Any]) -> dict[str, Any]:
    """Raise (or clear) one event's alert; what the receipt records of it."""
    from xiaoan.alerts.services import fingerprint_of, raise_alert

    status = event.pop("status")
    if status == "resolved":
        print_ = fingerprint_of(
            event["unit"].pk,
            given=event["fingerprint"],
            kind=event["kind"],
            title=" ".join(event["title"].split()),
            labels=event["labels"],
        )
        cleared = Alert.objects.filter(fingerprint=print_, cleared_at__isnull=True).exclude(
            status=AlertStatus.CLOSED
        )
        found = list(cleared.values_list("pk", flat=True)[:1])
        cleared.update(cleared_at=event["occurred_at"] or timezone.now())
        return {"alert": found[0] if found else None, "cleared": True}
    alert, created = raise_alert(source=source, source_name=source.name, **event)
    return {"alert": alert.pk, "created": created}


def _seen(source: AlertSource) -> None:
    """Note when the source last sent, at most once a minute: every request writing the one
    row would make it a lock each of them waits on."""
    now = timezone.now()
    if source.last_seen_at is None or now - source.last_seen_at > SEEN_EVERY:
        AlertSource.objects.filter(pk=source.pk).update(last_seen_at=now)


def _receipt(source: AlertSource, key: str, digest: str) -> IntakeReceipt | None:
    found = IntakeReceipt.objects.filter(source=source, key=key).first()
    if found is not None and found.digest != digest:
        raise Conflict(_("该 Idempotency-Key 已用于内容不同的请求。"))
    return found


def _answer(receipt: IntakeReceipt, duplicate: bool) -> dict[str, Any]:
    return {
        "receipt": receipt.pk,
        "duplicate": duplicate,
        "state": receipt.state,
        "alerts": receipt.alerts,
    }


def _queue(
    source: AlertSource, key: str, digest: str, events: list[dict[str, Any]]
) -> tuple[IntakeReceipt, bool]:
    """The request's receipt with its checked events, committed before it is answered (so
    nothing acknowledged is lost), and the job woken; or the receipt the key already has
    (False: a retry, or a concurrent twin that committed first)."""
    receipt = IntakeReceipt(
        source=source,
        key=key,
        digest=digest,
        events=[stored(event) for event in events],
        state=ReceiptState.QUEUED,
    )
    # One INSERT, committed by itself on the hot path; a savepoint inside a caller's
    # transaction (the Alertmanager receiver keeps its rejections with it).
    nested = transaction.get_connection().in_atomic_block
    try:
        with transaction.atomic() if nested else nullcontext():
            receipt.save(force_insert=True)
    except IntegrityError:
        done = _receipt(source, key, digest)
        if done is None:
            raise
        return done, False
    transaction.on_commit(wake)
    _seen(source)
    return receipt, True


def _events_of(source: AlertSource, items: Any) -> tuple[list[dict], list[dict]]:
    """A gateway's batch (`{"events": [...]}`): the events that pass and, by index, the
    reasons of those that do not; Invalid when none passes."""
    if not isinstance(items, list) or not items:
        raise Invalid(fields={"events": [_("须为非空的预警列表。")]})
    if len(items) > MAX_EVENTS:
        message = _("一次最多 %(n)d 条预警。") % {"n": MAX_EVENTS}
        raise Invalid(message, fields={"events": [message]})
    known = _codes_within(source, items, lambda item: item.get("unit"))
    events, rejected = [], []
    for index, item in enumerate(items):
        try:
            events.append(_event(source, item, known))
        except Invalid as error:
            rejected.append({"index": index, "errors": error.fields or {"": [str(error)]}})
    if not events:
        fields = {
            f"events[{r['index']}].{name}" if name else f"events[{r['index']}]": reasons
            for r in rejected
            for name, reasons in r["errors"].items()
        }
        raise Invalid(_("预警内容有误。"), fields=fields)
    return events, rejected


def receive(source: AlertSource, key: str, body: bytes) -> dict[str, Any]:
    """One signed request, an event or a gateway's batch of them (`{"events": [...]}`),
    checked and queued under one receipt (the job raises the alerts in the order received);
    the same key again is answered from the receipt. A batch's events that do not pass are
    answered in `rejected` and kept; the others are taken."""
    digest = _digest(body)
    try:
        payload = _decode(body)
        batch = isinstance(payload, Mapping) and "events" in payload
        if batch:
            events, rejected = _events_of(source, payload["events"])
        else:
            events, rejected = [_event(source, payload)], []
    except Invalid:
        # A retry of a request accepted earlier (its unit since closed, say) answers as then.
        done = _receipt(source, key, digest)
        if done is None:
            raise
        return _answer(done, True)
    if rejected:
        with transaction.atomic():
            receipt, new = _queue(source, key, digest, events)
            if new:
                keep_rejection(
                    source, "intake", _("部分预警内容有误。"), {"events": rejected}, body
                )
    else:
        receipt, new = _queue(source, key, digest, events)
    answer = _answer(receipt, not new)
    if batch:
        answer["rejected"] = rejected if new else []
    return answer


def _alertmanager_event(
    source: AlertSource, item: Any, known: Mapping[str, int] | None = None
) -> dict[str, Any]:
    """Alertmanager's alert (labels, annotations, status, startsAt, fingerprint) as our
    event: `xiaoan_unit` (or `unit`) names the unit, `alertname` the kind, `severity` the
    level, the `summary` annotation the title and `description` the detail."""
    if not isinstance(item, Mapping):
        raise Invalid(_("alerts 中的每一项须为对象。"))
    labels = item.get("labels") if isinstance(item.get("labels"), Mapping) else {}
    notes = item.get("annotations") if isinstance(item.get("annotations"), Mapping) else {}
    flat = {
        str(k)[:60]: str(v)[:200]
        for k, v in list(labels.items())[:30]
        if not isinstance(v, (dict, list))
    }
    level = SEVERITY_WORDS.get(str(labels.get("severity", "")).lower(), Severity.WARNING)
    data = {
        "kind": labels.get("alertname") or source.default_kind,
        "severity": level,
        "unit": labels.get("xiaoan_unit") or labels.get("unit") or "",
        "title": notes.get("summary") or labels.get("alertname") or "",
        "detail": notes.get("description") or "",
        "place": labels.get("place") or labels.get("instance") or "",
        "labels": flat,
        "fingerprint": f"am:{item['fingerprint']}" if item.get("fingerprint") else None,
        "occurred_at": item.get("startsAt") if item.get("status") != "resolved" else None,
        "status": "resolved" if item.get("status") == "resolved" else "firing",
    }
    if data["status"] == "resolved" and item.get("endsAt"):
        data["occurred_at"] = item.get("endsAt")
    for name in ("title", "detail", "place", "kind"):
        if isinstance(data[name], str):
            data[name] = data[name][: {"detail": 10_000, "kind": 40}.get(name, 200)]
    return _event(source, data, known)


def receive_alertmanager(source: AlertSource, body: bytes) -> dict[str, Any]:
    """An Alertmanager webhook: its alerts checked and queued under one receipt; an alert of
    it that cannot be taken is kept as a rejection and the others are taken. The same body
    again (Alertmanager retrying) is answered from the receipt."""
    digest = _digest(body)
    key = f"am:{digest[:61]}"
    done = _receipt(source, key, digest)
    if done is not None:
        return {**_answer(done, True), "rejected": []}
    payload = _decode(body)
    items = payload.get("alerts") if isinstance(payload, Mapping) else None
    if not isinstance(items, list):
        raise Invalid(_("不是 Alertmanager 的 webhook 内容（缺少 alerts 列表）。"))
    if len(items) > MAX_BATCH:
        raise Invalid(_("一次最多 %(n)d 条预警。") % {"n": MAX_BATCH})

    def code_of(item: Mapping) -> Any:
        labels = item.get("labels")
        return (
            (labels.get("xiaoan_unit") or labels.get("unit"))
            if isinstance(labels, Mapping)
            else None
        )

    known = _codes_within(source, items, code_of)
    events, rejected = [], []
    for index, item in enumerate(items):
        try:
            events.append(_alertmanager_event(source, item, known))
        except Invalid as error:
            rejected.append({"index": index, "errors": error.fields or {"": [str(error)]}})
    with transaction.atomic():
        receipt, new = _queue(source, key, digest, events)
        if new and rejected:
            keep_rejection(
                source, "alertmanager", _("部分预警内容有误。"), {"alerts": rejected}, body
            )
    if not new:
        return {**_answer(receipt, True), "rejected": []}
    return {**_answer(receipt, False), "rejected": rejected}


# ---------------------------------------------------------------- the job


def wake() -> None:
    """Ask the job to raise what is queued: one request of a burst enqueues it, the others
    find it asked (the runner clears `WAKE` before it looks and again when it lets go)."""
    from xiaoan.alerts.tasks import intake_pass

    try:
        if cache.add(WAKE, 1, WAKE_TTL):
            intake_pass()
    except Exception:  # the receipt is stored: the minute's sweep raises it if this cannot
        logger.warning("intake: could not wake the job", exc_info=True)


def drain() -> int:
    """Raise every queued receipt's alerts, one runner at a time so a source's events keep
    their order (a "resolved" after its "firing"). The lock expires by itself if a runner
    is killed; the periodic pass takes over then. Returns the receipts processed."""
    total = 0
    while True:
        if not cache.add(LOCK, 1, LOCK_TTL):
            return total  # the runner looks again after it lets go
        try:
            cache.delete(WAKE)
            while processed := process_queued():
                total += processed
                cache.touch(LOCK, LOCK_TTL)
        finally:
            cache.delete(LOCK)
            cache.delete(WAKE)
        if not IntakeReceipt.objects.filter(state=ReceiptState.QUEUED).exists():
            return total


def process_queued(limit: int = BATCH) -> int:
    """One batch of queued receipts, oldest first, in one transaction: each receipt's alerts
    raised (or cleared) and recorded on it. A receipt that fails is marked failed and kept
    as a rejection with its reason; the others go on."""
    with transaction.atomic(), memo.batch():
        batch = list(
            IntakeReceipt.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(state=ReceiptState.QUEUED)
            .select_related("source")
            .order_by("pk")[:limit]
        )
        if not batch:
            return 0
        units = Unit.objects.in_bulk({e["unit"] for r in batch for e in r.events})
        now = timezone.now()
        for receipt in batch:
            try:
                with transaction.atomic():
                    receipt.alerts = [
                        _apply(receipt.source, _loaded(event, units)) for event in receipt.events
                    ]
                receipt.state = ReceiptState.DONE
            except (OperationalError, InterfaceError):
                raise  # the database, not the receipt: the whole batch is tried again later
            except Exception as error:  # one bad receipt must not hold back the queue
                logger.exception("intake receipt %s failed", receipt.pk)
                receipt.state, receipt.error = ReceiptState.FAILED, str(error)[:300]
                endpoint = "alertmanager" if receipt.key.startswith("am:") else "intake"
                body = json.dumps(receipt.events, ensure_ascii=False).encode()
                reason = {"": [receipt.error]}
                keep_rejection(receipt.source, endpoint, _("处理失败。"), reason, body)
            receipt.processed_at = now
        IntakeReceipt.objects.bulk_update(batch, ["state", "alerts", "error", "processed_at"])
    return len(batch)


def forget_old_receipts(now: dt.datetime | None = None, chunk: int = 5000) -> int:
    """Delete raised and failed receipts older than `KEEP_RECEIPTS`, a chunk at a time (a
    queued one stays whatever its age)."""
    before = (now or timezone.now()) - KEEP_RECEIPTS
    old = IntakeReceipt.objects.filter(received_at__lt=before).exclude(state=ReceiptState.QUEUED)
    gone = 0
    while ids := list(old.order_by("pk").values_list("pk", flat=True)[:chunk]):
        gone += IntakeReceipt.objects.filter(pk__in=ids).delete()[0]
    return gone


def keep_rejection(
    source: AlertSource, endpoint: str, reason: Any, errors: Any, body: bytes
) -> IntakeRejection:
    """Keep a refused payload; a source keeps its latest `KEEP_REJECTIONS` (a sender stuck
    on a bad format must not fill the database)."""
    text = body[: IntakeRejection.BODY_LIMIT].decode("utf-8", errors="replace").replace("\x00", "")
    kept = IntakeRejection.objects.create(
        source=source,
        endpoint=endpoint,
        reason=str(reason)[:300],
        errors=json.loads(json.dumps(errors, default=str)),
        body=text,
    )
    older = IntakeRejection.objects.filter(source=source).order_by("-id")
    oldest_kept = older.values_list("id", flat=True)[KEEP_REJECTIONS - 1 : KEEP_REJECTIONS]
    if oldest_kept:
        older.filter(id__lt=oldest_kept[0]).delete()
    return kept
