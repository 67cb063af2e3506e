"""Helpers every part of the hazard loop shares: the event record, photos, units above
a hazard, who may act at all."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.accounts.models import User
from xiaoan.core.errors import Forbidden, Invalid
from xiaoan.core.photo_facts import read_upload_facts
from xiaoan.core.photos import clean_photo
from xiaoan.core.registers import home_unit
from xiaoan.core.scoping import grants_for, has_permission_anywhere
from xiaoan.core.workflow import DECLARED, begin, workflow_of
from xiaoan.hazards import rollup, tally
from xiaoan.hazards.choices import (
    HazardAction,
    HazardLevel,
    HazardStatus,
)
from xiaoan.hazards.models import (
    Hazard,
    HazardEvent,
    HazardPhoto,
)
from xiaoan.hazards.services import photo_checks
from xiaoan.notifications.models import Notification
from xiaoan.orgs.choices import UnitKind
from xiaoan.orgs.models import Place, Unit, ancestor_paths

Kind = Notification.Kind


# ---------------------------------------------------------------- helpers


def _today() -> dt.date:
    return timezone.localdate()


def _url(hazard: Hazard) -> str:
    return reverse("hazards:hazard_detail", args=[hazard.pk])


def _flow():
    """The hazard workflow (declared in xiaoan.hazards.workflow, registered at start-up)."""
    return workflow_of(Hazard)


def _begin(actor: Any, pk: Any, action: str, version: int | None, event: str = "") -> Hazard:
    """The locked hazard, checked for `action` (404 / 403 / 409: xiaoan.core.workflow).
    A rectification step (declared with the rectify right) is the owning side's: one who
    holds that right only from a unit above the hazard's school is refused (403)."""
    hazard = begin(actor, Hazard, pk, action, version, event=event)
    if _flow().actions[action].permission == RECTIFY and not may_rectify(actor, hazard):
        raise Forbidden(_("整改由隐患所在单位负责，上级单位请督办。"))
    return hazard


RECTIFY = "hazards.rectify_hazard"


def may_rectify(actor: Any, hazard: Hazard) -> bool:
    """Owners rectify, superiors supervise: the owner, or one who holds the rectify right at
    the hazard's school (home unit) or below it. A bureau's officer, whose right over a
    school comes from the bureau's subtree, is offered supervision instead."""
    if getattr(actor, "is_superuser", False) or hazard.owner_id == getattr(actor, "pk", None):
        return True
    home = home_unit(hazard.unit).path
    return any(
        RECTIFY in grant.permissions and grant.unit_path and grant.unit_path.startswith(home)
        for grant in grants_for(actor)
    )


def _record(
    hazard: Hazard,
    actor: Any,
    action: str,
    to_status: Any = DECLARED,
    note: str = "",
    data: dict | None = None,
    photos: Sequence = (),
    photo_kind: str = "",
) -> HazardEvent:
    """Move the hazard (to `to_status`; by default where the action named `action` leads;
    None: it stays), append the event and attach the photos, in the caller's transaction."""
    event = _flow().advance(
        hazard,
        actor,
        action,
        to=to_status,
        note=note,
        data=data,
        created=action == HazardAction.REPORT,
    )
    _attach_photos(hazard, event, actor, photos, photo_kind)
    rollup.touch([hazard.unit_id])  # the dashboard's figures follow every step
    return event


def move_tally(hazard: Hazard, old: str | None, new: str) -> None:
    """The workflow's `on_move`: keep the ledger's counts per unit and status."""
    tally.move(hazard.unit_id, old, new)


def _attach_photos(
    hazard: Hazard, event: HazardEvent | None, actor: Any, photos: Sequence, kind: str
) -> None:
    if len(photos) > settings.XIAOAN_PHOTO_MAX_COUNT:
        raise Invalid(_("一次最多上传 %(n)d 张照片。") % {"n": settings.XIAOAN_PHOTO_MAX_COUNT})
    flagged = False
    for upload in photos:
        content, width, height = clean_photo(upload)
        # The facts come from the bytes as sent: the clean copy has no EXIF left. A photo
        # handed on from another record (a public report's) brings the facts read then.
        facts = getattr(upload, "photo_facts", None) or read_upload_facts(upload)
        flags = photo_checks.check(hazard, kind, facts)
        photo = HazardPhoto(
            hazard=hazard,
            event=event,
            kind=kind,
            uploaded_by=actor,
            width=width,
            height=height,
            taken_at=facts.taken_at,
            latitude=facts.latitude,
            longitude=facts.longitude,
            phash=facts.phash,
            flags=flags,
        )
        photo.image.save(content.name, content, save=False)
        photo.save()
        flagged = flagged or bool(flags)
    if flagged and not hazard.photo_flagged:
        hazard.photo_flagged = True
        Hazard.objects.filter(pk=hazard.pk).update(photo_flagged=True)


def _superior_authority(unit: Unit) -> Unit | None:
    """The nearest authority above the unit: the bureau that supervises a school."""
    paths = ancestor_paths(unit.path, include_self=False)
    return Unit.objects.filter(path__in=paths, kind=UnitKind.AUTHORITY).order_by("-depth").first()


def _place_fits(place: Place, unit: Unit) -> bool:
    """A place of the unit, or of the school the unit belongs to (a department's hazard may
    sit in any building of its school)."""
    return place.unit.path.startswith(home_unit(unit).path)


def controls_required(hazard: Hazard, deadline: dt.date | None = None) -> bool:
    """Interim controls are required for major hazards and for far-off deadlines."""
    deadline = deadline or hazard.deadline
    if hazard.level == HazardLevel.MAJOR:
        return True
    if deadline is None:
        return False
    return (deadline - _today()).days > settings.XIAOAN_HAZARD_CONTROL_DAYS


def reportable_units(actor: Any):
    return Unit.objects.with_permission(actor, "hazards.add_hazard")


def assignable_owner_units(actor: Any):
    return Unit.objects.with_permission(actor, "hazards.assign_hazard")


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


def _superior_unit(hazard: Hazard) -> Unit | None:
    """The unit above the hazard's unit (for a school: its bureau; for a department: its
    school), which decides extensions."""
    if hazard.unit.depth <= 1:
        return None
    return Unit.objects.get_parent(hazard.unit)


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


def visible_owners(units: Iterable[Unit]) -> list[User]:
    paths = [u.path for u in units]
    query = Q(pk__in=[])
    for path in paths:
        query |= Q(unit__path__startswith=path)
    return list(User.objects.filter(query, is_active=True).order_by("unit__path", "name"))
