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
  every `RERING` until acknowledged); `evaluate_rules(today)` fires each rule once per thing
  and period.
- Silences, rules and posted warnings (`post_warning`: one alert per school below the
  bureau, their progress on `progress_of`).
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
    WarningKind,
)
from xiaoan.alerts.models import (
    Alert,
    AlertEvent,
    AlertPhoto,
    AlertRule,
    Bulletin,
    RuleFiring,
    Silence,
)
from xiaoan.core.errors import Forbidden, Invalid, NotFound
from xiaoan.core.idempotency import begin_once, clean_key, replay_of, save_once
from xiaoan.core.ids import record_id
from xiaoan.core.scoping import has_permission_anywhere
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
MAX_SILENCE = dt.timedelta(days=90)


def deadlines(severity: str) -> tuple[dt.timedelta, dt.timedelta]:
    custom = getattr(settings, "XIAOAN_ALERT_DEADLINES", {}).get(severity)
    if custom:
        return dt.timedelta(minutes=custom[0]), dt.timedelta(minutes=custom[1])
    return DEADLINES[severity]


def _workflow():
    from xiaoan.alerts.workflow import ALERT

    return ALERT


def _refuse(message: str, field: str) -> Invalid:
    return Invalid(message, fields={field: [message]})


def _url(alert: Alert) -> str:
    return reverse("alerts:alert_detail", args=[alert.pk])


# ---------------------------------------------------------------- labels and fingerprints


def clean_labels(labels: Any, field: str = "labels", limit: int = MAX_LABELS) -> dict[str, str]:
    """Flat text labels: {"sensor": "B1-3F-07"}. Nested values, too many or too long are
    refused (a label set is matched and shown, never a document)."""
    if labels in (None, ""):
        return {}
    if not isinstance(labels, Mapping):
        raise _refuse(_("标签须为“名称: 值”的对象。"), field)
    if len(labels) > limit:
        raise _refuse(_("标签最多 %(n)d 个。") % {"n": limit}, field)
    out: dict[str, str] = {}
    for key, value in labels.items():
        key = str(key).strip()
        if not key or len(key) > MAX_LABEL_KEY:
            raise _refuse(_("标签名须为 1 到 60 个字符。"), field)
        if isinstance(value, (dict, list, tuple, set)):
            raise _refuse(_("标签“%(k)s”的值须为文字或数字。") % {"k": key[:30]}, field)
        text = "" if value is None else str(value).strip()
        if len(text) > MAX_LABEL_VALUE:
            raise _refuse(_("标签“%(k)s”的值不超过 200 个字符。") % {"k": key[:30]}, field)
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
    candidates = Silence.objects.filter(
        _ancestor_units(unit), starts_at__lte=now, ends_at__gt=now
    ).select_related("unit")
    for silence in candidates.order_by("starts_at", "pk"):
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
    above = Unit.objects.filter(path__in=ancestor_paths(unit.path)).exclude(
        kind__in=(UnitKind.AUTHORITY, UnitKind.SECTION)
    )
    return list(above.values_list("pk", flat=True))


def people_at(unit_ids: Iterable[int], perm: str = HANDLE, roles: Iterable[str] = ()) -> list:
    """The active people whose roles at these units grant `perm` (and, if given, are among
    `roles`)."""
    from xiaoan.accounts.models import RoleAssignment

    rows = RoleAssignment.objects.filter(
        unit_id__in=list(unit_ids), role__is_active=True, user__is_active=True
    ).select_related("user", "role")
    wanted = set(roles or ())
    people = {}
    for row in rows:
        if perm not in (row.role.permissions or ()):
            continue
        if wanted and row.role.code not in wanted:
            continue
        people[row.user_id] = row.user
    return list(people.values())


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


def _check_choice(value: str, choices, field: str) -> None:
    if value not in choices.values:
        raise _refuse(_("取值无效。"), field)


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
    _check_choice(severity, Severity, "severity")
    _check_choice(origin, AlertOrigin, "origin")
    unit_obj = unit if isinstance(unit, Unit) else Unit.objects.filter(pk=unit).first()
    if unit_obj is None:
        raise _refuse(_("单位不存在。"), "unit")
    kind = str(kind or "").strip()[:40]
    if not kind:
        raise _refuse(_("请填写预警类型。"), "kind")
    title = " ".join(str(title or "").split())[:200]
    if not title:
        raise _refuse(_("请填写预警标题。"), "title")
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
        raise _refuse(_("请选择处置方式。"), "disposition")
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
        raise _refuse(
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
        raise _refuse(_("请选择您管理范围内的其他单位。"), "unit")
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


# ---------------------------------------------------------------- silences


def silence_units(actor: Any):
    return Unit.objects.with_permission(actor, ADD_SILENCE).filter(is_active=True)


@transaction.atomic
def create_silence(
    actor: Any,
    *,
    unit: Any,
    starts_at: dt.datetime | None = None,
    ends_at: dt.datetime,
    reason: str,
    include_subtree: bool = True,
    place: str = "",
    kind: str = "",
    matchers: Any = None,
) -> Silence:
    if not has_permission_anywhere(actor, ADD_SILENCE):
        raise Forbidden()
    unit_id = getattr(unit, "pk", unit)
    found = None
    if str(unit_id or "").isdigit() and int(unit_id) < 2**63:
        found = silence_units(actor).filter(pk=int(unit_id)).first()
    if found is None:
        raise _refuse(_("单位不存在或不在您的管理范围内。"), "unit")
    now = timezone.now()
    starts_at = starts_at or now
    if not isinstance(ends_at, dt.datetime) or ends_at <= starts_at:
        raise _refuse(_("结束时间须晚于开始时间。"), "ends_at")
    if ends_at <= now:
        raise _refuse(_("结束时间须晚于现在。"), "ends_at")
    if ends_at - starts_at > MAX_SILENCE:
        raise _refuse(_("一次静默不超过 90 天。"), "ends_at")
    reason = " ".join(str(reason or "").split())[:200]
    if not reason:
        raise _refuse(_("请填写静默原因。"), "reason")
    return Silence.objects.create(
        unit=found,
        include_subtree=bool(include_subtree),
        place=str(place or "").strip()[:200],
        kind=str(kind or "").strip()[:40],
        matchers=clean_labels(matchers, "matchers", MAX_MATCHERS),
        starts_at=starts_at,
        ends_at=ends_at,
        reason=reason,
        created_by=actor,
    )


@transaction.atomic
def end_silence(actor: Any, pk: Any) -> Silence:
    """End a silence now (a maintenance window finished early)."""
    pk = record_id(pk)
    if not Silence.objects.restrict(actor, "view").filter(pk=pk).exists():
        raise NotFound()
    silence = Silence.objects.select_for_update().get(pk=pk)
    if not Silence.objects.restrict(actor, "change").filter(pk=pk).exists():
        raise Forbidden()
    now = timezone.now()
    if silence.ends_at > now:
        silence.ends_at = max(now, silence.starts_at)
        silence.ended_by = actor
        silence.save(update_fields=["ends_at", "ended_by"])
    return silence


# ---------------------------------------------------------------- rules


def rule_units(actor: Any):
    return Unit.objects.with_permission(actor, ADD_RULE).filter(is_active=True)


def role_choices() -> list[tuple[str, str]]:
    """The roles a rule may tell: those whose people may handle alerts."""
    from xiaoan.accounts.models import Role

    return [
        (code, name)
        for code, name, perms in Role.objects.filter(is_active=True)
        .order_by("pk")
        .values_list("code", "name", "permissions")
        if HANDLE in (perms or ())
    ]


def clean_thresholds(code: str, given: Any) -> dict[str, int]:
    """The condition's declared thresholds, each a whole number (missing ones default)."""
    from xiaoan.alerts.conditions import conditions

    condition = conditions().get(code)
    if condition is None:
        raise _refuse(_("请选择条件。"), "condition")
    if given in (None, ""):
        given = {}
    if not isinstance(given, Mapping):
        raise _refuse(_("阈值须为“名称: 整数”的对象。"), "thresholds")
    unknown = set(given) - set(condition.thresholds)
    if unknown:
        raise _refuse(
            _("该条件没有阈值：%(n)s。") % {"n": "、".join(sorted(map(str, unknown)))[:100]},
            "thresholds",
        )
    out = {}
    for name, (_label, default) in condition.thresholds.items():
        value = given.get(name, default)
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise _refuse(_("阈值须为 0 到 100000 的整数。"), "thresholds")
        if isinstance(value, str):
            if not value.strip().isdigit() or len(value.strip()) > 6:
                raise _refuse(_("阈值须为 0 到 100000 的整数。"), "thresholds")
            value = int(value)
        if not 0 <= value <= 100_000:
            raise _refuse(_("阈值须为 0 到 100000 的整数。"), "thresholds")
        out[name] = value
    return out


def _rule_fields(*, name: str, condition: str, thresholds: Any, severity: str, roles: Any):
    name = " ".join(str(name or "").split())[:100]
    if not name:
        raise _refuse(_("请填写规则名称。"), "name")
    _check_choice(severity, Severity, "severity")
    known = {code for code, _label in role_choices()}
    roles = list(roles or ())
    if any(not isinstance(r, str) or r not in known for r in roles) or len(roles) > 20:
        raise _refuse(_("请从列表中选择通知角色。"), "roles")
    return {
        "name": name,
        "condition": condition,
        "thresholds": clean_thresholds(condition, thresholds),
        "severity": severity,
        "roles": sorted(set(roles)),
    }


@transaction.atomic
def create_rule(
    actor: Any,
    *,
    owner: Any,
    name: str,
    condition: str,
    thresholds: Any = None,
    severity: str = Severity.WARNING,
    roles: Any = (),
    is_active: bool = True,
) -> AlertRule:
    if not has_permission_anywhere(actor, ADD_RULE):
        raise Forbidden()
    owner_id = getattr(owner, "pk", owner)
    found = None
    if str(owner_id or "").isdigit() and int(owner_id) < 2**63:
        found = rule_units(actor).filter(pk=int(owner_id)).first()
    if found is None:
        raise _refuse(_("单位不存在或不在您的管理范围内。"), "owner")
    fields = _rule_fields(
        name=name, condition=condition, thresholds=thresholds, severity=severity, roles=roles
    )
    return AlertRule.objects.create(
        owner=found, created_by=actor, is_active=bool(is_active), **fields
    )


def _rule_for(actor: Any, pk: Any, action: str = "change") -> AlertRule:
    pk = record_id(pk)
    if not AlertRule.objects.restrict(actor, "view").filter(pk=pk).exists():
        raise NotFound()
    rule = AlertRule.objects.select_for_update().get(pk=pk)
    if not AlertRule.objects.restrict(actor, action).filter(pk=pk).exists():
        raise Forbidden()
    return rule


@transaction.atomic
def update_rule(
    actor: Any,
    pk: Any,
    *,
    name: str,
    condition: str,
    thresholds: Any = None,
    severity: str = Severity.WARNING,
    roles: Any = (),
    is_active: bool = True,
) -> AlertRule:
    rule = _rule_for(actor, pk)
    fields = _rule_fields(
        name=name, condition=condition, thresholds=thresholds, severity=severity, roles=roles
    )
    for field, value in fields.items():
        setattr(rule, field, value)
    rule.is_active = bool(is_active)
    rule.version += 1
    rule.save()
    return rule


@transaction.atomic
def deactivate_rule(actor: Any, pk: Any) -> AlertRule:
    rule = _rule_for(actor, pk)
    if rule.is_active:
        rule.is_active = False
        rule.version += 1
        rule.save(update_fields=["is_active", "version", "updated_at"])
    return rule


def evaluate_rules(today: dt.date | None = None) -> dict[str, int]:
    """Every active rule: its condition's findings within the owner's subtree, one alert per
    new (rule, key, period). A finding outside the subtree (a condition's mistake) is
    skipped, never raised elsewhere."""
    from xiaoan.alerts.conditions import conditions

    today = today or timezone.localdate()
    registry = conditions()
    fired = skipped = 0
    rules = AlertRule.objects.filter(is_active=True).select_related("owner").order_by("pk")
    for rule in rules:
        condition = registry.get(rule.condition)
        if condition is None:
            skipped += 1
            continue
        within = rule.owner.path
        thresholds = {n: rule.thresholds.get(n, d) for n, (_l, d) in condition.thresholds.items()}
        try:
            findings = list(condition.find(today, thresholds, within))
        except Exception:  # one broken condition must not stop the other rules
            logger.exception("alert rule %s: condition %s failed", rule.pk, rule.condition)
            skipped += 1
            continue
        if not findings:
            continue
        done = set(
            RuleFiring.objects.filter(
                rule=rule, key__in=[f.key[:100] for f in findings]
            ).values_list("key", "period")
        )
        units = Unit.objects.in_bulk({f.unit_id for f in findings})
        for finding in findings:
            key = (finding.key[:100], finding.period[:20])
            unit = units.get(finding.unit_id)
            if key in done or unit is None or not unit.path.startswith(within):
                continue
            if _fire(rule, condition, finding, unit, key):
                fired += 1
            done.add(key)
    return {"fired": fired, "skipped": skipped}


def _fire(rule: AlertRule, condition: Any, finding: Any, unit: Unit, key: tuple) -> bool:
    with transaction.atomic():
        try:
            with transaction.atomic():
                firing = RuleFiring.objects.create(rule=rule, key=key[0], period=key[1])
        except IntegrityError:
            return False  # another run fired it
        alert, _created = raise_alert(
            unit=unit,
            kind=condition.kind,
            severity=rule.severity,
            title=finding.title,
            detail=finding.detail,
            url=finding.url,
            place=finding.place,
            fingerprint=f"rule:{rule.pk}:{key[0]}:{key[1]}",
            labels={"rule": str(rule.pk), "key": key[0], "period": key[1]},
            origin=AlertOrigin.RULE,
            rule=rule,
        )
        firing.alert = alert
        firing.save(update_fields=["alert"])
    return True


# ---------------------------------------------------------------- posted warnings


def posting_units(actor: Any):
    return Unit.objects.with_permission(actor, ADD_BULLETIN).filter(
        is_active=True, kind=UnitKind.AUTHORITY
    )


def _mine(actor: Any):
    return Bulletin.objects.filter(created_by_id=actor.pk)


@transaction.atomic
def post_warning(
    actor: Any,
    *,
    unit: Any,
    kind: str,
    title: str,
    detail: str = "",
    severity: str = Severity.WARNING,
    valid_until: dt.datetime | None = None,
    idempotency_key: str | None = None,
    fingerprint: str = "",
) -> Bulletin:
    """A bureau's warning to every active school below it: one alert each (manual origin),
    each school told. A retry with the same key returns the first posting."""
    if not has_permission_anywhere(actor, ADD_BULLETIN):
        raise Forbidden()
    key = clean_key(idempotency_key)
    existing = replay_of(_mine(actor), key, fingerprint)
    if existing is not None:
        return existing
    unit_id = getattr(unit, "pk", unit)
    found = None
    if str(unit_id or "").isdigit() and int(unit_id) < 2**63:
        found = posting_units(actor).filter(pk=int(unit_id)).first()
    if found is None:
        raise _refuse(_("发布单位须为您管理的教育行政部门。"), "unit")
    _check_choice(kind, WarningKind, "kind")
    _check_choice(severity, Severity, "severity")
    title = " ".join(str(title or "").split())[:200]
    if not title:
        raise _refuse(_("请填写预警标题。"), "title")
    if valid_until is not None and valid_until <= timezone.now():
        raise _refuse(_("有效期须晚于现在。"), "valid_until")
    schools = list(
        Unit.objects.filter(
            path__startswith=found.path, kind=UnitKind.SCHOOL, is_active=True
        ).order_by("path")
    )
    if not schools:
        raise _refuse(_("该单位下没有学校。"), "unit")
    bulletin = Bulletin(
        unit=found,
        kind=kind,
        severity=severity,
        title=title,
        detail=str(detail or "").strip()[:10_000],
        valid_until=valid_until,
        created_by=actor,
        schools=len(schools),
        idempotency_key=key,
        idempotency_fingerprint=fingerprint if key else "",
    )
    winner = save_once(bulletin.save, _mine(actor), key, fingerprint)
    if winner is not None:
        return winner
    for school in schools:
        raise_alert(
            unit=school,
            kind=kind,
            severity=severity,
            title=title,
            detail=bulletin.detail,
            fingerprint=f"bulletin:{bulletin.pk}",
            labels={"bulletin": str(bulletin.pk)},
            origin=AlertOrigin.MANUAL,
            source_name=found.name,
            bulletin=bulletin,
            by=actor,
        )
    return bulletin


def load_bulletin(actor: Any, pk: Any) -> Bulletin:
    found = (
        Bulletin.objects.restrict(actor, "view")
        .filter(pk=record_id(pk))
        .select_related("unit", "created_by")
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def progress_of(bulletin: Bulletin) -> dict[str, Any]:
    """Each school's alert of the posting and the counts by status (two queries)."""
    rows = list(
        bulletin.alerts.select_related("unit", "acknowledged_by", "handled_by").order_by(
            "unit__path"
        )
    )
    counts = {s: 0 for s in AlertStatus.values}
    for alert in rows:
        counts[alert.status] += 1
    acknowledged = sum(1 for a in rows if a.acknowledged_at is not None)
    handled = counts[AlertStatus.HANDLED] + counts[AlertStatus.CLOSED]
    return {"alerts": rows, "counts": counts, "acknowledged": acknowledged, "handled": handled}


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
