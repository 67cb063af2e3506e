"""Report and triage: 随手拍 and inspection findings, confirmation, dismissal, 屡查屡犯."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.core.choices import SafetyDomain
from xiaoan.core.errors import Forbidden, Invalid
from xiaoan.core.idempotency import clean_key, replay_of, save_once
from xiaoan.core.workflow import require_note
from xiaoan.hazards import criteria
from xiaoan.hazards.choices import (
    HazardAction,
    HazardLevel,
    HazardSource,
    HazardStatus,
)
from xiaoan.hazards.models import (
    Hazard,
    HazardPhoto,
)
from xiaoan.hazards.services.base import (
    _begin,
    _place_fits,
    _record,
    reportable_units,
)
from xiaoan.hazards.services.supervision import _supervise_automatically, supervise_if_flagged
from xiaoan.hazards.similarity import similarity
from xiaoan.orgs.models import Place, Unit


def _mine(actor: Any):
    return Hazard.objects.filter(finder_id=actor.pk)


@transaction.atomic
def report(
    actor: Any,
    unit: Unit | int,
    *,
    description: str,
    source: str = HazardSource.SELF_CHECK,
    domain: str = "",
    category: str = "",
    place: Place | None = None,
    place_text: str = "",
    photos: Sequence = (),
    idempotency_key: str | None = None,
    fingerprint: str = "",
    criterion: str = "",
    found_at: dt.datetime | None = None,
    subject: Any = None,
) -> Hazard:
    """Record a new hazard (待确认). With an idempotency key, a retry returns the first one
    (its `replayed` set), concurrent retries included; the key with a request of another
    `fingerprint` (xiaoan.core.idempotency) is refused with 422. `subject` names the
    register item it is about ("buildings:12" or the item): one the reporter sees, of the
    unit's school (xiaoan.core.registers.resolve_subject), else 400."""
    key = clean_key(idempotency_key)
    existing = replay_of(_mine(actor), key, fingerprint)
    if existing is not None:
        return existing
    unit_pk = unit.pk if isinstance(unit, Unit) else unit
    unit_obj = reportable_units(actor).filter(pk=unit_pk).first()
    if unit_obj is None:
        if Unit.objects.restrict(actor).filter(pk=unit_pk).exists():
            raise Forbidden(_("您不能在该单位上报隐患。"))
        raise Invalid(fields={"unit": [_("单位不存在或不在您的范围内。")]})
    from xiaoan.core.registers import resolve_subject

    return _create(
        actor,
        unit_obj,
        key,
        subject=resolve_subject(actor, subject, unit_obj),
        fingerprint=fingerprint,
        description=description,
        source=source,
        domain=domain,
        category=category,
        place=place,
        place_text=place_text,
        photos=photos,
        criterion=criterion,
        found_at=found_at,
    )


@transaction.atomic
def record_finding(
    actor: Any,
    unit: Unit,
    *,
    description: str,
    source: str = HazardSource.INSPECTION,
    domain: str = "",
    category: str = "",
    photos: Sequence = (),
    criterion: str = "",
    idempotency_key: str | None = None,
    found_at: dt.datetime | None = None,
    major_note: str = "",
    subject: Any = None,
) -> Hazard:
    """A finding of an inspection that the calling service has let `actor` conduct at `unit`
    (invited experts and peer inspectors hold no hazard rights of their own). It lands in the
    unit's ledger as reported, or, for an item with a direct major-hazard criterion, already
    confirmed as 重大 (and so under supervision). A retry with the same key returns it."""
    key = clean_key(idempotency_key)
    existing = replay_of(_mine(actor), key, "")
    if existing is not None:
        return existing
    hazard = _create(
        actor,
        unit,
        key,
        description=description,
        source=source,
        domain=domain,
        category=category,
        photos=photos,
        criterion=criterion,
        found_at=found_at,
        subject=subject,
    )
    if criterion:
        hazard = Hazard.objects.select_for_update().get(pk=hazard.pk)
        _confirm(
            hazard,
            actor,
            level=HazardLevel.MAJOR,
            criterion=criterion,
            note=major_note,
        )
    return hazard


def _create(
    actor: Any,
    unit_obj: Unit,
    key: str | None,
    *,
    fingerprint: str = "",
    description: str,
    source: str,
    domain: str,
    category: str,
    place: Place | None = None,
    place_text: str = "",
    photos: Sequence = (),
    criterion: str = "",
    found_at: dt.datetime | None = None,
    subject: Any = None,
) -> Hazard:
    description = (description or "").strip()
    if len(description) < 2:
        raise Invalid(_("请用一句话描述隐患。"), fields={"description": [_("必填。")]})
    if source not in HazardSource.values:
        raise Invalid(fields={"source": [_("来源无效。")]})
    if domain and domain not in SafetyDomain.values:
        raise Invalid(fields={"domain": [_("领域无效。")]})
    if place is not None and not _place_fits(place, unit_obj):
        raise Invalid(fields={"place": [_("场所不属于该单位。")]})
    if found_at and found_at > timezone.now() + dt.timedelta(minutes=5):
        raise Invalid(fields={"found_at": [_("发现时间不能晚于现在。")]})
    suggestion = criteria.BY_CODE.get(criterion) or criteria.suggest(description)
    hazard = Hazard(
        unit=unit_obj,
        description=description,
        source=source,
        domain=domain,
        category=category.strip()[:60],
        place=place,
        place_text=place_text.strip()[:200],
        subject=subject,
        finder=actor,
        found_at=found_at or timezone.now(),
        idempotency_key=key,
        idempotency_fingerprint=fingerprint if key else "",
        number=f"tmp-{timezone.now().timestamp()}-{actor.pk}",
    )
    if suggestion:
        hazard.suggested_level = HazardLevel.MAJOR
        hazard.criterion = suggestion.code
        if not hazard.domain:
            hazard.domain = SafetyDomain.FIRE
    # A retry racing the first request: the unique key decides, both get the winner.
    winner = save_once(hazard.save, _mine(actor), key, fingerprint)
    if winner is not None:
        return winner
    hazard.number = f"YH{timezone.localdate():%Y%m%d}-{hazard.pk:06d}"
    Hazard.objects.filter(pk=hazard.pk).update(number=hazard.number)
    _record(
        hazard,
        actor,
        HazardAction.REPORT,
        None,
        description,
        data={"criterion": hazard.criterion} if hazard.criterion else {},
        photos=photos,
        photo_kind=HazardPhoto.Kind.BEFORE,
    )
    return hazard


@transaction.atomic
def record_register_finding(
    actor: Any,
    unit: Unit,
    *,
    description: str,
    subject: Any,
    domain: str = "",
    category: str = "",
    place: Place | None = None,
    note: str = "",
    level: str = HazardLevel.MAJOR,
) -> Hazard:
    """A major hazard that a register's rule finds (a building appraised C or D is a 危房),
    recorded in the unit's ledger for the item and confirmed as 重大 at once: it is under
    supervision and on the 动态清零 board until closed through its loop. The calling
    register service has let `actor` change the item; no direct criterion is named (the
    Ministry guide's 校舍 article was not at hand: major-hazard-criteria.md §5). A rule
    whose finding is no major hazard by the guide passes `level` 一般 (confirmed, not
    supervised): an overdue statutory inspection, an expired extinguisher."""
    hazard = _create(
        actor,
        unit,
        None,
        description=description,
        source=HazardSource.SELF_CHECK,
        domain=domain,
        category=category,
        place=place,
        subject=subject,
    )
    hazard = Hazard.objects.select_for_update().get(pk=hazard.pk)
    return _confirm(hazard, actor, level=level, criterion="", note=note)


@transaction.atomic
def confirm(
    actor: Any,
    pk: Any,
    *,
    level: str,
    domain: str = "",
    category: str = "",
    place: Place | None = None,
    place_text: str | None = None,
    note: str = "",
    criterion: str | None = None,
    version: int | None = None,
) -> Hazard:
    hazard = _begin(actor, pk, "confirm", version)
    return _confirm(
        hazard,
        actor,
        level=level,
        domain=domain,
        category=category,
        place=place,
        place_text=place_text,
        note=note,
        criterion=criterion,
    )


def _confirm(
    hazard: Hazard,
    actor: Any,
    *,
    level: str,
    domain: str = "",
    category: str = "",
    place: Place | None = None,
    place_text: str | None = None,
    note: str = "",
    criterion: str | None = None,
) -> Hazard:
    if level not in HazardLevel.values:
        raise Invalid(fields={"level": [_("请选择隐患等级。")]})
    if domain and domain not in SafetyDomain.values:
        raise Invalid(fields={"domain": [_("领域无效。")]})
    if place is not None and not _place_fits(place, hazard.unit):
        raise Invalid(fields={"place": [_("场所不属于该单位。")]})
    hazard.level = level
    hazard.domain = domain or hazard.domain
    hazard.category = (category or hazard.category).strip()[:60]
    if place is not None:
        hazard.place = place
    if place_text is not None:
        hazard.place_text = place_text.strip()[:200]
    if criterion is not None:
        if criterion and criterion not in criteria.BY_CODE:
            raise Invalid(fields={"criterion": [_("未知的判定依据。")]})
        hazard.criterion = criterion
    hazard.confirmed_at = timezone.now()
    _record(
        hazard,
        actor,
        HazardAction.CONFIRM,
        note=note,
        data={"level": level, "criterion": hazard.criterion},
    )
    if level == HazardLevel.MAJOR:
        _supervise_automatically(hazard, _("重大隐患自动挂牌督办"))
    _flag_recurrence(hazard)
    supervise_if_flagged(hazard)  # 屡查屡犯 just found, or 自查未发现 set by an inspection
    return hazard


@transaction.atomic
def dismiss(actor: Any, pk: Any, *, note: str, version: int | None = None) -> Hazard:
    hazard = _begin(actor, pk, "dismiss", version)
    note = require_note(note, _("不构成隐患的理由"))
    _record(hazard, actor, HazardAction.DISMISS, note=note)
    return hazard


def _flag_recurrence(hazard: Hazard) -> Hazard | None:
    """屡查屡犯: a closed hazard of the same unit, place and kind within the window."""
    since = timezone.now() - dt.timedelta(days=round(settings.XIAOAN_RECURRENCE_MONTHS * 30.44))
    candidates = (
        Hazard.objects.filter(unit=hazard.unit, status=HazardStatus.CLOSED, closed_at__gte=since)
        .exclude(pk=hazard.pk)
        .order_by("-closed_at")[:200]
    )
    best, best_score = None, 0.0
    for old in candidates:
        same_place = (hazard.place_id and old.place_id == hazard.place_id) or (
            not hazard.place_id and hazard.place_text and old.place_text == hazard.place_text
        )
        same_kind = bool(hazard.category) and old.category == hazard.category
        score = similarity(hazard.description, old.description)
        if (same_place and (same_kind or score >= 0.5)) or score >= 0.8:
            score += 1 if same_place else 0
            if score > best_score:
                best, best_score = old, score
    if best is None:
        return None
    hazard.is_recurring = True
    hazard.recurrence_of = best
    _record(
        hazard,
        None,
        HazardAction.RECURRENCE,
        None,
        _("与已销号隐患 %(n)s 相同（同一单位、场所、类别）") % {"n": best.number},
        data={"previous": best.pk},
    )
    return best
