"""The hazard loop: report → confirm → assign → rectify → submit → verify → 销号.

One function per transition. Each checks the current state against `TRANSITIONS`, checks the
actor's right on this hazard through `restrict`, and writes the new state and an append-only
`HazardEvent` in one transaction. Pages, API and jobs all call these functions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.accounts.models import User
from xiaoan.accounts.services import people_with
from xiaoan.audit import services as audit
from xiaoan.core.choices import SafetyDomain
from xiaoan.core.errors import Conflict, Forbidden, Invalid, NotFound
from xiaoan.core.idempotency import check_same_request
from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.hazards import criteria, tally
from xiaoan.hazards.choices import (
    TRANSITIONS,
    ExtensionStatus,
    HazardAction,
    HazardLevel,
    HazardSource,
    HazardStatus,
)
from xiaoan.hazards.models import (
    ExtensionRequest,
    Hazard,
    HazardEvent,
    HazardPhoto,
    Supervision,
)
from xiaoan.hazards.photos import clean_photo
from xiaoan.hazards.similarity import similarity
from xiaoan.notifications.models import Notification
from xiaoan.notifications.services import notify
from xiaoan.orgs.choices import UnitKind
from xiaoan.orgs.models import Place, Unit, ancestor_paths

Kind = Notification.Kind


# ---------------------------------------------------------------- helpers


def _today() -> dt.date:
    return timezone.localdate()


def _url(hazard: Hazard) -> str:
    return reverse("hazards:hazard_detail", args=[hazard.pk])


def _load(actor: Any, pk: Any, action: str) -> Hazard:
    """Lock the hazard; 404 if the actor cannot see it, 403 if they may not `action` it."""
    if not Hazard.objects.restrict(actor, "view").filter(pk=pk).exists():
        raise NotFound()
    hazard = Hazard.objects.select_for_update().get(pk=pk)
    if action != "view" and not Hazard.objects.restrict(actor, action).filter(pk=pk).exists():
        raise Forbidden()
    return hazard


def _check_state(hazard: Hazard, action: str, version: int | None) -> str | None:
    if version is not None and version != hazard.version:
        raise Conflict(_("该隐患已被他人处理，请刷新后查看最新状态。"))
    allowed, target = TRANSITIONS[action]
    if hazard.status not in allowed:
        raise Conflict(
            _("隐患当前为“%(status)s”，不能执行“%(action)s”。")
            % {"status": hazard.get_status_display(), "action": HazardAction(action).label}
        )
    return target


def _record(
    hazard: Hazard,
    actor: Any,
    action: str,
    to_status: str | None,
    note: str = "",
    data: dict | None = None,
    photos: Sequence = (),
    photo_kind: str = "",
) -> HazardEvent:
    """Move the hazard (if `to_status`) and append the event, in the caller's transaction."""
    from_status = hazard.status
    if to_status:
        hazard.status = to_status
    hazard.version += 1
    hazard.save()
    if action == HazardAction.REPORT:
        tally.move(hazard.unit_id, None, hazard.status)
    else:
        tally.move(hazard.unit_id, from_status, hazard.status)
    event = HazardEvent.objects.create(
        hazard=hazard,
        action=action,
        actor=actor if getattr(actor, "pk", None) else None,
        from_status=from_status,
        to_status=hazard.status,
        note=note,
        data=data or {},
        created_at=timezone.now(),
    )
    audit.record(
        "create" if action == HazardAction.REPORT else "transition",
        actor=event.actor,
        obj=hazard,
        detail={"action": action, "from": from_status, "to": hazard.status, "event": event.pk},
    )
    _attach_photos(hazard, event, actor, photos, photo_kind)
    return event


def _attach_photos(
    hazard: Hazard, event: HazardEvent | None, actor: Any, photos: Sequence, kind: str
) -> None:
    if len(photos) > settings.XIAOAN_PHOTO_MAX_COUNT:
        raise Invalid(_("一次最多上传 %(n)d 张照片。") % {"n": settings.XIAOAN_PHOTO_MAX_COUNT})
    for upload in photos:
        content, width, height = clean_photo(upload)
        photo = HazardPhoto(
            hazard=hazard, event=event, kind=kind, uploaded_by=actor, width=width, height=height
        )
        photo.image.save(content.name, content, save=False)
        photo.save()


def _require_note(note: str, what: str) -> str:
    note = (note or "").strip()
    if not note:
        raise Invalid(_("请填写%(what)s。") % {"what": what}, fields={"note": [_("必填。")]})
    return note


def _superior_authority(unit: Unit) -> Unit | None:
    """The nearest authority above the unit: the bureau that supervises a school."""
    paths = ancestor_paths(unit.path, include_self=False)
    return Unit.objects.filter(path__in=paths, kind=UnitKind.AUTHORITY).order_by("-depth").first()


def _place_fits(place: Place, unit: Unit) -> bool:
    """A place of the unit, or of the school the unit belongs to (a department's hazard may
    sit in any building of its school)."""
    school = unit.school() if unit.kind in (UnitKind.DEPARTMENT, UnitKind.CAMPUS) else None
    home = school or unit
    return place.unit.path.startswith(home.path)


def controls_required(hazard: Hazard, deadline: dt.date | None = None) -> bool:
    """Interim controls are required for major hazards and for far-off deadlines."""
    deadline = deadline or hazard.deadline
    if hazard.level == HazardLevel.MAJOR:
        return True
    if deadline is None:
        return False
    return (deadline - _today()).days > settings.XIAOAN_HAZARD_CONTROL_DAYS


# ---------------------------------------------------------------- report and triage


def reportable_units(actor: Any):
    return Unit.objects.with_permission(actor, "hazards.add_hazard")


def _retried(
    actor: Any, idempotency_key: str | None, fingerprint: str = ""
) -> tuple[str | None, Hazard | None]:
    """The cleaned idempotency key, and the hazard an earlier try with it already made
    (marked `replayed`); 422 when that try was a different request."""
    key = (idempotency_key or "").strip()[:64] or None
    if key is None:
        return None, None
    existing = Hazard.objects.filter(finder_id=actor.pk, idempotency_key=key).first()
    return key, _replay(existing, fingerprint) if existing is not None else None


def _replay(hazard: Hazard, fingerprint: str) -> Hazard:
    check_same_request(hazard.idempotency_fingerprint, fingerprint)
    hazard.replayed = True
    return hazard


def _winner(actor: Any, key: str, fingerprint: str) -> Hazard:
    """The hazard a concurrent request with the same key made first. Our insert waited on
    the unique constraint until that request committed, then failed; its savepoint is rolled
    back and, read committed, this statement sees the winner."""
    return _replay(Hazard.objects.get(finder_id=actor.pk, idempotency_key=key), fingerprint)


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
) -> Hazard:
    """Record a new hazard (待确认). With an idempotency key, a retry returns the first one
    (its `replayed` set), concurrent retries included; the key with a request of another
    `fingerprint` (xiaoan.core.idempotency) is refused with 422."""
    key, existing = _retried(actor, idempotency_key, fingerprint)
    if existing is not None:
        return existing
    unit_pk = unit.pk if isinstance(unit, Unit) else unit
    unit_obj = reportable_units(actor).filter(pk=unit_pk).first()
    if unit_obj is None:
        if Unit.objects.restrict(actor).filter(pk=unit_pk).exists():
            raise Forbidden(_("您不能在该单位上报隐患。"))
        raise Invalid(fields={"unit": [_("单位不存在或不在您的范围内。")]})
    return _create(
        actor,
        unit_obj,
        key,
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
) -> Hazard:
    """A finding of an inspection that the calling service has let `actor` conduct at `unit`
    (invited experts and peer inspectors hold no hazard rights of their own). It lands in the
    unit's ledger as reported, or, for an item with a direct major-hazard criterion, already
    confirmed as 重大 (and so under supervision). A retry with the same key returns it."""
    key, existing = _retried(actor, idempotency_key)
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
    )
    if criterion:
        hazard = Hazard.objects.select_for_update().get(pk=hazard.pk)
        _confirm(
            hazard,
            actor,
            TRANSITIONS[HazardAction.CONFIRM][1],
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
    try:
        with transaction.atomic():
            hazard.save()
    except IntegrityError:
        # A retry racing the first request: the unique key decides, both get the winner.
        if key:
            return _winner(actor, key, fingerprint)
        raise
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
    hazard = _load(actor, pk, "confirm")
    target = _check_state(hazard, HazardAction.CONFIRM, version)
    return _confirm(
        hazard,
        actor,
        target,
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
    target: str | None,
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
        target,
        note,
        data={"level": level, "criterion": hazard.criterion},
    )
    if level == HazardLevel.MAJOR:
        _supervise_automatically(hazard, _("重大隐患自动挂牌督办"))
    _flag_recurrence(hazard)
    return hazard


@transaction.atomic
def dismiss(actor: Any, pk: Any, *, note: str, version: int | None = None) -> Hazard:
    hazard = _load(actor, pk, "confirm")
    target = _check_state(hazard, HazardAction.DISMISS, version)
    note = _require_note(note, _("不构成隐患的理由"))
    _record(hazard, actor, HazardAction.DISMISS, target, note)
    return hazard


# ---------------------------------------------------------------- assignment and rectification


def assignable_owner_units(actor: Any):
    return Unit.objects.with_permission(actor, "hazards.assign_hazard")


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
    hazard = _load(actor, pk, "assign")
    target = _check_state(hazard, HazardAction.ASSIGN, version)
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
        target,
        note,
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
def fix_on_spot(
    actor: Any, pk: Any, *, note: str, photos: Sequence, level: str = "", version: int | None = None
) -> Hazard:
    """立查立改: fixed while found; the fix and an after-photo go straight to verification."""
    hazard = _load(actor, pk, "rectify")
    target = _check_state(hazard, HazardAction.FIX_ON_SPOT, version)
    note = _require_note(note, _("整改情况"))
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
        target,
        note,
        photos=photos,
        photo_kind=HazardPhoto.Kind.AFTER,
    )
    if hazard.level == HazardLevel.MAJOR:
        _supervise_automatically(hazard, _("重大隐患自动挂牌督办"))
    _notify_verifiers(hazard)
    return hazard


@transaction.atomic
def start(actor: Any, pk: Any, *, note: str = "", version: int | None = None) -> Hazard:
    hazard = _load(actor, pk, "rectify")
    target = _check_state(hazard, HazardAction.START, version)
    _record(hazard, actor, HazardAction.START, target, note)
    return hazard


@transaction.atomic
def progress(
    actor: Any, pk: Any, *, note: str, photos: Sequence = (), version: int | None = None
) -> Hazard:
    hazard = _load(actor, pk, "rectify")
    target = _check_state(hazard, HazardAction.PROGRESS, version)
    note = _require_note(note, _("整改进展"))
    _record(
        hazard,
        actor,
        HazardAction.PROGRESS,
        target,
        note,
        photos=photos,
        photo_kind=HazardPhoto.Kind.PROGRESS,
    )
    return hazard


@transaction.atomic
def add_control(
    actor: Any, pk: Any, *, measures: str, photos: Sequence = (), version: int | None = None
) -> Hazard:
    """Interim controls: warning signs, monitoring records, control measures."""
    hazard = _load(actor, pk, "rectify")
    target = _check_state(hazard, HazardAction.CONTROL, version)
    measures = _require_note(measures, _("临时管控措施"))
    stamp = timezone.localtime().strftime("%Y-%m-%d")
    hazard.interim_controls = "\n".join(
        part for part in (hazard.interim_controls, f"[{stamp}] {measures}") if part
    )
    _record(
        hazard,
        actor,
        HazardAction.CONTROL,
        target,
        measures,
        photos=photos,
        photo_kind=HazardPhoto.Kind.CONTROL,
    )
    return hazard


@transaction.atomic
def submit(
    actor: Any, pk: Any, *, note: str, photos: Sequence, version: int | None = None
) -> Hazard:
    hazard = _load(actor, pk, "rectify")
    target = _check_state(hazard, HazardAction.SUBMIT, version)
    note = _require_note(note, _("整改完成情况"))
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
        target,
        note,
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
    hazard = _load(actor, pk, "verify")
    action = HazardAction.CLOSE if passed else HazardAction.REJECT
    target = _check_state(hazard, action, version)
    if awaiting_supervision(hazard):
        raise Conflict(_("该隐患已验收通过，正等待督办单位认可。"))
    note = _require_note(note, _("验收意见"))
    if actor.pk in (hazard.owner_id, hazard.submitted_by_id):
        raise Forbidden(_("整改责任人或整改提交人不能验收自己的整改。"))
    if not passed:
        hazard.rework_count += 1
        _record(
            hazard,
            actor,
            HazardAction.REJECT,
            target,
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


def _close(hazard: Hazard, actor: Any, note: str, photos: Sequence = ()) -> None:
    hazard.closed_at = timezone.now()
    hazard.closed_by = hazard.closed_by or actor
    hazard.is_overdue = False
    _record(
        hazard,
        actor,
        HazardAction.CLOSE,
        HazardStatus.CLOSED,
        note,
        photos=photos,
        photo_kind=HazardPhoto.Kind.AFTER,
    )


def awaiting_supervision(hazard: Hazard) -> bool:
    return (
        hazard.status == HazardStatus.SUBMITTED
        and hazard.closed_by_id is not None
        and hazard.supervisions.filter(accepted_at__isnull=True).exists()
    )


# ---------------------------------------------------------------- supervision


def _supervise_automatically(hazard: Hazard, reason: str) -> Supervision | None:
    superior = _superior_authority(hazard.unit)
    if superior is None:
        return None
    supervision, created = Supervision.objects.get_or_create(
        hazard=hazard,
        supervising_unit=superior,
        defaults={"reason": reason, "automatic": True},
    )
    if created:
        hazard.is_supervised = True
        _record(
            hazard,
            None,
            HazardAction.SUPERVISE,
            None,
            reason,
            data={"unit": superior.name, "automatic": True},
        )
        notify(
            [hazard.owner, *people_with("hazards.rectify_hazard", hazard.unit)],
            Kind.SUPERVISED,
            _("隐患被挂牌督办：%(n)s") % {"n": hazard.number},
            reason,
            _url(hazard),
        )
    return supervision


def supervising_units(actor: Any, hazard: Hazard):
    """Units strictly above the hazard's unit where the actor may supervise."""
    paths = ancestor_paths(hazard.unit.path, include_self=False)
    return (
        Unit.objects.with_permission(actor, "hazards.supervise_hazard")
        .filter(path__in=paths)
        .order_by("-depth")
    )


@transaction.atomic
def supervise(actor: Any, pk: Any, *, reason: str, version: int | None = None) -> Supervision:
    hazard = _load(actor, pk, "supervise")
    _check_state(hazard, HazardAction.SUPERVISE, version)
    reason = _require_note(reason, _("督办原因"))
    unit = supervising_units(actor, hazard).first()
    if unit is None:
        raise Forbidden(_("只有上级单位可以挂牌督办。"))
    if Supervision.objects.filter(hazard=hazard, supervising_unit=unit).exists():
        raise Conflict(_("该隐患已由本单位挂牌督办。"))
    supervision = Supervision.objects.create(
        hazard=hazard, supervising_unit=unit, listed_by=actor, reason=reason
    )
    hazard.is_supervised = True
    _record(hazard, actor, HazardAction.SUPERVISE, None, reason, data={"unit": unit.name})
    notify(
        [hazard.owner, *people_with("hazards.rectify_hazard", hazard.unit)],
        Kind.SUPERVISED,
        _("隐患被挂牌督办：%(n)s") % {"n": hazard.number},
        reason,
        _url(hazard),
    )
    return supervision


@transaction.atomic
def accept_supervision(
    actor: Any, pk: Any, *, note: str, accepted: bool = True, version: int | None = None
) -> Hazard:
    """The supervising unit accepts the verified closure (the last acceptance closes it) or
    refuses it, which sends the hazard back to rectification."""
    hazard = _load(actor, pk, "supervise")
    if version is not None and version != hazard.version:
        raise Conflict(_("该隐患已被他人处理，请刷新后查看最新状态。"))
    if not awaiting_supervision(hazard):
        raise Conflict(_("隐患尚未验收通过，督办单位暂不能认可销号。"))
    note = _require_note(note, _("认可意见") if accepted else _("不认可的理由"))
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


# ---------------------------------------------------------------- deadline extensions


@transaction.atomic
def request_extension(
    actor: Any, pk: Any, *, new_deadline: dt.date, reason: str, version: int | None = None
) -> ExtensionRequest:
    hazard = _load(actor, pk, "rectify")
    _check_state(hazard, HazardAction.EXTENSION_REQUEST, version)
    reason = _require_note(reason, _("延期理由"))
    if hazard.extensions.filter(status=ExtensionStatus.PENDING).exists():
        raise Conflict(_("已有一份延期申请在审批中。"))
    if hazard.deadline is None or new_deadline <= hazard.deadline:
        raise Invalid(fields={"new_deadline": [_("申请的期限须晚于现有期限。")]})
    if new_deadline < _today():
        raise Invalid(fields={"new_deadline": [_("申请的期限不能早于今天。")]})
    request = ExtensionRequest.objects.create(
        hazard=hazard,
        requested_by=actor,
        reason=reason,
        old_deadline=hazard.deadline,
        new_deadline=new_deadline,
    )
    _record(
        hazard,
        actor,
        HazardAction.EXTENSION_REQUEST,
        None,
        reason,
        data={"from": hazard.deadline.isoformat(), "to": new_deadline.isoformat()},
    )
    superior = _superior_unit(hazard)
    if superior is not None:
        notify(
            people_with("hazards.decide_extension_hazard", superior),
            Kind.EXTENSION,
            _("延期申请待审批：%(n)s") % {"n": hazard.number},
            reason,
            _url(hazard),
        )
    return request


def _superior_unit(hazard: Hazard) -> Unit | None:
    """The unit above the hazard's unit (for a school: its bureau; for a department: its
    school), which decides extensions."""
    if hazard.unit.depth <= 1:
        return None
    return Unit.objects.get_parent(hazard.unit)


def may_decide_extension(actor: Any, hazard: Hazard) -> bool:
    superior = _superior_unit(hazard)
    return (
        superior is not None
        and Unit.objects.with_permission(actor, "hazards.decide_extension_hazard")
        .filter(pk=superior.pk)
        .exists()
    )


@transaction.atomic
def decide_extension(actor: Any, request_pk: Any, *, approve: bool, note: str) -> ExtensionRequest:
    request = ExtensionRequest.objects.select_related("hazard__unit").filter(pk=request_pk).first()
    if request is None or not Hazard.objects.restrict(actor).filter(pk=request.hazard_id).exists():
        raise NotFound()
    hazard = Hazard.objects.select_for_update().get(pk=request.hazard_id)
    request = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
    if not may_decide_extension(actor, hazard):
        raise Forbidden(_("延期申请由上级单位审批。"))
    if request.status != ExtensionStatus.PENDING:
        raise Conflict(_("该延期申请已审批。"))
    note = _require_note(note, _("审批意见"))
    request.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REJECTED
    request.decided_by, request.decided_at, request.decision_note = actor, timezone.now(), note
    request.save()
    if approve:
        hazard.deadline = request.new_deadline
        hazard.is_overdue = hazard.deadline < _today()
    _record(
        hazard,
        actor,
        HazardAction.EXTENSION_APPROVE if approve else HazardAction.EXTENSION_REJECT,
        None,
        note,
        data={"to": request.new_deadline.isoformat()},
    )
    notify(
        [request.requested_by],
        Kind.EXTENSION,
        (_("延期申请已同意：%(n)s") if approve else _("延期申请未同意：%(n)s"))
        % {"n": hazard.number},
        note,
        _url(hazard),
    )
    return request


# ---------------------------------------------------------------- recurrence


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


# ---------------------------------------------------------------- deadlines (daily job)


def mark_overdue(today: dt.date | None = None) -> dict[str, int]:
    """Mark hazards past their deadline, tell owners and superiors, warn of due dates, and
    put long-overdue ones under supervision. Safe to run more than once a day."""
    today = today or _today()
    newly = 0
    for pk in Hazard.objects.overdue(today).filter(is_overdue=False).values_list("pk", flat=True):
        with transaction.atomic():
            hazard = Hazard.objects.select_for_update().select_related("unit").get(pk=pk)
            if hazard.is_overdue or not hazard.is_open or hazard.deadline >= today:
                continue
            hazard.is_overdue = True
            days = (today - hazard.deadline).days
            _record(
                hazard, None, HazardAction.OVERDUE, None, _("已超过整改期限 %(d)d 天") % {"d": days}
            )
            superior = _superior_unit(hazard)
            people = [hazard.owner, *people_with("hazards.assign_hazard", hazard.unit)]
            if superior is not None:
                people += people_with("hazards.supervise_hazard", superior)
            notify(
                people,
                Kind.OVERDUE,
                _("隐患整改逾期：%(n)s") % {"n": hazard.number},
                _("整改期限 %(t)s，%(d)s") % {"t": hazard.deadline, "d": hazard.description[:80]},
                _url(hazard),
            )
            newly += 1
    limit = today - dt.timedelta(days=settings.XIAOAN_HAZARD_OVERDUE_SUPERVISE_DAYS)
    supervised = 0
    for pk in (
        Hazard.objects.overdue(today)
        .filter(deadline__lt=limit, is_supervised=False)
        .values_list("pk", flat=True)
    ):
        with transaction.atomic():
            hazard = Hazard.objects.select_for_update().select_related("unit").get(pk=pk)
            if _supervise_automatically(
                hazard,
                _("逾期超过 %(d)d 天，自动挂牌督办")
                % {"d": settings.XIAOAN_HAZARD_OVERDUE_SUPERVISE_DAYS},
            ):
                supervised += 1
    soon = today + dt.timedelta(days=settings.XIAOAN_HAZARD_DUE_SOON_DAYS)
    due_soon = 0
    for hazard in (
        Hazard.objects.open()
        .filter(deadline__gte=today, deadline__lte=soon, owner__isnull=False)
        .select_related("owner")
        .exclude(events__action=HazardAction.OVERDUE)
        .iterator()
    ):
        already = Notification.objects.filter(
            recipient=hazard.owner, kind=Kind.DUE_SOON, url=_url(hazard)
        ).exists()
        if not already:
            notify(
                [hazard.owner],
                Kind.DUE_SOON,
                _("整改即将到期：%(n)s") % {"n": hazard.number},
                _("整改期限 %(t)s") % {"t": hazard.deadline},
                _url(hazard),
            )
            due_soon += 1
    return {"overdue": newly, "supervised": supervised, "due_soon": due_soon}


def daily(today: dt.date | None = None) -> dict[str, int]:
    """The nightly pass: deadlines, then a recount of the ledger's tally."""
    result = mark_overdue(today)
    result["tally_fixed"] = tally.reconcile()
    return result


# ---------------------------------------------------------------- what a person may do now


# The rights that let a person at least see hazards, and what they take part in counts too.
PERSONAL = {"view": ("view", "add", "rectify"), "rectify": ("rectify",)}


def may_act_somewhere(actor: Any, action: str) -> bool:
    """Whether `actor` may `action` any hazard at all: the gate before a hazard is looked up
    (pages and API alike). Reporters, owners and finders (an invited expert whose inspection
    recorded findings) get in for what they took part in."""
    perms = PERSONAL.get(action, (action,))
    if any(has_permission_anywhere(actor, f"hazards.{p}_hazard") for p in perms):
        return True
    if action not in PERSONAL or not getattr(actor, "is_authenticated", False):
        return False
    mine = (
        Q(owner_id=actor.pk) | Q(finder_id=actor.pk) if action == "view" else Q(owner_id=actor.pk)
    )
    return Hazard.objects.filter(mine).exists()


def allowed_actions(actor: Any, hazard: Hazard) -> set[str]:
    """The actions to offer on the record page: state allows it and the actor holds it."""

    from functools import cache

    from xiaoan.hazards.models import allows

    @cache
    def can(action: str) -> bool:
        return allows(actor, hazard, action)

    out: set[str] = set()
    status = hazard.status
    for action, (states, _target) in TRANSITIONS.items():
        if status not in states:
            continue
        need = {
            HazardAction.CONFIRM: "confirm",
            HazardAction.DISMISS: "confirm",
            HazardAction.ASSIGN: "assign",
            HazardAction.FIX_ON_SPOT: "rectify",
            HazardAction.START: "rectify",
            HazardAction.PROGRESS: "rectify",
            HazardAction.CONTROL: "rectify",
            HazardAction.SUBMIT: "rectify",
            HazardAction.CLOSE: "verify",
            HazardAction.REJECT: "verify",
            HazardAction.EXTENSION_REQUEST: "rectify",
            HazardAction.SUPERVISE: "supervise",
        }[action]
        if can(need):
            out.add(action)
    if HazardAction.ASSIGN in out and hazard.confirmed_at is None:
        out.discard(HazardAction.ASSIGN)
    if HazardAction.CONFIRM in out and hazard.confirmed_at is not None:
        out.discard(HazardAction.CONFIRM)
    if status == HazardStatus.SUBMITTED:
        if actor.pk in (hazard.owner_id, hazard.submitted_by_id) or awaiting_supervision(hazard):
            out -= {HazardAction.CLOSE, HazardAction.REJECT}
        if (
            awaiting_supervision(hazard)
            and hazard.supervisions.filter(
                accepted_at__isnull=True,
                supervising_unit__in=Unit.objects.with_permission(
                    actor, "hazards.supervise_hazard"
                ),
            ).exists()
        ):
            out |= {HazardAction.SUPERVISION_ACCEPT, HazardAction.SUPERVISION_REJECT}
    if HazardAction.SUPERVISE in out:
        unit = supervising_units(actor, hazard).first()
        if unit is None or hazard.supervisions.filter(supervising_unit=unit).exists():
            out.discard(HazardAction.SUPERVISE)  # nobody above, or already listed by us
    if HazardAction.EXTENSION_REQUEST in out and (
        hazard.deadline is None or hazard.extensions.filter(status=ExtensionStatus.PENDING).exists()
    ):
        out.discard(HazardAction.EXTENSION_REQUEST)
    return out


def visible_owners(units: Iterable[Unit]) -> list[User]:
    paths = [u.path for u in units]
    query = Q(pk__in=[])
    for path in paths:
        query |= Q(unit__path__startswith=path)
    return list(User.objects.filter(query, is_active=True).order_by("unit__path", "name"))
