"""The issuing unit's review of duty records: accept (the records count, the obligation is
decided) or return with the reason (the records are kept, marked returned; the unit records
again).

Who reviews: the people who manage the duty (`duties.change_duty` at its issuing unit), so
the obligated unit never accepts its own records when a higher unit issued the duty; and
nobody reviews a record they reported themselves. A duty needs review when its
`requires_review` is on (by default for record duties a higher unit issues to the units
below it, see `services.default_requires_review`).

A return gives the unit until the due date, or `RESUBMIT_DAYS` after the return when that
is later, to record again (`Obligation.resubmit_by`): the time the review took is not the
unit's.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.core.errors import Conflict, Forbidden
from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.core.workflow import begin, require_note, workflow_of
from xiaoan.duties.choices import ObligationAction, ObligationStatus, ProofKind, RecordReview
from xiaoan.duties.models import Duty, DutyRecord, Obligation
from xiaoan.duties.services import decide, manages_duty, reporters_of
from xiaoan.notifications.models import Notification

RESUBMIT_DAYS = 7
REVIEW_DUTY = "duties.change_duty"


def may_review(actor: Any, ob: Obligation) -> bool:
    """The accept and return actions' guard: the actor manages the duty at its issuing unit
    and reported none of the records awaiting review (records only prove record duties)."""
    if ob.duty.proof != ProofKind.RECORD or not manages_duty(actor, ob):
        return False
    return not ob.records.filter(
        review=RecordReview.PENDING, submitted_by_id=getattr(actor, "pk", None)
    ).exists()


def _check(actor: Any, ob: Obligation) -> list[DutyRecord]:
    if ob.duty.proof != ProofKind.RECORD:
        raise Conflict(_("该事项以完成相应类型的检查为准，没有需要审核的记录。"))
    if not manages_duty(actor, ob):
        raise Forbidden(_("只有发布单位的管理人员可以审核报送记录。"))
    records = list(ob.records.select_for_update().filter(review=RecordReview.PENDING))
    if any(r.submitted_by_id == getattr(actor, "pk", None) for r in records):
        raise Forbidden(_("不能审核自己报送的记录。"))
    return records


def _mark(records: list[DutyRecord], actor: Any, review: str, note: str, now) -> None:
    for record in records:
        record.review, record.review_note = review, note
        record.reviewed_by, record.reviewed_at = actor, now
    DutyRecord.objects.bulk_update(records, ["review", "review_note", "reviewed_by", "reviewed_at"])


@transaction.atomic
def accept(actor: Any, pk: Any, *, note: str = "", version: int | None = None) -> Obligation:
    """Accept the records awaiting review: they count, and the obligation is decided (met
    when enough are accepted; otherwise pending for more, or missed past its deadline)."""
    ob = begin(actor, Obligation, pk, "accept", version)
    records = _check(actor, ob)
    note = (note or "").strip()
    now, today = timezone.now(), timezone.localdate()
    _mark(records, actor, RecordReview.ACCEPTED, note, now)
    counted = ob.records.filter(review=RecordReview.ACCEPTED).count()
    to = decide(ob, counted, today, now) or ObligationStatus.PENDING
    workflow_of(Obligation).advance(
        ob, actor, ObligationAction.ACCEPT, to=to, note=note, data={"records": _pks(records)}
    )
    _tell_unit(actor, ob, Notification.Kind.ACCEPTED, _("报送记录已审核通过"), note)
    return ob


@transaction.atomic
def send_back(actor: Any, pk: Any, *, note: str = "", version: int | None = None) -> Obligation:
    """Return the records awaiting review with the reason: they stay, marked returned, and
    the obligation is pending again until the unit records anew."""
    ob = begin(actor, Obligation, pk, "send_back", version, event=ObligationAction.RETURN)
    records = _check(actor, ob)
    note = require_note(note, _("退回理由"))
    today = timezone.localdate()
    _mark(records, actor, RecordReview.RETURNED, note, timezone.now())
    again_by = today + dt.timedelta(days=RESUBMIT_DAYS)
    if again_by > ob.due_on:
        ob.resubmit_by = again_by
    workflow_of(Obligation).advance(
        ob,
        actor,
        ObligationAction.RETURN,
        to=ObligationStatus.PENDING,
        note=note,
        data={"records": _pks(records)},
    )
    body = _("退回理由：%(note)s。请在 %(d)s 前重新报送。") % {"note": note, "d": ob.deadline}
    _tell_unit(actor, ob, Notification.Kind.RETURNED, _("报送记录被退回"), body)
    return ob


def _pks(records: list[DutyRecord]) -> list[int]:
    return [r.pk for r in records]


def _url(ob: Obligation) -> str:
    return reverse("duties:obligation_detail", args=[ob.pk])


def _tell_unit(actor: Any, ob: Obligation, kind: str, title: str, body: str) -> None:
    """The obligated unit's reporters learn the decision (not the reviewer)."""
    from xiaoan.notifications.services import notify

    people = reporters_of([ob.unit_id]).get(ob.unit_id, [])
    notify(
        people, kind, f"{title}：{ob.duty.name}（{ob.period_label}）", body, _url(ob), actor=actor
    )


def reviewers(ob: Obligation) -> list[Any]:
    """The people of the issuing unit who may review its records (one query)."""
    from xiaoan.accounts.models import RoleAssignment

    rows = RoleAssignment.objects.filter(
        unit_id=ob.duty.issuer_id, role__is_active=True, user__is_active=True
    ).select_related("user", "role")
    return [r.user for r in rows if REVIEW_DUTY in (r.role.permissions or ())]


def notify_reviewers(actor: Any, ob: Obligation) -> int:
    """A record waits: the issuing unit's reviewers are told (not the reporter)."""
    from xiaoan.notifications.services import notify

    title = _("待审核：%(unit)s 报送的“%(duty)s”记录") % {
        "unit": ob.unit.name,
        "duty": ob.duty.name,
    }
    return notify(
        reviewers(ob), Notification.Kind.REVIEW, title, ob.period_label, _url(ob), actor=actor
    )


def awaiting(actor: Any) -> int:
    """How many obligations await the actor's review (the obligation list's 待审核 link); no
    query for those who review nothing."""
    if not has_permission_anywhere(actor, REVIEW_DUTY):
        return 0
    return (
        Obligation.objects.restrict(actor)
        .filter(status=ObligationStatus.REVIEW, duty__in=Duty.objects.restrict(actor, "change"))
        .count()
    )
