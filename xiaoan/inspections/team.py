"""The people of an inspection: its team (带队领导, 检查组成员, outside members without an
account) and the people an inspection may be opened to.

A team is made of people the organiser may call on: those of the organising unit and the
units below it whom the person setting it may see, and the platform's expert pool. Anyone
else is answered as someone who does not exist.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from xiaoan.accounts.models import User
from xiaoan.core.errors import Forbidden, Invalid, NotFound
from xiaoan.core.history import stamp
from xiaoan.core.services import ensure_in_scope
from xiaoan.core.workflow import begin, workflow_of
from xiaoan.inspections.choices import InspectionAction
from xiaoan.inspections.models import Inspection
from xiaoan.orgs.models import Unit

OUTSIDE_MAX = 500


def expert_pool() -> Q:
    """Active people with no home unit who hold no platform role (outside experts)."""
    from xiaoan.accounts.models import RoleAssignment

    platform = RoleAssignment.objects.filter(role__is_platform=True).values("user_id")
    return Q(unit__isnull=True) & ~Q(pk__in=platform)


def invitable_people(actor: Any):
    """Who `actor` may invite to an inspection, look up or find by name: the people they may
    see (`User.objects.restrict`), plus the expert pool."""
    seen = User.objects.restrict(actor).values("pk")
    return User.objects.filter(Q(pk__in=seen) | expert_pool(), is_active=True)


def find_user(identifier: Any, among=None) -> User | None:
    """An active person by id, username or mobile number, among `among` (all people when
    None)."""
    value = str(identifier or "").strip()
    if not value:
        return None
    query = Q(username=value) | Q(mobile_hash__matches=value)
    if value.isdigit() and len(value) < 11:
        query |= Q(pk=int(value))
    people = User.objects.filter(is_active=True) if among is None else among
    return people.filter(query).first()


def team_people(actor: Any, organiser):
    """Who may lead or join an inspection organised by `organiser`: people of that unit and
    the units below it whom `actor` may see, and the expert pool. `organiser` may also be a
    queryset of units already holding their subtrees (the units a person may organise for,
    offered on the creation form before the organiser is settled)."""
    if isinstance(organiser, Unit):
        units = Q(unit__path__startswith=organiser.path)
    else:
        units = Q(unit__in=organiser.values("pk"))
    return invitable_people(actor).filter(units | expert_pool())


def _pk(value: Any) -> int:
    if isinstance(value, User):
        return value.pk
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1  # nobody


def resolve_team(
    actor: Any,
    organiser: Unit,
    *,
    leader: Any = None,
    members: Iterable[Any] = (),
    outside_members: str = "",
) -> tuple[User | None, list[User], str]:
    """The checked team; people the organiser may not call on are refused as not found."""
    allowed = team_people(actor, organiser)
    errors: dict[str, list[str]] = {}
    person = None
    if leader not in (None, ""):
        person = allowed.filter(pk=_pk(leader)).first()
        if person is None:
            errors["leader"] = [_("找不到此人，带队领导须是组织单位及下级单位的人员或专家库人员。")]
    wanted = {_pk(m) for m in members or () if m not in (None, "")}
    found = list(allowed.filter(pk__in=wanted).order_by("unit__path", "username"))
    if len(found) != len(wanted):
        errors["members"] = [
            _("有成员找不到，检查组成员须是组织单位及下级单位的人员或专家库人员。")
        ]
    outside = " ".join(str(outside_members or "").split())
    if len(outside) > OUTSIDE_MAX:
        errors["outside_members"] = [_("校外成员最多 %(n)d 个字。") % {"n": OUTSIDE_MAX}]
    if errors:
        raise Invalid(fields=errors)
    return person, found, outside


def describe(inspection: Inspection) -> str:
    """The team in one line, for the history."""
    parts = []
    if inspection.leader_id:
        parts.append(_("带队领导：%(p)s") % {"p": inspection.leader.display_name})
    names = [p.display_name for p in inspection.members.all()]
    if inspection.outside_members:
        names.append(inspection.outside_members)
    if names:
        parts.append(_("成员：%(p)s") % {"p": "、".join(names)})
    return "；".join(parts) or _("未指定检查组")


def may_set_team(actor: Any, inspection: Inspection) -> bool:
    """The organiser's people set the team: a school does not choose who leads the bureau's
    supervision of it."""
    return (
        Unit.objects.with_permission(actor, "inspections.change_inspection")
        .filter(pk=inspection.organiser_id)
        .exists()
    )


@transaction.atomic
def set_team(
    actor: Any,
    pk: Any,
    *,
    leader: Any = None,
    members: Iterable[Any] = (),
    outside_members: str = "",
    version: int | None = None,
) -> Inspection:
    """Record who leads the inspection and who is on its team (until it is closed). The
    version stays, as for invitations: a draft open on a phone remains valid."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound() from None
    inspection = begin(actor, Inspection, pk, "team", None)
    if not may_set_team(actor, inspection):
        raise Forbidden(_("检查组由组织单位设置。"))
    person, found, outside = resolve_team(
        actor,
        inspection.organiser,
        leader=leader,
        members=members,
        outside_members=outside_members,
    )
    inspection.leader = person
    inspection.outside_members = outside
    stamp(inspection, actor)
    inspection.save(update_fields=["leader", "outside_members", "updated_at"])
    inspection.members.set(found)
    workflow_of(Inspection).record_event(
        inspection,
        InspectionAction.TEAM,
        actor,
        describe(inspection),
        inspection.status,
        inspection.status,
        {"leader": person.pk if person else None, "members": [p.pk for p in found]},
    )
    ensure_in_scope(actor, inspection, "change")
    return inspection
