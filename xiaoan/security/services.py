"""The declaration's workflow steps (xiaoan.security.workflow); creating and editing are the
register layer's services (xiaoan.core.registers.create/update).

- Submit (draft or returned → submitted): by the school's own people (a grant at the school
  or inside it), with at least one evidence file attached; the verifiers above are told.
- Verify (→ verified) and return (→ returned, with the reason): by one who holds
  `security.verify_securityposture` over a unit strictly above the school (the bureau), never
  the school's own people and never the person who submitted it; the school is told.
- An edit of a submitted or verified declaration sends it back to draft
  (xiaoan.security.registers.reopen_after_edit).
Every step is an event row (the record page's timeline) and an audit entry."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.core.errors import Conflict, Forbidden, Invalid, NotFound
from xiaoan.core.models import RegisterAttachment
from xiaoan.core.scoping import grants_for
from xiaoan.core.workflow import begin, require_note
from xiaoan.security.choices import PostureAction
from xiaoan.security.models import VERIFY, SecurityPosture

CHANGE = "security.change_securityposture"
SCHOOL_DECLARES = _("安防建设由学校本单位人员申报。")


def _workflow():
    from xiaoan.security.workflow import POSTURE

    return POSTURE


def declares_for(actor: Any, unit: Any) -> bool:
    """The actor is one of the school's own people who keep the register (a grant of the
    change right at the school or inside it), not a superior through its subtree."""
    if getattr(actor, "is_superuser", False):
        return True
    return any(
        CHANGE in g.permissions and g.unit_path and g.unit_path.startswith(unit.path)
        for g in grants_for(actor)
    )


def verifies_unit(actor: Any, unit: Any) -> bool:
    """The actor holds the verify right over a unit strictly above the school (its bureau
    with the subtree): a school never verifies itself."""
    if getattr(actor, "is_superuser", False):
        return True
    return any(
        VERIFY in g.permissions
        and g.descendants
        and (g.unit_id is None or (unit.path.startswith(g.unit_path) and g.unit_path != unit.path))
        for g in grants_for(actor)
    )


def may_submit(actor: Any, posture: SecurityPosture) -> bool:
    return not posture.is_retired and declares_for(actor, posture.unit)


def may_verify(actor: Any, posture: SecurityPosture) -> bool:
    return (
        not posture.is_retired
        and verifies_unit(actor, posture.unit)
        and posture.submitted_by_id != getattr(actor, "pk", None)
    )


def _in_use(posture: SecurityPosture) -> None:
    if posture.is_retired:
        raise Conflict(_("该申报已注销，不能再处理。"))


def has_evidence(posture: SecurityPosture) -> bool:
    from xiaoan.security.registers import SECURITY_POSTURES

    return RegisterAttachment.objects.filter(
        content_type=SECURITY_POSTURES.content_type(), object_id=posture.pk
    ).exists()


@transaction.atomic
def submit(actor: Any, pk: Any, *, note: str = "", version: int | None = None):
    posture = begin(actor, SecurityPosture, pk, "submit", version)
    _in_use(posture)
    if not declares_for(actor, posture.unit):
        raise Forbidden(SCHOOL_DECLARES)
    if not has_evidence(posture):
        message = _("请先上传佐证材料（如门卫台账、联网凭证、护学岗照片），再提交核验。")
        raise Invalid(message, fields={"attachments": [message]})
    posture.submitted_by, posture.submitted_at = actor, timezone.now()
    posture.return_reason = ""
    _workflow().advance(posture, actor, PostureAction.SUBMIT, note=(note or "").strip())
    _tell_verifiers(actor, posture)
    return posture


def _verifier_check(actor: Any, posture: SecurityPosture) -> None:
    _in_use(posture)
    if not verifies_unit(actor, posture.unit):
        raise Forbidden(_("安防建设申报由上级教育局核验，学校不能核验本校的申报。"))
    if posture.submitted_by_id == getattr(actor, "pk", None):
        raise Forbidden(_("不能核验自己提交的申报。"))


@transaction.atomic
def verify(actor: Any, pk: Any, *, note: str = "", version: int | None = None):
    posture = begin(actor, SecurityPosture, pk, "verify", version)
    _verifier_check(actor, posture)
    posture.verified_by, posture.verified_at = actor, timezone.now()
    _workflow().advance(posture, actor, PostureAction.VERIFY, note=(note or "").strip())
    _tell_school(actor, posture, _("安防建设申报已核验"), note)
    return posture


@transaction.atomic
def send_back(actor: Any, pk: Any, *, note: str = "", version: int | None = None):
    posture = begin(actor, SecurityPosture, pk, "send_back", version)
    _verifier_check(actor, posture)
    note = require_note(note, _("退回理由"))
    posture.return_reason = note[:500]
    _workflow().advance(posture, actor, PostureAction.SEND_BACK, note=note)
    _tell_school(actor, posture, _("安防建设申报被退回"), note)
    return posture


def load(actor: Any, pk: Any) -> SecurityPosture:
    from xiaoan.security.registers import SECURITY_POSTURES

    posture = SECURITY_POSTURES.queryset(actor).filter(pk=pk).first() if str(pk).isdigit() else None
    if posture is None:
        raise NotFound()
    return posture


def events_of(posture: SecurityPosture) -> list:
    return list(posture.events.select_related("actor"))


# ---------------------------------------------------------------- notices


def _url(posture: SecurityPosture) -> str:
    return reverse("security:securityposture_detail", args=[posture.pk])


def verifiers_of(unit: Any) -> list[Any]:
    """The verifiers of the nearest unit above the school that has any (the district bureau's
    officers, not every level up to the province)."""
    from xiaoan.accounts.models import RoleAssignment
    from xiaoan.orgs.models import ancestor_paths

    above = [p for p in ancestor_paths(unit.path) if p != unit.path]
    rows = RoleAssignment.objects.filter(
        unit__path__in=above, include_descendants=True, role__is_active=True, user__is_active=True
    ).select_related("user", "role", "unit")
    by_path: dict[str, list[Any]] = {}
    for row in rows:
        if VERIFY in (row.role.permissions or ()):
            by_path.setdefault(row.unit.path, []).append(row.user)
    nearest = max(by_path, key=len, default=None)
    return by_path[nearest] if nearest else []


def _tell_verifiers(actor: Any, posture: SecurityPosture) -> None:
    from xiaoan.notifications.models import Notification
    from xiaoan.notifications.services import notify

    title = _("待核验：%(u)s 的%(n)s") % {"u": posture.unit.name, "n": posture.name}
    notify(verifiers_of(posture.unit), Notification.Kind.REVIEW, title, "", _url(posture),
           actor=actor)  # fmt: skip


def _tell_school(actor: Any, posture: SecurityPosture, title: str, body: str) -> None:
    from xiaoan.accounts.models import RoleAssignment
    from xiaoan.notifications.models import Notification
    from xiaoan.notifications.services import notify

    rows = RoleAssignment.objects.filter(
        unit__path__startswith=posture.unit.path, role__is_active=True, user__is_active=True
    ).select_related("user", "role")
    people = [r.user for r in rows if CHANGE in (r.role.permissions or ())]
    if posture.submitted_by is not None:
        people.append(posture.submitted_by)
    kind = Notification.Kind.ACCEPTED if posture.is_verified else Notification.Kind.RETURNED
    notify(people, kind, f"{title}：{posture.name}", body or "", _url(posture), actor=actor)


def verifiable(user: Any):
    """Declarations awaiting verification that `user` may verify (one query; not the ones
    they submitted, never their own school's)."""
    from django.db.models import Q

    from xiaoan.security.choices import PostureStatus

    rows = SecurityPosture.objects.filter(status=PostureStatus.SUBMITTED, retired_at__isnull=True)
    if not getattr(user, "is_superuser", False):
        above = Q(pk__in=[])
        for g in grants_for(user):
            if VERIFY in g.permissions and g.descendants:
                if g.unit_id is None:
                    above = Q()
                    break
                above |= Q(unit__path__startswith=g.unit_path) & ~Q(unit__path=g.unit_path)
        rows = rows.filter(above)
    return rows.exclude(submitted_by=user)
