"""Inspections and checklists: the rules, shared by the pages, the API and the commands.

Checklists: a template's items live in versions; any change of items writes a new version
and inspections keep the one they were done with. Inspections: create → invite → save drafts
(resumable) → submit (idempotent; every failed item becomes a hazard through the hazard
service, made 重大 when the item carries a direct criterion) → close.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.accounts.models import User
from xiaoan.core.errors import Conflict, Forbidden, Invalid, NotFound
from xiaoan.core.history import stamp
from xiaoan.core.idempotency import begin_once, clean_key
from xiaoan.core.photos import clean_photo
from xiaoan.core.scoping import grants_for
from xiaoan.core.services import ensure_in_scope, get_scoped
from xiaoan.core.workflow import begin, workflow_of
from xiaoan.hazards import services as hazard_services
from xiaoan.hazards.choices import HazardSource
from xiaoan.inspections.choices import (
    InspectionAction,
    InspectionKind,
    InspectionStatus,
    InviteRole,
    ResultValue,
)
from xiaoan.inspections.missed import note_missed
from xiaoan.inspections.models import (
    ChecklistItem,
    ChecklistTemplate,
    ChecklistVersion,
    Inspection,
    InspectionEvent,
    InspectionInvite,
    ItemResult,
    ResultPhoto,
)
from xiaoan.inspections.team import find_user, invitable_people, resolve_team
from xiaoan.notifications.models import Notification
from xiaoan.notifications.services import notify
from xiaoan.orgs.models import Unit, ancestor_paths

# ---------------------------------------------------------------- creating and inviting


def organiser_units(actor: Any):
    return Unit.objects.with_permission(actor, "inspections.add_inspection")


def checklist_choices(actor: Any):
    return (
        ChecklistTemplate.objects.restrict(actor, "view")
        .filter(is_active=True, current_version__isnull=False)
        .order_by(F("owner_unit_id").asc(nulls_first=True), "code")
    )


def _flow():
    """The inspection workflow (declared in xiaoan.inspections.workflow at start-up)."""
    return workflow_of(Inspection)


def _begin(actor: Any, pk: Any, action: str, version: int | None) -> Inspection:
    """The locked inspection, checked for `action`: 404 / 403 / 409 (xiaoan.core.workflow)."""
    return begin(actor, Inspection, pk, action, version)


def record_created(inspections: Sequence[Inspection], actor: Any = None, note: str = "") -> None:
    """The first history row of inspections made in bulk (schedules, draws): one insert."""
    now = timezone.now()
    InspectionEvent.objects.bulk_create(
        InspectionEvent(
            inspection=inspection,
            action=InspectionAction.CREATE,
            actor=actor if getattr(actor, "pk", None) else None,
            from_status="",
            to_status=inspection.status,
            note=note,
            created_at=now,
        )
        for inspection in inspections
    )


@transaction.atomic
def create_inspection(
    actor: Any,
    *,
    kind: str,
    unit: Unit | int,
    checklist: ChecklistTemplate | int,
    title: str = "",
    scheduled_on: dt.date | None = None,
    due_on: dt.date | None = None,
    organiser: Unit | int | None = None,
    leader: Any = None,
    members: Iterable[Any] = (),
    outside_members: str = "",
    subject: Any = None,
) -> Inspection:
    """A new inspection of `unit`; `subject` names the register item inspected
    ("buildings:12" or the item): one the organiser sees, of the unit's school
    (xiaoan.core.registers.resolve_subject)."""
    if kind not in InspectionKind.values:
        raise Invalid(fields={"kind": [_("检查类型无效。")]})
    unit_pk = unit.pk if isinstance(unit, Unit) else unit
    allowed = organiser_units(actor)
    target = allowed.filter(pk=unit_pk).first()
    if target is None:
        if Unit.objects.restrict(actor).filter(pk=unit_pk).exists():
            raise Forbidden(_("您不能对该单位组织检查。"))
        raise Invalid(fields={"unit": [_("单位不存在或不在您的范围内。")]})
    above = allowed.filter(path__in=ancestor_paths(target.path))
    if organiser is None:
        # The unit the person's own grant sits at: a district officer organises for the
        # district, a school's safety officer for the school.
        held = {
            g.unit_id
            for g in grants_for(actor)
            if "inspections.add_inspection" in g.permissions and g.unit_id
        }
        org = (
            above.filter(pk__in=held).order_by("-depth").first() or above.order_by("depth").first()
        )
    else:
        org_pk = organiser.pk if isinstance(organiser, Unit) else organiser
        org = above.filter(pk=org_pk).first()
        if org is None:
            raise Invalid(fields={"organiser": [_("组织单位须是被检查单位本身或其上级。")]})
    if kind == InspectionKind.UNANNOUNCED and org.pk == target.pk:
        raise Invalid(
            _("暗访须由上级单位组织。"), fields={"organiser": [_("组织单位须是上级单位。")]}
        )
    template_pk = checklist.pk if isinstance(checklist, ChecklistTemplate) else checklist
    template = checklist_choices(actor).filter(pk=template_pk).first()
    if template is None:
        raise Invalid(fields={"checklist": [_("检查表不存在、已停用或不在您的范围内。")]})
    scheduled_on = scheduled_on or timezone.localdate()
    if due_on is not None and due_on < scheduled_on:
        raise Invalid(fields={"due_on": [_("截止日期不能早于计划日期。")]})
    kind_label = InspectionKind(kind).label
    title = (title or "").strip()[:200] or f"{target.name} {kind_label} {scheduled_on:%Y-%m}"
    person, team, outside = resolve_team(
        actor, org, leader=leader, members=members, outside_members=outside_members
    )
    from xiaoan.core.registers import resolve_subject

    item = resolve_subject(actor, subject, target)
    inspection = Inspection(
        subject=item,
        leader=person,
        outside_members=outside,
        kind=kind,
        title=title,
        unit=target,
        organiser=org,
        checklist_id=template.current_version_id,
        scheduled_on=scheduled_on,
        due_on=due_on,
        created_by=actor,
    )
    stamp(inspection, actor)
    _flow().advance(inspection, actor, InspectionAction.CREATE, to=None, created=True)
    inspection.members.set(team)
    ChecklistVersion.objects.filter(pk=template.current_version_id, is_frozen=False).update(
        is_frozen=True
    )
    ensure_in_scope(actor, inspection, "add")
    return inspection


def invite_candidates(actor: Any, pk: Any, query: str = "", limit: int = 20) -> list[User]:
    """People the invite picker offers for an inspection `actor` may change: invitable
    people whose name or username contains `query` (or whose mobile number is it)."""
    get_scoped(actor, Inspection, pk, "change")
    invitable = invitable_people(actor)
    people = invitable.select_related("unit")
    text = (query or "").strip()[:50]
    if text:
        # A mobile number (or id) only as a whole, through find_user's one lookup.
        exact = find_user(text, invitable)
        people = people.filter(
            Q(name__icontains=text)
            | Q(username__icontains=text)
            | Q(pk=exact.pk if exact else None)
        )
    return list(people.order_by("unit__path", "username")[:limit])


@transaction.atomic
def invite(
    actor: Any,
    pk: Any,
    *,
    user: User | Any,
    role: str = InviteRole.INSPECTOR,
    version: int | None = None,
) -> InspectionInvite:
    """Open one inspection (and its findings) to a person: a peer school's inspector, an
    outside expert, a third-party firm's account. Until it is closed; the history records
    it, the version stays (`version` is not checked: an invitation does not depend on what
    the record holds)."""
    inspection = _begin(actor, pk, "invite", None)
    if role not in InviteRole.values:
        raise Invalid(fields={"role": [_("身份无效。")]})
    # Someone the inviter may not see is answered like someone who does not exist.
    person = find_user(user.pk if isinstance(user, User) else user, invitable_people(actor))
    if person is None:
        # One message, beside the field.
        raise Invalid(fields={"user": [_("找不到此人，请从列表中选择。")]})
    if inspection.kind == InspectionKind.UNANNOUNCED and _belongs_to(person, inspection.unit):
        # Inviting someone of the target would tell the target of the visit.
        raise Invalid(
            _("暗访不能邀请被检查单位的人员。"),
            fields={"user": [_("该人员属于被检查单位。")]},
        )
    invitation = InspectionInvite.objects.filter(inspection=inspection, user=person).first()
    created = invitation is None
    if created:
        invitation = InspectionInvite(
            inspection=inspection, user=person, role=role, invited_by=actor
        )
        stamp(invitation, actor)
        invitation.save()
        notify(
            [person],
            Notification.Kind.OTHER,
            _("您受邀参加检查：%(t)s") % {"t": inspection.title},
            _("被检查单位：%(u)s；计划日期：%(d)s。")
            % {"u": inspection.unit.name, "d": f"{inspection.scheduled_on:%Y-%m-%d}"},
            reverse("inspections:inspection_detail", args=[inspection.pk]),
        )
    elif invitation.role != role:
        invitation.role = role
        stamp(invitation, actor)
        invitation.save(update_fields=["role"])
    else:
        return invitation  # nothing changed: nothing to record
    _note_invitation(inspection, actor, InspectionAction.INVITE, person, role)
    return invitation


def _note_invitation(
    inspection: Inspection, actor: Any, event: str, person: User, role: str = ""
) -> None:
    """A history row that leaves the record (and its version) as it is."""
    label = f"{person.display_name}（{InviteRole(role).label}）" if role else person.display_name
    _flow().record_event(
        inspection,
        event,
        actor,
        label,
        inspection.status,
        inspection.status,
        {"user": person.pk, "role": role},
    )


def _belongs_to(person: User, unit: Unit) -> bool:
    """Whether the person is a member of `unit` or holds a role at it or below it."""
    paths = [person.unit.path] if person.unit_id else []
    paths += [g.unit_path for g in grants_for(person) if g.unit_path]
    return any(path.startswith(unit.path) for path in paths)


@transaction.atomic
def uninvite(actor: Any, pk: Any, *, user: User | Any) -> None:
    """Take an invitation back (until the inspection is closed)."""
    inspection = _begin(actor, pk, "uninvite", None)
    person_pk = user.pk if isinstance(user, User) else user
    invitations = InspectionInvite.objects.filter(inspection=inspection, user_id=person_pk)
    for invitation in invitations.select_related("user"):
        stamp(invitation, actor)
        invitation.delete()
        _note_invitation(inspection, actor, InspectionAction.UNINVITE, invitation.user)


# ---------------------------------------------------------------- results


def _items(inspection: Inspection) -> dict[int, ChecklistItem]:
    return {item.pk: item for item in inspection.checklist.items.all()}


def item_label(item: ChecklistItem) -> str:
    """How an item is named to a person: its number on the page and its text, never its code."""
    text = item.text if len(item.text) <= 30 else f"{item.text[:30]}…"
    return _("第 %(n)d 项「%(t)s」") % {"n": item.seq, "t": text}


def _labels(items: Sequence[ChecklistItem], limit: int = 20) -> str:
    names = "、".join(item_label(i) for i in items[:limit])
    return names if len(items) <= limit else _("%(names)s 等") % {"names": names}


def _resolve(
    items: dict[int, ChecklistItem], key: Any, by_code: dict[str, ChecklistItem]
) -> ChecklistItem | None:
    if isinstance(key, ChecklistItem):
        return items.get(key.pk)
    if isinstance(key, int) or (isinstance(key, str) and key.isdigit()):
        return items.get(int(key))
    return by_code.get(str(key))


@dataclass
class _Plan:
    """Checked input, not yet written: per item id the fields to set and the cleaned photos."""

    changes: dict[int, dict[str, Any]] = field(default_factory=dict)
    photos: dict[int, list] = field(default_factory=dict)


def _prepare(
    inspection: Inspection,
    results: Iterable[Mapping[str, Any]],
    photos: Mapping[Any, Sequence] | None,
) -> _Plan:
    """Check every result and photo; any error is raised before anything is written."""
    items = _items(inspection)
    by_code = {item.code: item for item in items.values()}
    errors: list[str] = []
    plan = _Plan()
    for entry in results:
        key = entry.get("item", entry.get("code"))
        item = _resolve(items, key, by_code)
        if item is None:
            errors.append(_("检查项 %(k)s 不在本检查的检查表中。") % {"k": key})
            continue
        value = entry.get("result") or ""
        if value not in ResultValue.values and value != "":
            errors.append(_("%(item)s的结果无效。") % {"item": item_label(item)})
            continue
        change = plan.changes.setdefault(item.pk, {})
        if "result" in entry:
            change["result"] = value
        if "note" in entry:
            change["note"] = str(entry.get("note") or "").strip()
    for key, uploads in (photos or {}).items():
        uploads = [u for u in uploads if u]
        if not uploads:
            continue
        item = _resolve(items, key, by_code)
        if item is None:
            errors.append(_("检查项 %(k)s 不在本检查的检查表中。") % {"k": key})
            continue
        if len(uploads) > settings.XIAOAN_PHOTO_MAX_COUNT:
            errors.append(
                _("%(item)s一次最多上传 %(n)d 张照片。")
                % {"item": item_label(item), "n": settings.XIAOAN_PHOTO_MAX_COUNT}
            )
            continue
        cleaned = []
        for upload in uploads:
            try:
                cleaned.append(clean_photo(upload))
            except Invalid as error:
                errors.append(
                    _("%(item)s的照片：%(e)s") % {"item": item_label(item), "e": error.message}
                )
        plan.photos[item.pk] = cleaned
    if errors:
        raise Invalid(" ".join(errors), fields={"results": errors})
    return plan


def _write(
    actor: Any,
    inspection: Inspection,
    plan: _Plan,
    remove_photos: Iterable[int] = (),
    summary: str | None = None,
) -> None:
    """Write a checked plan (in the caller's transaction)."""
    existing = {r.item_id: r for r in inspection.results.all()}
    for item_pk in set(plan.changes) | set(plan.photos):
        row = existing.get(item_pk)
        change = plan.changes.get(item_pk, {})
        if row is None and not any(change.values()) and item_pk not in plan.photos:
            continue  # an item left empty on the page: nothing to keep
        if row is None:
            row = ItemResult(inspection=inspection, item_id=item_pk)
            existing[item_pk] = row
        dirty = row.pk is None or any(getattr(row, k) != v for k, v in change.items())
        for name, value in change.items():
            setattr(row, name, value)
        if dirty:
            row.updated_by = actor
            stamp(row, actor)
            row.save()
        for content, width, height in plan.photos.get(item_pk, []):
            photo = ResultPhoto(result=row, uploaded_by=actor, width=width, height=height)
            photo.image.save(content.name, content, save=False)
            photo.save()
    remove = [int(p) for p in remove_photos or () if str(p).isdigit()]
    for photo in ResultPhoto.objects.filter(result__inspection=inspection, pk__in=remove):
        storage, name = photo.image.storage, photo.image.name
        photo.delete()
        # The file goes only once the deletion is committed.
        transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
    if summary is not None:
        inspection.summary = summary.strip()
    if inspection.started_at is None:
        inspection.started_at = timezone.now()


@transaction.atomic
def save_draft(
    actor: Any,
    pk: Any,
    *,
    results: Iterable[Mapping[str, Any]] = (),
    photos: Mapping[Any, Sequence] | None = None,
    remove_photos: Iterable[int] = (),
    summary: str | None = None,
    version: int | None = None,
    all_pass: bool = False,
) -> Inspection:
    """Save what has been filled in so far; the inspection can be resumed later. With
    `all_pass` (全部符合), every item still without an answer is saved as 符合, for the
    person to adjust the exceptions."""
    inspection = _begin(actor, pk, "save_draft", version)
    plan = _prepare(inspection, results, photos)
    if all_pass:
        _answer_the_rest(inspection, plan, ResultValue.PASS)
    _write(actor, inspection, plan, remove_photos, summary)
    stamp(inspection, actor)
    _flow().advance(inspection, actor, InspectionAction.SAVE_DRAFT)
    ensure_in_scope(actor, inspection, "conduct")
    return inspection


def _answer_the_rest(inspection: Inspection, plan: _Plan, value: str) -> None:
    answered = {
        item_pk for item_pk, result in inspection.results.values_list("item_id", "result") if result
    }
    for item_pk in _items(inspection):
        change = plan.changes.setdefault(item_pk, {})
        if change.get("result") or ("result" not in change and item_pk in answered):
            continue
        change["result"] = value


def keep_as_draft(
    actor: Any,
    pk: Any,
    *,
    results: Iterable[Mapping[str, Any]] = (),
    photos: Mapping[Any, Sequence] | None = None,
    summary: str | None = None,
    version: int | None = None,
) -> Inspection | None:
    """After a refused submission or draft on the page: keep everything that can be kept
    as the draft — the answers, the notes and every upload that is a photo (up to the limit
    per item) — so that nothing typed or photographed is lost; the refusal is still shown.
    None when even that is refused (the page is stale, the inspection was submitted)."""
    valid = set(ResultValue.values)
    kept_results = [
        {**entry, "result": entry.get("result") if entry.get("result") in valid else ""}
        for entry in results
    ]
    kept_photos: dict[Any, list] = {}
    for key, uploads in (photos or {}).items():
        good = []
        for upload in uploads:
            if not upload:
                continue
            try:
                upload.seek(0)  # the refused attempt has read it
                clean_photo(upload)
            except Invalid:
                continue
            finally:
                upload.seek(0)
            good.append(upload)
        kept_photos[key] = good[: settings.XIAOAN_PHOTO_MAX_COUNT]
    try:
        return save_draft(
            actor, pk, results=kept_results, photos=kept_photos, summary=summary, version=version
        )
    except (Invalid, Conflict, Forbidden, NotFound):
        return None


def _hazard_text(item: ChecklistItem, note: str) -> str:
    if note:
        return _("%(note)s（检查项 %(code)s：%(text)s）") % {
            "note": note,
            "code": item.code,
            "text": item.text,
        }
    return _("不符合检查项 %(code)s：%(text)s") % {"code": item.code, "text": item.text}


def _photo_copies(result: ItemResult) -> list[ContentFile]:
    copies = []
    for photo in list(result.photos.all())[: settings.XIAOAN_PHOTO_MAX_COUNT]:
        try:
            with photo.image.open("rb") as handle:
                copies.append(ContentFile(handle.read(), name="photo.jpg"))
        except OSError:
            continue
    return copies


def _check_complete(inspection: Inspection, plan: _Plan) -> None:
    """Every item answered, and a photo for each 须拍照 item not marked 不适用, counting
    what is stored and what this submission brings."""
    answers = {
        item_pk: result for item_pk, result in inspection.results.values_list("item_id", "result")
    }
    for item_pk, change in plan.changes.items():
        if "result" in change:
            answers[item_pk] = change["result"]
    items = sorted(_items(inspection).values(), key=lambda i: i.seq)
    missing = [i for i in items if not answers.get(i.pk)]
    if missing:
        raise Invalid(
            _("还有 %(n)d 个检查项未填写结果：%(items)s。")
            % {"n": len(missing), "items": _labels(missing)},
            fields={"results": [_("请为每个检查项选择符合、不符合或不适用。")]},
        )
    photo_counts = _photo_counts(inspection)
    no_photo = [
        i
        for i in items
        if i.photo_required
        and answers[i.pk] != ResultValue.NA
        and not (photo_counts.get(i.pk) or plan.photos.get(i.pk))
    ]
    if no_photo:
        raise Invalid(
            _("以下检查项须拍照留证：%(items)s。") % {"items": _labels(no_photo)},
            fields={"photos": [_("缺少必须的照片。")]},
        )


def _photo_counts(inspection: Inspection) -> dict[int, int]:
    return dict(
        ResultPhoto.objects.filter(result__inspection=inspection)
        .values_list("result__item_id")
        .annotate(n=Count("pk"))
    )


def photo_gaps(inspection: Inspection) -> list[ChecklistItem]:
    """须拍照 items answered (not 不适用) that have no photo yet: what a submission would
    refuse, told while the person goes (the phone page marks each one)."""
    answers = dict(
        inspection.results.exclude(result__in=["", ResultValue.NA]).values_list("item_id", "result")
    )
    if not answers:
        return []
    counts = _photo_counts(inspection)
    return [
        item
        for item in inspection.checklist.items.filter(photo_required=True).order_by("seq")
        if item.pk in answers and not counts.get(item.pk)
    ]


@transaction.atomic
def submit(
    actor: Any,
    pk: Any,
    *,
    results: Iterable[Mapping[str, Any]] = (),
    photos: Mapping[Any, Sequence] | None = None,
    summary: str | None = None,
    idempotency_key: str | None = None,
    fingerprint: str = "",
    version: int | None = None,
) -> Inspection:
    """Submit the inspection (with any last results). Submitting again returns it as it is
    and creates nothing; after it is closed, or with another key, it is a conflict; with the
    same key but another request (`fingerprint`, xiaoan.core.idempotency), 422. Missing
    results or required photos, or items not in the checklist, are refused and nothing is
    written. Every failed item becomes a hazard (重大 for a direct-criterion item)."""
    key = clean_key(idempotency_key)
    inspection, replayed = begin_once(
        lambda: _begin(actor, pk, "submit", version),
        Inspection,
        pk,
        key=key,
        given=fingerprint,
        key_field="submit_key",
        fingerprint_field="submit_fingerprint",
        went_through=lambda found: found.status == InspectionStatus.SUBMITTED,
        keyless_retry=True,
    )
    if replayed:
        return inspection
    plan = _prepare(inspection, results, photos)
    _check_complete(inspection, plan)  # before anything, photo files included, is written
    _write(actor, inspection, plan, (), summary)
    rows = list(inspection.results.select_related("item").order_by("item__seq"))
    now = timezone.now()
    failed = [r for r in rows if r.result == ResultValue.FAIL]
    template = inspection.checklist.template
    # The inspection is the authority here: whoever may conduct it (an invited expert or a
    # peer school's inspector included) records its findings in the target unit's ledger.
    for row in failed:
        if row.hazard_id:
            continue
        item = row.item
        row.hazard = hazard_services.record_finding(
            actor,
            inspection.unit,
            description=_hazard_text(item, row.note),
            source=HazardSource.INSPECTION,
            domain=template.domain,
            category=item.section[:60],
            criterion=item.criterion,
            photos=_photo_copies(row),
            idempotency_key=f"inspection-{inspection.pk}-item-{item.pk}",
            found_at=now,
            subject=inspection.subject,
            major_note=(
                _("检查项 %(code)s 不符合，按判定标准 %(c)s 直接判定为重大事故隐患。")
                % {"code": item.code, "c": item.criterion}
                if item.criterion
                else ""
            ),
        )
        stamp(row, actor)
        row.save(update_fields=["hazard", "updated_at"])
    # Hazards newly marked 自查未发现, by this inspection or, for a self-check, on the
    # outside inspections of its period that went before it.
    missed = note_missed(inspection, rows)
    # Those already confirmed go under supervision now (屡查屡犯/自查未发现, when the setting
    # is on); the others when they are confirmed.
    hazard_services.supervise_flagged([h for h in missed if h.confirmed_at is not None])
    inspection.submitted_at = now
    inspection.submitted_by = actor
    inspection.submit_key = key
    inspection.submit_fingerprint = fingerprint if key else ""
    stamp(inspection, actor)
    _flow().advance(
        inspection,
        actor,
        InspectionAction.SUBMIT,
        data={"failed": len(failed), "missed": len(missed)},
    )
    ensure_in_scope(actor, inspection, "conduct")
    return inspection


@transaction.atomic
def close(actor: Any, pk: Any, *, note: str = "", version: int | None = None) -> Inspection:
    """End a submitted inspection: nothing may be added to it afterwards."""
    inspection = _begin(actor, pk, "close", version)
    inspection.closed_at = timezone.now()
    note = (note or "").strip()
    if note:
        inspection.summary = "\n".join(s for s in (inspection.summary, note) if s)
    stamp(inspection, actor)
    _flow().advance(inspection, actor, InspectionAction.CLOSE, note=note)
    ensure_in_scope(actor, inspection, "change")
    return inspection
