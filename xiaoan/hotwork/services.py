"""The hot-work permit's rules. "No permit, no work; no certificate, no work":

- A request names the unit, the place, the work, its kind, the time window and the operator,
  who must be a certificate of the unit's school (an outside welder is registered in 持证上岗
  first) of the kind the work needs (焊接与热切割作业 for welding and cutting, 电工作业 for
  electrical work), in use and valid on every day of the window. The window ends after it
  starts, has not ended yet and lasts at most `MAX_WINDOW`.
- Approval is by one who holds `hotwork.approve_hotworkpermit` at the permit's unit (the
  school's safety officer or head), never the requester (申请与审批分离); the certificate is
  checked again, the window must not have ended, and an on-site supervisor (监护人) is
  named: a user of the school who holds `hotwork.supervise_hotworkpermit` there, not the
  operator.
- Only the named supervisor starts and finishes the work, each with photos of the site
  (before: extinguishers and the cleared area; after: the site cleared, no embers). Start
  only inside the window, the certificate still valid to its end; finish any time after.
- Rejection (requested) and cancellation (requested or approved) need a reason.
Every step is an event with who, when and the note (the permit's timeline)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.certificates.models import Certificate
from xiaoan.core.errors import Conflict, Forbidden, Invalid, NotFound
from xiaoan.core.registers import home_unit, place_fits
from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.core.workflow import begin, require_note
from xiaoan.hotwork.choices import REQUIRED_KIND, PermitAction, PermitStatus, WorkType
from xiaoan.hotwork.models import HotWorkEvent, HotWorkPermit, HotWorkPhoto

MAX_WINDOW = dt.timedelta(hours=72)
ADD, APPROVE, SUPERVISE = (
    "hotwork.add_hotworkpermit",
    "hotwork.approve_hotworkpermit",
    "hotwork.supervise_hotworkpermit",
)


def _workflow():
    from xiaoan.hotwork.workflow import PERMIT

    return PERMIT


def _day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def _refuse(message: str, field: str = "operator") -> Invalid:
    return Invalid(message, fields={field: [message]})


def check_operator(
    certificate: Certificate | None,
    unit: Any,
    work_type: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
) -> None:
    """The operator's certificate allows this work in this window (Invalid otherwise)."""
    if certificate is None or not certificate.unit.path.startswith(home_unit(unit).path):
        raise _refuse(_("所选作业人员不是本单位登记的持证人员。"))
    if certificate.is_retired:
        raise _refuse(_("%(name)s 的证书已注销，不能安排动火作业。") % {"name": certificate.name})
    needed = REQUIRED_KIND[WorkType(work_type)]
    if certificate.kind != needed:
        raise _refuse(
            _("“%(work)s”须由持《%(need)s》的人员作业，%(name)s 所持为《%(has)s》。")
            % {
                "work": WorkType(work_type).label,
                "need": needed.label,
                "name": certificate.name,
                "has": certificate.get_kind_display(),
            }
        )
    first, last = _day(starts_at), _day(ends_at)
    until, since = certificate.valid_until, certificate.valid_from
    if until is not None and until < first:
        raise _refuse(
            _("%(name)s 的证书已于 %(d)s 过期，不能安排动火作业。")
            % {"name": certificate.name, "d": f"{until:%Y-%m-%d}"}
        )
    if since is not None and since > first:
        raise _refuse(
            _("%(name)s 的证书 %(d)s 起才生效，动火开始时尚未生效。")
            % {"name": certificate.name, "d": f"{since:%Y-%m-%d}"}
        )
    if until is not None and until < last:
        raise _refuse(
            _("%(name)s 的证书 %(d)s 到期，不能覆盖整个动火时段（至 %(e)s）。")
            % {"name": certificate.name, "d": f"{until:%Y-%m-%d}", "e": f"{last:%Y-%m-%d}"}
        )


def _check_window(starts_at: Any, ends_at: Any) -> None:
    if not starts_at or not ends_at:
        raise Invalid(_("请填写动火时段。"), fields={"starts_at": [_("必填。")]})
    if ends_at <= starts_at:
        raise _refuse(_("动火结束时间须晚于开始时间。"), "ends_at")
    if ends_at <= timezone.now():
        raise _refuse(_("动火时段已过，请重新填写。"), "ends_at")
    if ends_at - starts_at > MAX_WINDOW:
        raise _refuse(
            _("一张动火作业许可的时段不能超过 %(h)d 小时。")
            % {"h": MAX_WINDOW.total_seconds() // 3600},
            "ends_at",
        )


def requesting_units(actor: Any):
    from xiaoan.orgs.models import Unit

    return Unit.objects.with_permission(actor, ADD).filter(is_active=True)


def operators_for(unit: Any):
    """Certificates in use of the unit's school that allow some hot work."""
    kinds = sorted(set(REQUIRED_KIND.values()))
    return (
        Certificate.objects.filter(
            unit__path__startswith=home_unit(unit).path,
            retired_at__isnull=True,
            kind__in=kinds,
        )
        .select_related("unit")
        .order_by("name", "pk")
    )


def supervisors_for(permit: HotWorkPermit) -> list[Any]:
    """Active users of the permit's school granted the supervise right at a unit of that
    school (the school itself or a department such as 总务处): one query."""
    from xiaoan.accounts.models import RoleAssignment

    school = home_unit(permit.unit)
    rows = RoleAssignment.objects.filter(
        unit__path__startswith=school.path,
        role__is_active=True,
        user__is_active=True,
        user__unit__path__startswith=school.path,
    ).select_related("user", "role")
    people = {r.user.pk: r.user for r in rows if SUPERVISE in (r.role.permissions or ())}
    return sorted(people.values(), key=lambda u: (u.name or u.username, u.pk))


@transaction.atomic
def request_permit(
    actor: Any,
    *,
    unit: Any,
    location: str,
    work_type: str,
    description: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    operator: Any,
    place: Any = None,
    precautions: str = "",
) -> HotWorkPermit:
    if not has_permission_anywhere(actor, ADD):
        raise Forbidden()
    unit_id = getattr(unit, "pk", unit)
    unit = requesting_units(actor).filter(pk=unit_id).first() if unit_id else None
    if unit is None:
        raise _refuse(_("单位不存在或不在您的管理范围内。"), "unit")
    location, description = (location or "").strip(), (description or "").strip()
    if not location:
        raise _refuse(_("请填写动火地点。"), "location")
    if not description:
        raise _refuse(_("请填写作业内容。"), "description")
    if work_type not in WorkType.values:
        raise _refuse(_("请选择动火类别。"), "work_type")
    if place is not None:
        from xiaoan.orgs.models import Place

        place_id = getattr(place, "pk", place)
        place = Place.objects.select_related("unit").filter(pk=place_id).first()
        if place is None or not place_fits(place, unit):
            raise _refuse(_("场所不属于该单位。"), "place")
    _check_window(starts_at, ends_at)
    operator_id = getattr(operator, "pk", operator)
    certificate = (
        Certificate.objects.select_related("unit").filter(pk=operator_id).first()
        if str(operator_id or "").isdigit()
        else None
    )
    check_operator(certificate, unit, work_type, starts_at, ends_at)
    permit = HotWorkPermit.objects.create(
        unit=unit,
        place=place,
        location=location[:200],
        work_type=work_type,
        description=description,
        precautions=(precautions or "").strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        operator=certificate,
        requested_by=actor,
    )
    _workflow().advance(permit, actor, PermitAction.REQUEST, to=None, created=True)
    from xiaoan.core.register_due import responsible_people
    from xiaoan.notifications.models import Notification

    approvers = responsible_people(APPROVE, [unit.pk]).get(unit.pk, [])
    _tell(approvers, actor, permit, Notification.Kind.REVIEW, _("待审批的动火申请"))
    return permit


def _tell(people, actor: Any, permit: HotWorkPermit, kind: str, title: str, body: str = ""):
    """A notice with a link to the permit (queued; emailed after the step commits)."""
    from django.urls import reverse

    from xiaoan.notifications.services import notify

    start, end = (timezone.localtime(t) for t in (permit.starts_at, permit.ends_at))
    window = f"{start:%m-%d %H:%M} — {end:%m-%d %H:%M}"
    url = reverse("hotwork:hotworkpermit_detail", args=[permit.pk])
    text = f"{permit.location}（{window}）" + (f"\n{body}" if body else "")
    return notify(people, kind, f"{title}：{permit.location}", text, url, actor=actor)


def may_approve(actor: Any, permit: HotWorkPermit) -> bool:
    return permit.requested_by_id != getattr(actor, "pk", None)


def is_supervisor(actor: Any, permit: HotWorkPermit) -> bool:
    return permit.supervisor_id is not None and permit.supervisor_id == getattr(actor, "pk", None)


@transaction.atomic
def approve(actor: Any, pk: Any, *, supervisor: Any, note: str = "", version=None):
    permit = begin(actor, HotWorkPermit, pk, "approve", version)
    if not may_approve(actor, permit):
        raise Forbidden(_("不能审批自己提出的动火申请，请由本单位其他安全管理人员审批。"))
    if permit.ends_at <= timezone.now():
        raise Conflict(_("动火时段已过，不能批准，请重新申请。"))
    check_operator(permit.operator, permit.unit, permit.work_type, permit.starts_at, permit.ends_at)
    supervisor_id = getattr(supervisor, "pk", supervisor)
    chosen = next((u for u in supervisors_for(permit) if u.pk == supervisor_id), None)
    if chosen is None:
        raise _refuse(_("监护人须是本单位可以监护动火作业的人员。"), "supervisor")
    if permit.operator.person_id == chosen.pk:
        raise _refuse(_("监护人不能是动火作业人员本人。"), "supervisor")
    permit.supervisor = chosen
    permit.approved_by = actor
    permit.approved_at = timezone.now()
    _workflow().advance(
        permit,
        actor,
        PermitAction.APPROVE,
        note=(note or "").strip(),
        data={"supervisor": chosen.pk, "supervisor_name": chosen.display_name},
    )
    from xiaoan.notifications.models import Notification

    _tell([chosen], actor, permit, Notification.Kind.ASSIGNED, _("请到场监护动火作业"))
    _tell([permit.requested_by], actor, permit, Notification.Kind.ACCEPTED, _("动火申请已批准"))
    return permit


@transaction.atomic
def reject(actor: Any, pk: Any, *, note: str = "", version=None):
    permit = begin(actor, HotWorkPermit, pk, "reject", version)
    note = require_note(note, _("驳回理由"))
    _workflow().advance(permit, actor, PermitAction.REJECT, note=note)
    from xiaoan.notifications.models import Notification

    _tell(
        [permit.requested_by], actor, permit, Notification.Kind.RETURNED, _("动火申请被驳回"), note
    )
    return permit


@transaction.atomic
def cancel(actor: Any, pk: Any, *, note: str = "", version=None):
    permit = begin(actor, HotWorkPermit, pk, "cancel", version)
    note = require_note(note, _("取消原因"))
    _workflow().advance(permit, actor, PermitAction.CANCEL, note=note)
    return permit


def _photos(permit, event, actor, photos: Sequence, kind: str) -> None:
    from xiaoan.core.photos import clean_photo

    if not photos:
        raise Invalid(_("请拍摄现场照片。"), fields={"photos": [_("必填。")]})
    if len(photos) > settings.XIAOAN_PHOTO_MAX_COUNT:
        raise Invalid(_("一次最多上传 %(n)d 张照片。") % {"n": settings.XIAOAN_PHOTO_MAX_COUNT})
    for upload in photos:
        content, width, height = clean_photo(upload)
        photo = HotWorkPhoto(
            permit=permit, event=event, kind=kind, uploaded_by=actor, width=width, height=height
        )
        photo.image.save(content.name, content, save=False)
        photo.save()


def _supervisor_only(actor: Any, permit: HotWorkPermit) -> None:
    if not is_supervisor(actor, permit):
        raise Forbidden(_("只有指定的监护人可以在现场记录开工和完工。"))


@transaction.atomic
def start(actor: Any, pk: Any, *, photos: Sequence = (), note: str = "", version=None):
    permit = begin(actor, HotWorkPermit, pk, "start", version)
    _supervisor_only(actor, permit)
    now = timezone.now()
    local = "%Y-%m-%d %H:%M"
    if now < permit.starts_at:
        raise Conflict(
            _("未到动火时段（%(t)s 起），不能开工。")
            % {"t": timezone.localtime(permit.starts_at).strftime(local)}
        )
    if now > permit.ends_at:
        raise Conflict(
            _("动火时段已过（至 %(t)s），不能开工，请重新申请。")
            % {"t": timezone.localtime(permit.ends_at).strftime(local)}
        )
    check_operator(permit.operator, permit.unit, permit.work_type, now, permit.ends_at)
    permit.started_at = now
    event = _workflow().advance(permit, actor, PermitAction.START, note=(note or "").strip())
    _photos(permit, event, actor, photos, HotWorkPhoto.Kind.BEFORE)
    return permit


@transaction.atomic
def finish(actor: Any, pk: Any, *, photos: Sequence = (), note: str = "", version=None):
    permit = begin(actor, HotWorkPermit, pk, "finish", version)
    _supervisor_only(actor, permit)
    permit.finished_at = timezone.now()
    event = _workflow().advance(permit, actor, PermitAction.FINISH, note=(note or "").strip())
    _photos(permit, event, actor, photos, HotWorkPhoto.Kind.AFTER)
    return permit


def load(actor: Any, pk: Any) -> HotWorkPermit:
    permit = (
        HotWorkPermit.objects.restrict(actor, "view")
        .select_related("unit", "place", "operator", "requested_by", "supervisor", "approved_by")
        .filter(pk=pk)
        .first()
        if str(pk).isdigit()
        else None
    )
    if permit is None:
        raise NotFound()
    return permit


def load_photo(actor: Any, pk: Any, photo_pk: Any) -> HotWorkPhoto:
    visible = HotWorkPermit.objects.restrict(actor, "view").filter(pk=pk)
    photo = (
        HotWorkPhoto.objects.filter(permit__in=visible, pk=photo_pk).first()
        if str(photo_pk).isdigit()
        else None
    )
    if photo is None:
        raise NotFound()
    return photo


def events_of(permit: HotWorkPermit) -> list[HotWorkEvent]:
    return list(permit.events.select_related("actor").prefetch_related("photos"))


__all__ = ["PermitStatus", "check_operator", "request_permit"]
