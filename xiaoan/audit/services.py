"""Writing and checking the audit trail. `record` is the one function every app calls."""

from __future__ import annotations

import contextvars
import datetime as dt
import hashlib
import hmac
import ipaddress
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.http import HttpRequest
from django.utils import timezone

from xiaoan.audit.models import AuditAction, AuditArchive, AuditEntry
from xiaoan.core import freshness

# The request being served in this thread/task (set by `middleware.AuditRequestMiddleware`),
# so services deep down need not pass it along.
current_request: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar(
    "xiaoan_audit_request", default=None
)

# pg_advisory_xact_lock key serialising writers of the chain ("xiaoan" + "audit" in ASCII).
ADVISORY_LOCK = 0x78_69_61_6F_61_75_64
USER_AGENT_MAX = 300
HASHED_FIELDS = (
    "at",
    "actor_name",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "detail",
    "ip",
    "user_agent",
    "algorithm",
)


def algorithm() -> str:
    """HMAC-SM3 where OpenSSL offers SM3 (商用密码), HMAC-SHA256 otherwise."""
    return "hmac-sm3" if "sm3" in hashlib.algorithms_available else "hmac-sha256"


DIGESTS = {"hmac-sm3": "sm3", "hmac-sha256": "sha256"}


def _digest(name: str, prev_hash: str, payload: str) -> str:
    digestmod = DIGESTS[name]
    key = settings.XIAOAN_AUDIT_KEY.encode()
    return hmac.new(key, (prev_hash + payload).encode(), digestmod).hexdigest()


def canonical(values: dict[str, Any]) -> str:
    return json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _jsonable(detail: Any) -> Any:
    # What is hashed must be what the database gives back: plain JSON types only.
    return json.loads(json.dumps(detail or {}, default=str))


def _at(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


def row_payload(entry: AuditEntry) -> str:
    values = {name: getattr(entry, name) for name in HASHED_FIELDS}
    values["at"] = _at(entry.at)
    return canonical(values)


def compute_hash(entry: AuditEntry) -> str:
    return _digest(entry.algorithm, entry.prev_hash, row_payload(entry))


# ---------------------------------------------------------------- request helpers


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address: REMOTE_ADDR, or the first X-Forwarded-For hop when
    XIAOAN_TRUST_X_FORWARDED_FOR says a proxy we run sets it. None when unusable."""
    if request is None:
        return None
    raw = ""
    if settings.XIAOAN_TRUST_X_FORWARDED_FOR:
        raw = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[0].strip()
    if not raw:
        raw = request.META.get("REMOTE_ADDR", "")
    try:
        return str(ipaddress.ip_address(raw.strip()))
    except ValueError:
        return None


def _request_user(request: HttpRequest | None) -> Any:
    user = getattr(request, "user", None) if request is not None else None
    return user if getattr(user, "is_authenticated", False) else None


def actor_label(user: Any) -> str:
    name = getattr(user, "name", "") or ""
    username = user.get_username()
    return f"{name}（{username}）" if name and name != username else username


# ---------------------------------------------------------------- writing


def unit_of(obj: Any) -> Any:
    """The unit a record belongs to: a unit itself, or its `unit`."""
    from xiaoan.orgs.models import Unit

    if isinstance(obj, Unit):
        return obj.pk
    unit_id = getattr(obj, "unit_id", None)
    return unit_id


# Entries for records written: the pages showing their unit are built again (reads, logins
# and exports are recorded too, and change nothing shown; `other` is a read of a minor's case).
WRITES = frozenset(
    action.value
    for action in (
        AuditAction.CREATE,
        AuditAction.CHANGE,
        AuditAction.DELETE,
        AuditAction.TRANSITION,
        AuditAction.GRANT,
        AuditAction.REVOKE,
        AuditAction.ACCOUNT,
    )
)


def record(
    action: str,
    *,
    actor: Any = None,
    request: HttpRequest | None = None,
    unit: Any = None,
    obj: models.Model | None = None,
    detail: dict | None = None,
    object_repr: str | None = None,
) -> AuditEntry:
    """Append one entry. Written in the caller's transaction (rolled back with it); the
    actor defaults to the request's user, the unit to the record's unit, else the actor's
    home unit; address and user agent come from the (current) request. Login failures and
    lockouts come from views without a business transaction, so they commit on their own."""
    if request is None:
        request = current_request.get()
    if actor is None:
        actor = _request_user(request)
    unit_id = getattr(unit, "pk", unit)
    if unit_id is None and obj is not None:
        unit_id = unit_of(obj)
    if unit_id is None and actor is not None:
        unit_id = getattr(actor, "unit_id", None)
    entry = AuditEntry(
        actor_id=getattr(actor, "pk", None),
        actor_name=actor_label(actor)[:120] if actor is not None else "",
        unit_id=unit_id,
        action=str(action),
        detail=_jsonable(detail),
        ip=client_ip(request),
        user_agent=(request.META.get("HTTP_USER_AGENT", "") if request else "")[:USER_AGENT_MAX],
        algorithm=algorithm(),
    )
    if obj is not None:
        entry.object_type = obj._meta.label_lower
        entry.object_id = str(obj.pk or "")[:64]
    if object_repr is None and obj is not None:
        object_repr = str(obj)
    entry.object_repr = str(object_repr or "")[:200]
    with transaction.atomic():
        lock()
        entry.at = timezone.now()
        entry.prev_hash = last_hash()
        entry.hash = compute_hash(entry)
        entry.save(force_insert=True)
    if entry.action in WRITES:
        freshness.changed([unit_id])
    return entry


def lock() -> None:
    """Serialise writers so the chain never forks: PostgreSQL holds an advisory lock until
    the transaction ends; SQLite transactions are IMMEDIATE (one writer) already."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK])


def last_hash() -> str:
    latest = AuditEntry.objects.order_by("-id").values_list("hash", flat=True).first()
    if latest is not None:
        return latest
    anchor = AuditArchive.objects.order_by("-last_id").values_list("last_hash", flat=True)
    return anchor.first() or ""


# ---------------------------------------------------------------- checking


@dataclass
class Broken:
    entry: AuditEntry
    reason: str


@dataclass
class Verdict:
    count: int
    broken: Broken | None


def _walk(upto: int | None = None, batch: int = 2000) -> Iterator[AuditEntry]:
    last_id = 0
    rows_of = AuditEntry.objects.all() if upto is None else AuditEntry.objects.filter(id__lte=upto)
    while True:
        rows = list(rows_of.filter(id__gt=last_id).order_by("id")[:batch])
        if not rows:
            return
        yield from rows
        last_id = rows[-1].id


def verify(upto: int | None = None) -> Verdict:
    """Walk the chain from the last archive's anchor (up to row `upto`); the first row that
    does not hash to its stored value, or does not follow its predecessor, is broken."""
    anchor = AuditArchive.objects.order_by("-last_id").first()
    expected = anchor.last_hash if anchor else ""
    count = 0
    for entry in _walk(upto):
        if entry.prev_hash != expected:
            return Verdict(count, Broken(entry, "prev"))
        if entry.algorithm not in DIGESTS or not hmac.compare_digest(
            compute_hash(entry), entry.hash
        ):
            return Verdict(count, Broken(entry, "hash"))
        expected = entry.hash
        count += 1
    return Verdict(count, None)
