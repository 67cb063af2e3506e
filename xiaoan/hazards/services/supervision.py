"""挂牌督办: automatic and by a superior authority, its number and answer deadline, the
supervised unit's answer, and the supervising unit's acceptance of the closure."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.accounts.services import people_with
from xiaoan.core.errors import Conflict, Forbidden, Invalid
from xiaoan.core.workflow import require_note
from xiaoan.hazards.choices import (
    AWAITING_ANSWER,
    OPEN_STATUSES,
    HazardAction,
    HazardStatus,
)
from xiaoan.hazards.models import (
    Hazard,
    HazardPhoto,
    Supervision,
    SupervisionCounter,
)
from xiaoan.hazards.services.base import (
    Kind,
    _begin,
    _close,
    _record,
    _superior_authority,
    _today,
    _url,
    awaiting_supervision,
    may_rectify,
)
from xiaoan.notifications.services import grouped, notify
from xiaoan.orgs.choices import UnitKind
from xiaoan.orgs.models import Unit, ancestor_paths


def _next_serial(unit: Unit, year: int) -> int:
    """The unit's next 督办 serial of the year. The counter row stays locked until the
    caller's transaction ends: concurrent listings wait their turn, and a listing rolled back
    gives its number back, so numbers are gap-free and never given twice."""
    SupervisionCounter.objects.bulk_create(
        [SupervisionCounter(unit=unit, year=year)], ignore_conflicts=True
    )
    counter = SupervisionCounter.objects.select_for_update().get(unit=unit, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def default_answer_due(today: dt.date | None = None) -> dt.date:
    return (today or _today()) + dt.timedelta(days=settings.XIAOAN_SUPERVISION_ANSWER_DAYS)


def _list(
    hazard: Hazard,
    unit: Unit,
    *,
    reason: str,
    listed_by: Any = None,
    answer_due: dt.date | None = None,
    rectifiers: list | None = None,
) -> Supervision:
    """A numbered supervision of the (locked) hazard, with its event and notices (to the
    owner and `rectifiers`, by default those who rectify at the hazard's unit)."""
    today = _today()
    supervision = Supervision.objects.create(
        hazard=hazard,
        supervising_unit=unit,
        listed_by=listed_by,
        reason=reason,
        automatic=listed_by is None,
        year=today.year,
        serial=_next_serial(unit, today.year),
        answer_due=answer_due or default_answer_due(today),
    )
    hazard.is_supervised = True
    data = {
        "unit": unit.name,
        "number": supervision.number,
        "answer_due": supervision.answer_due.isoformat(),
    }
    if listed_by is None:
        data["automatic"] = True
    _record(hazard, listed_by, HazardAction.SUPERVISE, None, reason, data=data)
    if rectifiers is None:
        rectifiers = people_with("hazards.rectify_hazard", hazard.unit)
    notify(
        [hazard.owner, *rectifiers],
        Kind.SUPERVISED,
        _("隐患被挂牌督办：%(n)s（%(s)s）") % {"n": hazard.number, "s": supervision.number},
        _("%(reason)s。请于 %(due)s 前答复督办单位（整改方案或进展）。")
        % {"reason": reason, "due": f"{supervision.answer_due:%Y-%m-%d}"},
        _url(hazard),
    )
    return supervision


def _supervise_automatically(hazard: Hazard, reason: str) -> Supervision | None:
    """Listed by the nearest authority above the hazard's unit; None when there is none or
    it listed the hazard already."""
    superior = _superior_authority(hazard.unit)
    if superior is None:
        return None
    if Supervision.objects.filter(hazard=hazard, supervising_unit=superior).exists():
        return None
    return _list(hazard, superior, reason=reason)


def _flag_reason(hazard: Hazard) -> str:
    if hazard.is_recurring:
        return _("屡查屡犯自动挂牌督办")
    return _("自查未发现自动挂牌督办")


def supervise_flagged(hazards: QuerySet | Iterable[Hazard | int]) -> int:
    """Put the open hazards flagged 屡查屡犯 or 自查未发现 (flags set elsewhere, e.g. by an
    inspection in bulk) under the supervision of the authority above their unit, when
    XIAOAN_AUTO_SUPERVISE_RECURRING is on. Idempotent: those already listed by it are
    skipped. Units, superiors and existing listings are read in a few queries for all the
    hazards; each new listing writes its own rows, and each person told gets one notice for
    all of them. How many were listed."""
    if not settings.XIAOAN_AUTO_SUPERVISE_RECURRING:
        return 0
    if isinstance(hazards, QuerySet):
        pks: Any = hazards.values("pk")  # a subquery: the hazards are read once, locked
    else:
        pks = [h.pk if isinstance(h, Hazard) else h for h in hazards]
        if not pks:
            return 0
    with grouped(), transaction.atomic():
        flagged = list(
            Hazard.objects.select_for_update(of=("self",))
            .filter(pk__in=pks, status__in=OPEN_STATUSES)
            .filter(Q(is_recurring=True) | Q(missed_by_self_check=True))
            .select_related("unit", "owner")
            .order_by("pk")
        )
        if not flagged:
            return 0
        paths = {p for h in flagged for p in ancestor_paths(h.unit.path, include_self=False)}
        authorities = Unit.objects.filter(path__in=paths, kind=UnitKind.AUTHORITY)
        by_path = {u.path: u for u in authorities}
        listed = set(
            Supervision.objects.filter(hazard__in=flagged).values_list(
                "hazard_id", "supervising_unit_id"
            )
        )
        rectifiers: dict[int, list] = {}
        count = 0
        for hazard in flagged:
            # The nearest authority: the deepest of the hazard's ancestors.
            above = [
                by_path[p]
                for p in ancestor_paths(hazard.unit.path, include_self=False)
                if p in by_path
            ]
            superior = max(above, key=lambda u: u.depth, default=None)
            if superior is None or (hazard.pk, superior.pk) in listed:
                continue
            if hazard.unit_id not in rectifiers:
                rectifiers[hazard.unit_id] = people_with("hazards.rectify_hazard", hazard.unit)
            _list(
                hazard,
                superior,
                reason=_flag_reason(hazard),
                rectifiers=rectifiers[hazard.unit_id],
            )
            count += 1
    return count


def supervise_if_flagged(hazard: Hazard) -> Supervision | None:
    """The rule of `supervise_flagged` for one locked hazard its service just flagged."""
    if not settings.XIAOAN_AUTO_SUPERVISE_RECURRING or not hazard.is_open:
        return None
    if not (hazard.is_recurring or hazard.missed_by_self_check):
        return None
    return _supervise_automatically(hazard, _flag_reason(hazard))


def supervising_units(actor: Any, hazard: Hazard):
    """Units strictly above the hazard's unit where the actor may supervise."""
    paths = ancestor_paths(hazard.unit.path, include_self=False)
    return (
        Unit.objects.with_permission(actor, "hazards.supervise_hazard")
        .filter(path__in=paths)
        .order_by("-depth")
    )


@transaction.atomic
def supervise(
    actor: Any,
    pk: Any,
    *,
    reason: str,
    answer_due: dt.date | None = None,
    version: int | None = None,
) -> Supervision:
    """挂牌督办 by the actor's unit above the hazard's: numbered, with the date by which the
    supervised unit answers (default: XIAOAN_SUPERVISION_ANSWER_DAYS from today)."""
    hazard = _begin(actor, pk, "supervise", version)
    reason = require_note(reason, _("督办原因"))
    if answer_due is not None and answer_due < _today():
        raise Invalid(fields={"answer_due": [_("答复期限不能早于今天。")]})
    unit = supervising_units(actor, hazard).first()
    if unit is None:
        raise Forbidden(_("只有上级单位可以挂牌督办。"))
    if Supervision.objects.filter(hazard=hazard, supervising_unit=unit).exists():
        raise Conflict(_("该隐患已由本单位挂牌督办。"))
    return _list(hazard, unit, reason=reason, listed_by=actor, answer_due=answer_due)


@transaction.atomic
def answer_supervision(
    actor: Any, pk: Any, *, note: str, photos=(), version: int | None = None
) -> Hazard:
    """The supervised unit answers its supervisors (整改方案 or progress): every listing
    still waiting for an answer gets it, and their people are told."""
    hazard = _begin(actor, pk, "supervision_answer", version)
    note = require_note(note, _("答复内容"))
    waiting = list(
        hazard.supervisions.filter(answered_at__isnull=True).select_related("supervising_unit")
    )
    if not waiting:
        raise Conflict(_("该隐患没有待答复的挂牌督办。"))
    Supervision.objects.filter(pk__in=[s.pk for s in waiting]).update(
        answer=note, answered_at=timezone.now(), answered_by=actor
    )
    numbers = [s.number for s in waiting]
    _record(
        hazard,
        actor,
        HazardAction.SUPERVISION_ANSWER,
        None,
        note,
        data={"numbers": numbers},
        photos=photos,
        photo_kind=HazardPhoto.Kind.PROGRESS,
    )
    for supervision in waiting:
        notify(
            people_with("hazards.supervise_hazard", supervision.supervising_unit),
            Kind.SUPERVISED,
            _("督办隐患已答复：%(n)s（%(s)s）") % {"n": hazard.number, "s": supervision.number},
            note[:200],
            _url(hazard),
            actor=actor,
        )
    return hazard


def may_answer_supervision(actor: Any, hazard: Hazard) -> bool:
    """The supervised (owning) side, while a listing waits for its answer."""
    return (
        may_rectify(actor, hazard) and hazard.supervisions.filter(answered_at__isnull=True).exists()
    )


def notify_late_answers(today: dt.date | None = None) -> int:
    """Tell each supervising unit, once, of its listings whose answer is past due: one
    notice per unit (its people merge them with the rest of the daily pass). How many."""
    today = today or _today()
    late = list(
        Supervision.objects.filter(
            answered_at__isnull=True,
            late_notified_at__isnull=True,
            answer_due__lt=today,
            hazard__status__in=AWAITING_ANSWER,
        )
        .select_related("hazard", "supervising_unit")
        .order_by("supervising_unit_id", "year", "serial")
    )
    by_unit: dict[int, list[Supervision]] = defaultdict(list)
    for supervision in late:
        by_unit[supervision.supervising_unit_id].append(supervision)
    for rows in by_unit.values():
        first = rows[0]
        lines = [
            _("%(s)s %(n)s：答复期限 %(due)s")
            % {"s": s.number, "n": s.hazard.number, "due": f"{s.answer_due:%Y-%m-%d}"}
            for s in rows
        ]
        if len(rows) == 1:
            title = _("挂牌督办逾期未答复：%(s)s（%(n)s）") % {
                "s": first.number,
                "n": first.hazard.number,
            }
            url = _url(first.hazard)
        else:
            title = _("%(c)d 条挂牌督办逾期未答复") % {"c": len(rows)}
            url = reverse("hazards:hazard_list") + "?supervised=true"
        notify(
            people_with("hazards.supervise_hazard", first.supervising_unit),
            Kind.OVERDUE,
            title,
            "\n".join(lines),
            url,
        )
    Supervision.objects.filter(pk__in=[s.pk for s in late]).update(late_notified_at=timezone.now())
    return len(late)


@transaction.atomic
def accept_supervision(
    actor: Any, pk: Any, *, note: str, accepted: bool = True, version: int | None = None
) -> Hazard:
    """The supervising unit accepts the verified closure (the last acceptance closes it) or
    refuses it, which sends the hazard back to rectification."""
    hazard = _begin(actor, pk, "supervision_accept", version)
    if not awaiting_supervision(hazard):
        raise Conflict(_("隐患尚未验收通过，督办单位暂不能认可销号。"))
    note = require_note(note, _("认可意见") if accepted else _("不认可的理由"))
    mine = Unit.objects.with_permission(actor, "hazards.supervise_hazard")
    pending = hazard.supervisions.filter(accepted_at__isnull=True, supervising_unit__in=mine)
    if not pending.exists():
        raise Forbidden(_("只有督办单位可以认可销号。"))
    if not accepted:
        hazard.rework_count += 1
        hazard.closed_by = None
        _record(hazard, actor, HazardAction.SUPERVISION_REJECT, HazardStatus.RECTIFYING, note)
        notify(
            [hazard.owner or hazard.submitted_by],
            Kind.REJECTED,
            _("督办单位不认可销号，请重新整改：%(n)s") % {"n": hazard.number},
            note,
            _url(hazard),
        )
        return hazard
    pending.update(accepted_at=timezone.now(), accepted_by=actor)
    _record(hazard, actor, HazardAction.SUPERVISION_ACCEPT, None, note)
    if not hazard.supervisions.filter(accepted_at__isnull=True).exists():
        _close(hazard, actor, note)
    return hazard


def may_supervise(actor: Any, hazard: Hazard) -> bool:
    """A unit above the hazard's, where the actor may supervise, that has not listed it yet."""
    unit = supervising_units(actor, hazard).first()
    return unit is not None and not hazard.supervisions.filter(supervising_unit=unit).exists()


def may_accept_supervision(actor: Any, hazard: Hazard) -> bool:
    """Verified, and one of the actor's units still has to accept the closure."""
    return (
        awaiting_supervision(hazard)
        and hazard.supervisions.filter(
            accepted_at__isnull=True,
            supervising_unit__in=Unit.objects.with_permission(actor, "hazards.supervise_hazard"),
        ).exists()
    )
