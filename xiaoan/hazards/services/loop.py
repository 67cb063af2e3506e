"""Assignment, rectification and verification: 交办 → 整改 → 提交验收 → 验收销号."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.accounts.models import User
from xiaoan.accounts.services import people_with
from xiaoan.core.errors import Conflict, Forbidden, Invalid
from xiaoan.core.workflow import require_note
from xiaoan.hazards.choices import (
    HazardAction,
    HazardLevel,
    HazardStatus,
)
from xiaoan.hazards.models import (
    Hazard,
    HazardPhoto,
    allows,
)
from xiaoan.hazards.services.base import (
    Kind,
    _begin,
    _close,
    _record,
    _today,
    _url,
    assignable_owner_units,
    awaiting_supervision,
    controls_required,
)
from xiaoan.hazards.services.reporting import _confirm
from xiaoan.hazards.services.supervision import _supervise_automatically
from xiaoan.notifications.services import notify
from xiaoan.orgs.models import Place, Unit


@transaction.atomic
def assign(
    actor: Any,
    pk: Any,
    *,
    owner_unit: Unit | int,
    owner: User | int | None,
    measures: str,
    deadline: dt.date,
    budget=None,
    interim_controls: str = "",
    note: str = "",
    version: int | None = None,
) -> Hazard:
    hazard = _begin(actor, pk, "assign", version)
    return _assign(
        hazard,
        actor,
        owner_unit=owner_unit,
        owner=owner,
        measures=measures,
        deadline=deadline,
        budget=budget,
        interim_controls=interim_controls,
        note=note,
    )


def _assign(
    hazard: Hazard,
    actor: Any,
    *,
    owner_unit: Unit | int,
    owner: User | int | None,
    measures: str,
    deadline: dt.date,
    budget=None,
    interim_controls: str = "",
    note: str = "",
) -> Hazard:
    if hazard.confirmed_at is None or not hazard.level:
        raise Conflict(_("请先确认隐患等级，再交办整改。"))
    unit_pk = owner_unit.pk if isinstance(owner_unit, Unit) else owner_unit
    unit_obj = assignable_owner_units(actor).filter(pk=unit_pk).first()
    if unit_obj is None:
        raise Invalid(fields={"owner_unit": [_("整改单位不在您的管理范围内。")]})
    owner_obj = None
    if owner is not None:
        owner_pk = owner.pk if isinstance(owner, User) else owner
        owner_obj = User.objects.filter(
            pk=owner_pk, is_active=True, unit__path__startswith=unit_obj.path
        ).first()
        if owner_obj is None:
            raise Invalid(fields={"owner": [_("整改责任人须是整改单位的在职人员。")]})
    measures = (measures or "").strip()
    if not measures:
        raise Invalid(fields={"measures": [_("请填写整改措施。")]})
    if deadline is None or deadline < _today():
        raise Invalid(fields={"deadline": [_("整改期限不能早于今天。")]})
    if budget is not None and budget < 0:
        raise Invalid(fields={"budget": [_("整改资金不能为负数。")]})
    hazard.owner_unit, hazard.owner = unit_obj, owner_obj
    hazard.measures, hazard.deadline, hazard.budget = measures, deadline, budget
    if interim_controls.strip():
        hazard.interim_controls = interim_controls.strip()
    hazard.is_overdue = False
    _record(
        hazard,
        actor,
        HazardAction.ASSIGN,
        note=note,
        data={
            "owner_unit": unit_obj.name,
            "owner": owner_obj.display_name if owner_obj else "",
            "deadline": deadline.isoformat(),
        },
    )
    recipients = [owner_obj] if owner_obj else people_with("hazards.rectify_hazard", unit_obj)
    notify(
        recipients,
        Kind.ASSIGNED,
        _("新的整改任务：%(n)s") % {"n": hazard.number},
        _("%(d)s，整改期限 %(t)s。") % {"d": hazard.description[:80], "t": deadline},
        _url(hazard),
    )
    return hazard


@transaction.atomic
def confirm_and_assign(
    actor: Any,
    pk: Any,
    *,
    level: str,
    owner_unit: Unit | int,
    owner: User | int | None,
    measures: str,
    deadline: dt.date,
    budget=None,
    interim_controls: str = "",
    domain: str = "",
    category: str = "",
    place: Place | None = None,
    place_text: str | None = None,
    criterion: str | None = None,
    note: str = "",
    version: int | None = None,
) -> Hazard:
    """确认 and 交办 in one step for one who holds both rights: two events in one
    transaction (a refusal of either leaves the hazard as it was)."""
    hazard = _begin(actor, pk, "confirm_assign", version)
    if not allows(actor, hazard, "assign"):
        raise Forbidden(_("您没有交办该隐患的权限，请只确认隐患。"))
    _confirm(
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
    return _assign(
        hazard,
        actor,
        owner_unit=owner_unit,
        owner=owner,
        measures=measures,
        deadline=deadline,
        budget=budget,
        interim_controls=interim_controls,
    )


@transaction.atomic
def fix_on_spot(
    actor: Any, pk: Any, *, note: str, photos: Sequence, level: str = "", version: int | None = None
) -> Hazard:
    """立查立改: fixed while found; the fix and an after-photo go straight to verification."""
    hazard = _begin(actor, pk, "fix_on_spot", version)
    note = require_note(note, _("整改情况"))
    if not photos:
        raise Invalid(_("请上传整改后的照片。"), fields={"photos": [_("至少一张。")]})
    if not hazard.level:
        hazard.level = level or HazardLevel.GENERAL
        hazard.confirmed_at = timezone.now()
    hazard.fixed_on_spot = True
    hazard.submitted_by = actor
    hazard.owner = hazard.owner or actor
    hazard.owner_unit = hazard.owner_unit or hazard.unit
    hazard.measures = hazard.measures or note
    _record(
        hazard,
        actor,
        HazardAction.FIX_ON_SPOT,
        note=note,
        photos=photos,
        photo_kind=HazardPhoto.Kind.AFTER,
    )
    if hazard.level == HazardLevel.MAJOR:
        _supervise_automatically(hazard, _("重大隐患自动挂牌督办"))
    _notify_verifiers(hazard)
    return hazard


@transaction.atomic
def start(
    actor: Any,
    pk: Any,
    *,
    note: str = "",
    interim_controls: str | None = None,
    version: int | None = None,
) -> Hazard:
    """开始整改. A major hazard, or one with a far-off deadline, starts only with its interim
    controls in place (given here, or recorded before): it stays dangerous while it is fixed."""
    hazard = _begin(actor, pk, "start", version)
    changed = _require_controls(hazard, interim_controls)
    data = {"interim_controls": hazard.interim_controls} if changed else None
    _record(hazard, actor, HazardAction.START, note=note, data=data)
    return hazard


def _require_controls(hazard: Hazard, given: str | None) -> bool:
    """Keep the controls given (the form shows the recorded ones to edit); refuse when the
    hazard needs them and has none. Whether they changed (the event keeps them then)."""
    given = (given or "").strip()
    changed = bool(given) and given != hazard.interim_controls.strip()
    if changed:
        hazard.interim_controls = given
    if controls_required(hazard) and not hazard.interim_controls.strip():
        raise Invalid(
            _("重大隐患或整改期限较长的隐患，须先落实临时管控措施，再开始整改。"),
            fields={"interim_controls": [_("请填写临时管控措施。")]},
        )
    return changed


@transaction.atomic
def progress(
    actor: Any, pk: Any, *, note: str, photos: Sequence = (), version: int | None = None
) -> Hazard:
    hazard = _begin(actor, pk, "progress", version)
    note = require_note(note, _("整改进展"))
    _record(
        hazard,
        actor,
        HazardAction.PROGRESS,
        note=note,
        photos=photos,
        photo_kind=HazardPhoto.Kind.PROGRESS,
    )
    return hazard


@transaction.atomic
def add_control(
    actor: Any, pk: Any, *, measures: str, photos: Sequence = (), version: int | None = None
) -> Hazard:
    """Interim controls: warning signs, monitoring records, control measures."""
    hazard = _begin(actor, pk, "control", version)
    measures = require_note(measures, _("临时管控措施"))
    stamp = timezone.localtime().strftime("%Y-%m-%d")
    hazard.interim_controls = "\n".join(
        part for part in (hazard.interim_controls, f"[{stamp}] {measures}") if part
    )
    _record(
        hazard,
        actor,
        HazardAction.CONTROL,
        note=measures,
        photos=photos,
        photo_kind=HazardPhoto.Kind.CONTROL,
    )
    return hazard


@transaction.atomic
def submit(
    actor: Any, pk: Any, *, note: str, photos: Sequence, version: int | None = None
) -> Hazard:
    hazard = _begin(actor, pk, "submit", version)
    note = require_note(note, _("整改完成情况"))
    if not photos:
        raise Invalid(_("请上传整改后的照片。"), fields={"photos": [_("至少一张。")]})
    hazard.closed_by = None  # a new submission needs a new verification
    if controls_required(hazard) and not hazard.interim_controls.strip():
        raise Invalid(
            _("重大隐患或整改期限较长的隐患，须先落实临时管控措施。"),
            fields={"interim_controls": [_("请先登记临时管控措施。")]},
        )
    hazard.submitted_by = actor
    _record(
        hazard,
        actor,
        HazardAction.SUBMIT,
        note=note,
        photos=photos,
        photo_kind=HazardPhoto.Kind.AFTER,
    )
    _notify_verifiers(hazard)
    return hazard


def _notify_verifiers(hazard: Hazard) -> None:
    people = [
        p
        for p in people_with("hazards.verify_hazard", hazard.unit)
        if p.pk not in (hazard.owner_id, hazard.submitted_by_id)
    ]
    notify(
        people,
        Kind.SUBMITTED,
        _("隐患待验收：%(n)s") % {"n": hazard.number},
        hazard.description[:120],
        _url(hazard),
    )


# ---------------------------------------------------------------- verification


@transaction.atomic
def verify(
    actor: Any,
    pk: Any,
    *,
    passed: bool,
    note: str,
    photos: Sequence = (),
    version: int | None = None,
) -> Hazard:
    """Accept the rectification (销号) or send it back. The verifier is neither the owner
    nor the person who submitted the fix."""
    event = HazardAction.CLOSE if passed else HazardAction.REJECT
    hazard = _begin(actor, pk, "verify", version, event=event)
    if awaiting_supervision(hazard):
        raise Conflict(_("该隐患已验收通过，正等待督办单位认可。"))
    note = require_note(note, _("验收意见"))
    if actor.pk in (hazard.owner_id, hazard.submitted_by_id):
        raise Forbidden(_("整改责任人或整改提交人不能验收自己的整改。"))
    if not passed:
        hazard.rework_count += 1
        _record(
            hazard,
            actor,
            HazardAction.REJECT,
            HazardStatus.RECTIFYING,
            note,
            photos=photos,
            photo_kind=HazardPhoto.Kind.AFTER,
        )
        notify(
            [hazard.owner or hazard.submitted_by],
            Kind.REJECTED,
            _("验收不通过，请重新整改：%(n)s") % {"n": hazard.number},
            note,
            _url(hazard),
        )
        return hazard
    pending = hazard.supervisions.filter(accepted_at__isnull=True)
    if pending.exists():
        # Verified, but it stays open until every supervising unit accepts the closure.
        hazard.closed_by = actor
        _record(
            hazard,
            actor,
            HazardAction.VERIFY,
            None,
            note,
            photos=photos,
            photo_kind=HazardPhoto.Kind.AFTER,
        )
        for supervision in pending.select_related("supervising_unit"):
            notify(
                people_with("hazards.supervise_hazard", supervision.supervising_unit),
                Kind.SUPERVISED,
                _("督办隐患已验收，待认可销号：%(n)s") % {"n": hazard.number},
                hazard.description[:120],
                _url(hazard),
            )
        return hazard
    _close(hazard, actor, note, photos)
    return hazard


def may_verify(actor: Any, hazard: Hazard) -> bool:
    """Neither the owner nor the submitter verifies, and not while supervisors decide."""
    return actor.pk not in (hazard.owner_id, hazard.submitted_by_id) and not awaiting_supervision(
        hazard
    )


# ---------------------------------------------------------------- reopening (销号复核)


@transaction.atomic
def reopen(actor: Any, pk: Any, *, note: str, deadline: dt.date | None = None) -> Hazard:
    """A closed hazard whose 销号复核 failed goes back to 待整改 with the same owner, marked
    假整改 (it counts against its unit). Called by xiaoan.closure, which checks the reviewer's
    right; the move goes through the workflow so the tally and the rollup follow."""
    hazard = Hazard.objects.select_for_update().filter(pk=pk).first()
    if hazard is None:
        raise Conflict(_("该隐患已不存在。"))
    if hazard.status != HazardStatus.CLOSED:
        raise Conflict(
            _("隐患当前为“%(s)s”，只有已销号的隐患才能重新整改。")
            % {"s": hazard.get_status_display()}
        )
    note = require_note(note, _("复核意见"))
    deadline = deadline or _today() + dt.timedelta(days=settings.XIAOAN_CLOSURE_REWORK_DAYS)
    hazard.fake_rectification = True
    hazard.closed_at = None
    hazard.closed_by = None
    hazard.submitted_by = None
    hazard.rework_count += 1
    hazard.deadline = deadline
    hazard.is_overdue = False
    _record(
        hazard,
        actor,
        HazardAction.REOPEN,
        HazardStatus.ASSIGNED,
        note,
        data={"deadline": deadline.isoformat(), "fake_rectification": True},
    )
    recipients = (
        [hazard.owner]
        if hazard.owner_id
        else people_with("hazards.rectify_hazard", hazard.owner_unit or hazard.unit)
    )
    notify(
        recipients,
        Kind.REJECTED,
        _("销号复核不合格，请重新整改：%(n)s") % {"n": hazard.number},
        note,
        _url(hazard),
    )
    return hazard
