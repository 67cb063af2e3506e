"""The rules of 预警处置, shared by the pages, the API, the jobs and the demo.

- Raise (`raise_alert`): one alert per fingerprint while it is open; a repeat bumps `repeats`
  and `last_seen` instead (the unique partial index decides between concurrent raisers).
  Deadlines come from the severity (`DEADLINES`). An alert a silence matches is recorded
  with `silenced_by` and nobody is told; otherwise the responsible people are
  (`notify_alert`, the one place a channel is added).
- Steps (xiaoan.alerts.workflow): acknowledge; handle with a disposition and a note (误报,
  现场处置, 转为隐患 through the hazards' own `report`, or 转交其他单位: the alert moves to a
  unit in the person's scope and waits there to be acknowledged again); close. A retry with
  the same Idempotency-Key answers as the first did.
- Jobs given `now`: `escalate_overdue` (not acknowledged by its deadline: the superior
  authority is told, once) and `rering_critical` (a critical alert rings its people again
  every `RERING` until acknowledged).
- Managed elsewhere: silences (xiaoan.alerts.silences), rules over our own data
  (xiaoan.alerts.rules) and a bureau's posted warnings (xiaoan.alerts.bulletins).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.alerts.choices import (
    AlertAction,
    AlertOrigin,
    AlertStatus,
    Disposition,
    Severity,
)
from xiaoan.alerts.models import (
    Alert,
    AlertEvent,
    AlertPhoto,
    AlertRule,
    Bulletin,
    Silence,
)
from xiaoan.core.errors import Invalid, NotFound
from xiaoan.core.idempotency import begin_once, clean_key
from xiaoan.core.ids import record_id
from xiaoan.core.memo import remembered
from xiaoan.core.workflow import begin, require_note
from xiaoan.orgs.choices import UnitKind
from xiaoan.orgs.models import Unit, ancestor_paths

logger = logging.getLogger(__name__)
VIEW, HANDLE = "alerts.view_alert", "alerts.handle_alert"
ADD_RULE, CHANGE_RULE = "alerts.add_alertrule", "alerts.change_alertrule"
ADD_SILENCE, CHANGE_SILENCE = "alerts.add_silence", "alerts.change_silence"
ADD_BULLETIN = "alerts.add_bulletin"

# Response deadlines per severity: (acknowledge within, handle within). Constants a
# deployment may override with XIAOAN_ALERT_DEADLINES = {"critical": (minutes, minutes), …}.
DEADLINES: dict[str, tuple[dt.timedelta, dt.timedelta]] = {
    Severity.CRITICAL: (dt.timedelta(minutes=15), dt.timedelta(hours=4)),
    Severity.WARNING: (dt.timedelta(hours=2), dt.timedelta(hours=24)),
    Severity.INFO: (dt.timedelta(hours=24), dt.timedelta(hours=72)),
}
# A critical alert rings its people again this often until acknowledged.
RERING = dt.timedelta(minutes=getattr(settings, "XIAOAN_ALERT_RERING_MINUTES", 15))
MAX_LABELS = 30
MAX_LABEL_KEY = 60
MAX_LABEL_VALUE = 200
MAX_MATCHERS = 10


def deadlines(severity: str) -> tuple[dt.timedelta, dt.timedelta]:
    custom = getattr(settings, "XIAOAN_ALERT_DEADLINES", {}).get(severity)
    if custom:
        return dt.timedelta(minutes=custom[0]), dt.timedelta(minutes=custom[1])
    return DEADLINES[severity]


def _workflow():
    from xiaoan.alerts.workflow import ALERT

    return ALERT


def refuse(message: str, field: str) -> Invalid:
    return Invalid(message, fields={field: [message]})


def _url(alert: Alert) -> str:
    return reverse("alerts:alert_detail", args=[alert.pk])


# ---------------------------------------------------------------- labels and fingerprints


def plain_text(value: Any) -> str:
    """Text as a database keeps it: no NUL (PostgreSQL refuses it), no edge spaces."""
    return str(value).replace("\x00", "").strip()


def clean_labels(labels: Any, field: str = "labels", limit: int = MAX_LABELS) -> dict[str, str]:
    """Flat text labels: {"sensor": "B1-3F-07"}. Nested values, too many or too long are
    refused (a label set is matched and shown, never a document)."""
    if labels in (None, ""):
        return {}
    if not isinstance(labels, Mapping):
        raise refuse(_("标签须为“名称: 值”的对象。"), field)
    if len(labels) > limit:
        raise refuse(_("标签最多 %(n)d 个。") % {"n": limit}, field)
    out: dict[str, str] = {}
    for key, value in labels.items():
        key = plain_text(key)
        if not key or len(key) > MAX_LABEL_KEY:
            raise refuse(_("标签名须为 1 到 60 个字符。"), field)
        if isinstance(value, (dict, list, tuple, set)):
            raise refuse(_("标签“%(k)s”的值须为文字或数字。") % {"k": key[:30]}, field)
        text = "" if value is None else plain_text(value)
        if len(text) > MAX_LABEL_VALUE:
            raise refuse(_("标签“%(k)s”的值不超过 200 个字符。") % {"k": key[:30]}, field)
        out[key] = text
    return out


def fingerprint_of(
    unit_id: int, *, given: str | None, kind: str, title: str, labels: Mapping[str, str]
) -> str:
    """What makes two alerts the same: the caller's fingerprint, or the kind, title and
    labels; always within the unit."""
    if given:
        basis: Any = ["given", str(given)[:500]]
    else:
        basis = ["auto", kind, title, sorted(labels.items())]
    text = json.dumps([unit_id, *basis], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


# ---------------------------------------------------------------- silences


def _ancestor_units(unit: Unit) -> Q:
    return Q(unit__path__in=ancestor_paths(unit.path))


def matching_silence(
    unit: Unit, *, kind: str, place: str, labels: Mapping[str, str], now: dt.datetime
) -> Silence | None:
    """The first active silence matching the alert (one query: the silences of the unit and
    the units above it)."""
    candidates = remembered(
        ("alerts.silences", unit.pk),
        lambda: list(
            Silence.objects.filter(_ancestor_units(unit), starts_at__lte=now, ends_at__gt=now)
            .select_related("unit")
            .order_by("starts_at", "pk")
        ),
    )
    for silence in candidates:
        if silence.unit_id != unit.pk and not silence.include_subtree:
            continue
        if silence.kind and silence.kind != kind:
            continue
        if silence.place and silence.place not in place:
            continue
        if any(labels.get(k) != v for k, v in (silence.matchers or {}).items()):
            continue
        return silence
    return None


def _silent(alert: Alert, now: dt.datetime) -> bool:
    silence = alert.silenced_by
    return silence is not None and silence.active(now)


# ---------------------------------------------------------------- who is told


def _chain_units(unit: Unit) -> list[int]:
    """The unit and the units above it up to its school (a department's alert is its
    school's too); an authority's alert is its own."""
    if unit.kind in (UnitKind.AUTHORITY, UnitKind.SECTION, UnitKind.SCHOOL):
        return [unit.pk]

    def read() -> list[int]:
        above = Unit.objects.filter(path__in=ancestor_paths(unit.path)).exclude(
            kind__in=(UnitKind.AUTHORITY, UnitKind.SECTION)
        )
        return list(above.values_list("pk", flat=True))

    return remembered(("alerts.chain", unit.pk), read)


def people_at(unit_ids: Iterable[int], perm: str = HANDLE, roles: Iterable[str] = ()) -> list:
    """The active people whose roles at these units grant `perm` (and, if given, are among
    `roles`)."""
    from xiaoan.accounts.models import RoleAssignment

    unit_ids, wanted = list(unit_ids), set(roles or ())

    def read() -> list:
        rows = RoleAssignment.objects.filter(
            unit_id__in=unit_ids, role__is_active=True, user__is_active=True
        ).select_related("user", "role")
        people = {}
        for row in rows:
            if perm not in (row.role.permissions or ()):
                continue
            if wanted and row.role.code not in wanted:
                continue
            people[row.user_id] = row.user
        return list(people.values())

    return remembered(("alerts.people", tuple(unit_ids), perm, tuple(sorted(wanted))), read)


def responsible_people(alert: Alert) -> list:
    roles = alert.rule.roles if alert.rule_id and alert.rule else ()
    return people_at(_chain_units(alert.unit), HANDLE, roles)


def notify_alert(alert: Alert, people: Iterable[Any], reason: str) -> int:
    """Tell `people` of `alert`; `reason` is "raised", "repeat", "escalated", "rering",
    "transferred" or "posted": in the inbox (and email), and to the unit's channels."""
    from xiaoan.channels.choices import Category
    from xiaoan.channels.services import dispatch
    from xiaoan.notifications.models import Notification
    from xiaoan.notifications.services import notify

    prefix = {
        "escalated": _("【超时未确认，已升级】"),
        "rering": _("【紧急预警未确认】"),
        "transferred": _("【转交】"),
    }.get(reason, "")
    title = f"{prefix}[{alert.get_severity_display()}] {alert.title}"
    body = "\n".join(part for part in (alert.unit.name, alert.place, alert.detail[:500]) if part)
    kind = Notification.Kind.OVERDUE if reason == "escalated" else Notification.Kind.OTHER
    sent = notify(people, kind, title, body, _url(alert))
    now = timezone.now()
    # The unit's group robots and SMS lists (xiaoan.channels): an escalation goes to the
    # superior's; one delivery per alert, reason and minute, so a retried job adds none.
    to_unit = alert.escalated_to if reason == "escalated" and alert.escalated_to_id else alert.unit
    dispatch(
        unit=to_unit,
        category=Category.ALERTS,
        severity=alert.severity,
        subject=f"{prefix}{alert.title}",  # the channel puts the level in front itself
        body=body,
        url=_url(alert),
        key=f"alert:{alert.pk}:{reason}:{now:%Y%m%d%H%M}",
        ref=f"alert:{alert.pk}",
    )
    Alert.objects.filter(pk=alert.pk).update(notified_at=now)
    return sent


# ---------------------------------------------------------------- raising


def check_choice(value: str, choices, field: str) -> None:
    if value not in choices.values:
        raise refuse(_("取值无效。"), field)


@transaction.atomic
def raise_alert(
    *,
    unit: Unit | int,
    kind: str,
    severity: str,
    title: str,
    detail: str = "",
    fingerprint: str | None = None,
    labels: Mapping[str, Any] | None = None,
    place: str = "",
    url: str = "",
    origin: str = AlertOrigin.SOURCE,
    rule: AlertRule | None = None,
    source_name: str = "",
    source: Any = None,
    bulletin: Bulletin | None = None,
    occurred_at: dt.datetime | None = None,
    by: Any = None,
    notify_people: bool = True,
) -> tuple[Alert, bool]:
    """(the alert, True) when new; (the open alert of the same fingerprint, False) when a
    repeat: its `repeats` and `last_seen` are bumped. Safe under concurrency: a racing insert
    fails on the open-fingerprint index and bumps the winner instead."""
    check_choice(severity, Severity, "severity")
    check_choice(origin, AlertOrigin, "origin")
    unit_obj = unit if isinstance(unit, Unit) else Unit.objects.filter(pk=unit).first()
    if unit_obj is None:
        raise refuse(_("单位不存在。"), "unit")
    kind = str(kind or "").strip()[:40]
    if not kind:
        raise refuse(_("请填写预警类型。"), "kind")
    title = " ".join(str(title or "").split())[:200]
    if not title:
        raise refuse(_("请填写预警标题。"), "title")
    labels = clean_labels(labels)
    now = timezone.now()
    seen = occurred_at or now
    print_ = fingerprint_of(unit_obj.pk, given=fingerprint, kind=kind, title=title, labels=labels)
    for _attempt in range(3):
        existing = (
            Alert.objects.select_for_update()
            .filter(fingerprint=print_)
            .exclude(status=AlertStatus.CLOSED)
            .first()
        )
        if existing is not None:
            Alert.objects.filter(pk=existing.pk).update(
                repeats=F("repeats") + 1, last_seen=max(seen, existing.last_seen)
            )
            existing.refresh_from_db()
            return existing, False
        ack, respond = deadlines(severity)
        silence = matching_silence(unit_obj, kind=kind, place=place, labels=labels, now=now)
        alert = Alert(
            unit=unit_obj,
            origin=origin,
            rule=rule,
            source_name=str(source_name or "")[:100],
            source=source,
            bulletin=bulletin,
            kind=kind,
            severity=severity,
            title=title,
            detail=str(detail or "")[:10_000],
            url=str(url or "")[:300],
            place=str(place or "").strip()[:200],
            labels=labels,
            fingerprint=print_,
            first_seen=seen,
            last_seen=seen,
            ack_due=now + ack,
            handle_due=now + respond,
            silenced_by=silence,
        )
        try:
            with transaction.atomic():
                _workflow().advance(
                    alert,
                    by,
                    AlertAction.RAISE,
                    to=None,
                    created=True,
                    note=alert.title,
                    # An outside system's events are traced by their event rows and intake
                    # receipts, not the audit chain (its one writer at a time would cap them).
                    audited=source is None,
                )
        except IntegrityError:
            continue  # another raiser won: bump theirs
        if notify_people and silence is None:
            notify_alert(alert, responsible_people(alert), "raised")
        return alert, True
    raise RuntimeError("raise_alert: the open alert kept changing")  # pragma: no cover


# ---------------------------------------------------------------- the steps


def load(actor: Any, pk: Any) -> Alert:
    found = (
        Alert.objects.restrict(actor, "view")
        .filter(pk=record_id(pk))
        .select_related(
            "unit",
            "rule",
            "bulletin",
            "hazard",
            "escalated_to",
            "silenced_by",
            "acknowledged_by",
            "handled_by",
            "closed_by",
        )
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def events_of(alert: Alert) -> list[AlertEvent]:
    return list(alert.events.select_related("actor").order_by("created_at", "pk"))


def _begin_step(
    actor: Any, pk: Any, name: str, version: int | None, key: str | None, given: str
) -> tuple[Alert, bool]:
    return begin_once(
        lambda: begin(actor, Alert, pk, name, version),
        Alert,
        record_id(pk),
        key=key,
        given=given,
        key_field="step_key",
        fingerprint_field="step_fingerprint",
    )


def _stamp_key(alert: Alert, key: str | None, given: str) -> None:
    alert.step_key = key or ""
    alert.step_fingerprint = given if key else ""


@transaction.atomic
def acknowledge(
    actor: Any,
    pk: Any,
    *,
    note: str = "",
    version: int | None = None,
    idempotency_key: str | None = None,
    fingerprint: str = "",
) -> Alert:
    return _stamped_step(
        actor, pk, AlertAction.ACKNOWLEDGE, ("acknowledged_by", "acknowledged_at"),
        note=note, version=version, idempotency_key=idempotency_key, fingerprint=fingerprint,
    )  # fmt: skip


def _stamped_step(
    actor: Any,
    pk: Any,
    action: str,
    stamp: tuple[str, str],
    *,
    note: str,
    version: int | None,
    idempotency_key: str | None,
    fingerprint: str,
) -> Alert:
    """A step that only records who and when (`stamp`: the fields) besides its note."""
    key = clean_key(idempotency_key)
    alert, replayed = _begin_step(actor, pk, action, version, key, fingerprint)
    if replayed:
        return alert
    setattr(alert, stamp[0], actor)
    setattr(alert, stamp[1], timezone.now())
    _stamp_key(alert, key, fingerprint)
    _workflow().advance(alert, actor, action, note=(note or "").strip())
    return alert


def transfer_units(actor: Any, alert: Alert | None = None):
    """Where a person may pass an alert: active units where they may handle alerts."""
    units = Unit.objects.with_permission(actor, HANDLE).filter(is_active=True)
    if alert is not None:
        units = units.exclude(pk=alert.unit_id)
    return units.order_by("path")


def _to_hazard(actor: Any, alert: Alert, description: str) -> Any:
    from xiaoan.hazards.choices import HazardSource
    from xiaoan.hazards.services import report

    text = " ".join((description or "").split()) or f"{alert.title} {alert.detail}".strip()
    # Keyed by the alert: a retried step never records the hazard twice.
    return report(
        actor,
        alert.unit,
        description=text[:2000],
        source=HazardSource.ALERT,
        place_text=alert.place,
        found_at=min(alert.first_seen, timezone.now()),
        idempotency_key=f"alert:{alert.pk}",
    )


@transaction.atomic
def handle(
    actor: Any,
    pk: Any,
    *,
    disposition: str,
    note: str = "",
    unit: Any = None,
    hazard_description: str = "",
    photos: Sequence = (),
    version: int | None = None,
    idempotency_key: str | None = None,
    fingerprint: str = "",
) -> Alert:
    """Record how the alert was dealt with. 转为隐患 creates the hazard through the hazards'
    service (the person must be able to report one there); 转交 moves the alert to `unit`
    (one where the person may handle alerts), raised again with fresh deadlines."""
    key = clean_key(idempotency_key)
    alert, replayed = _begin_step(actor, pk, "handle", version, key, fingerprint)
    if replayed:
        return alert
    if disposition not in Disposition.values:
        raise refuse(_("请选择处置方式。"), "disposition")
    note = require_note(note, _("处置情况"))
    _save_photos(alert, actor, list(photos or ()))
    now = timezone.now()
    if alert.acknowledged_at is None:  # handling it acknowledges it
        alert.acknowledged_by, alert.acknowledged_at = actor, now
    _stamp_key(alert, key, fingerprint)
    if disposition == Disposition.TRANSFERRED:
        return _transfer(actor, alert, unit, note, now)
    alert.disposition = disposition
    alert.measures = note
    alert.handled_by, alert.handled_at = actor, now
    data: dict[str, Any] = {"disposition": disposition}
    if disposition == Disposition.HAZARD:
        hazard = _to_hazard(actor, alert, hazard_description)
        alert.hazard = hazard
        data["hazard"] = hazard.pk
    _workflow().advance(
        alert, actor, AlertAction.HANDLE, to=AlertStatus.HANDLED, note=note, data=data
    )
    return alert


def _save_photos(alert: Alert, actor: Any, photos: Sequence) -> None:
    from xiaoan.core.photos import clean_photo

    if len(photos) > settings.XIAOAN_PHOTO_MAX_COUNT:
        raise refuse(
            _("一次最多上传 %(n)d 张照片。") % {"n": settings.XIAOAN_PHOTO_MAX_COUNT}, "photos"
        )
    cleaned = [clean_photo(upload) for upload in photos]  # all checked before any is saved
    for content, width, height in cleaned:
        photo = AlertPhoto(alert=alert, uploaded_by=actor, width=width, height=height)
        photo.image.save(content.name, content, save=False)
        photo.save()


def load_photo(actor: Any, pk: Any, photo_pk: Any) -> AlertPhoto:
    visible = Alert.objects.restrict(actor, "view").filter(pk=pk)
    photo = (
        AlertPhoto.objects.filter(alert__in=visible, pk=photo_pk).first()
        if str(photo_pk).isdigit()
        and str(pk).isdigit()
        and int(pk) < 2**63
        and int(photo_pk) < 2**63
        else None
    )
    if photo is None:
        raise NotFound()
    return photo


def _transfer(actor: Any, alert: Alert, unit: Any, note: str, now: dt.datetime) -> Alert:
    unit_id = getattr(unit, "pk", unit)
    target = None
    if unit_id not in (None, "") and str(unit_id).isdigit() and int(unit_id) < 2**63:
        target = transfer_units(actor, alert).filter(pk=int(unit_id)).first()
    if target is None:
        raise refuse(_("请选择您管理范围内的其他单位。"), "unit")
    from_unit = alert.unit
    ack, respond = deadlines(alert.severity)
    alert.unit = target
    alert.ack_due, alert.handle_due = now + ack, now + respond
    alert.acknowledged_by = alert.acknowledged_at = None
    alert.escalated_to = alert.escalated_at = None
    _workflow().advance(
        alert,
        actor,
        AlertAction.TRANSFER,
        to=AlertStatus.RAISED,
        note=note,
        data={"from_unit": from_unit.pk, "to_unit": target.pk},
    )
    if not _silent(alert, now):
        notify_alert(alert, responsible_people(alert), "transferred")
    return alert


@transaction.atomic
def close(
    actor: Any,
    pk: Any,
    *,
    note: str = "",
    version: int | None = None,
    idempotency_key: str | None = None,
    fingerprint: str = "",
) -> Alert:
    return _stamped_step(
        actor, pk, AlertAction.CLOSE, ("closed_by", "closed_at"),
        note=note, version=version, idempotency_key=idempotency_key, fingerprint=fingerprint,
    )  # fmt: skip


# ---------------------------------------------------------------- escalation


def superior_authority(unit: Unit) -> Unit | None:
    """The nearest authority above the unit: the bureau that supervises a school."""
    paths = ancestor_paths(unit.path, include_self=False)
    return Unit.objects.filter(path__in=paths, kind=UnitKind.AUTHORITY).order_by("-depth").first()


def _silenced_now(now: dt.datetime) -> Q:
    return Q(silenced_by__isnull=False, silenced_by__ends_at__gt=now)


@transaction.atomic
def escalate_overdue(now: dt.datetime | None = None) -> int:
    """Alerts not acknowledged by their deadline go up to the superior authority, once; its
    people are told (unless the alert is silenced)."""
    now = now or timezone.now()
    overdue = (
        Alert.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(status=AlertStatus.RAISED, ack_due__lt=now, escalated_at__isnull=True)
        .select_related("unit", "silenced_by", "rule")
        .order_by("ack_due")[:500]
    )
    count = 0
    for alert in overdue:
        superior = superior_authority(alert.unit)
        alert.escalated_to, alert.escalated_at = superior, now
        note = (
            _("超时未确认，已升级至%(u)s。") % {"u": superior.name}
            if superior
            else _("超时未确认（无上级单位）。")
        )
        _workflow().advance(alert, None, AlertAction.ESCALATE, to=None, note=note)
        if superior is not None and not _silent(alert, now):
            notify_alert(alert, people_at([superior.pk], HANDLE), "escalated")
        count += 1
    return count


@transaction.atomic
def rering_critical(now: dt.datetime | None = None) -> int:
    """Critical alerts still not acknowledged ring their people again every `RERING`."""
    now = now or timezone.now()
    due = (
        Alert.objects.filter(status=AlertStatus.RAISED, severity=Severity.CRITICAL)
        .filter(Q(notified_at__isnull=True) | Q(notified_at__lte=now - RERING))
        .filter(first_seen__lte=now - RERING)
        .exclude(_silenced_now(now))
        .select_related("unit", "rule", "silenced_by")
        .order_by("pk")[:500]
    )
    count = 0
    for alert in due:
        people = responsible_people(alert)
        notify_alert(alert, people, "rering")
        Alert.objects.filter(pk=alert.pk).update(notified_at=now)
        count += 1
    return count


def run_escalation(now: dt.datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    return {"escalated": escalate_overdue(now), "rerung": rering_critical(now)}


# ---------------------------------------------------------------- the hazard's origin


def _origin(user: Any, hazard: Any) -> tuple[str, str] | None:
    alert = Alert.objects.restrict(user, "view").filter(hazard_id=hazard.pk).first()
    if alert is None:
        return None
    return _("预警：%(t)s") % {"t": alert.title}, _url(alert)


def register_origin() -> None:
    from xiaoan.hazards import origins
    from xiaoan.hazards.choices import HazardSource

    origins.register(HazardSource.ALERT, _origin)
