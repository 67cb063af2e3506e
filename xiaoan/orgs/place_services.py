"""Business rules for places (场所): create and edit inside one's scope, a parent of the same
unit, no loops, no two places of the same name under one parent."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from xiaoan.core.errors import Forbidden, Invalid, NotFound
from xiaoan.core.history import stamp
from xiaoan.core.services import ensure_in_scope, get_scoped
from xiaoan.orgs.models import Place, Unit

EDITABLE_FIELDS = ["parent", "kind", "name", "use", "is_active"]


def descendant_ids(place: Place) -> set[int]:
    """The place and every place below it (a parent may not be chosen among them)."""
    rows = list(Place.objects.filter(unit_id=place.unit_id).values_list("pk", "parent_id"))
    out, frontier = {place.pk}, {place.pk}
    while frontier:
        frontier = {pk for pk, parent in rows if parent in frontier and pk not in out}
        out |= frontier
    return out


def _resolve_unit(user: Any, unit: Unit | int) -> Unit:
    pk = unit.pk if isinstance(unit, Unit) else unit
    found = Unit.objects.with_permission(user, "orgs.add_place").filter(pk=pk).first()
    if found is None:
        if Unit.objects.restrict(user).filter(pk=pk).exists():
            raise Forbidden(_("您不能在该单位添加场所。"))
        raise NotFound()
    return found


def _validate(place: Place) -> None:
    place.name = (place.name or "").strip()
    parent = place.parent
    if parent is not None:
        if parent.unit_id != place.unit_id:
            raise Invalid(fields={"parent": [_("所在位置须是同一单位的场所。")]})
        if place.pk and parent.pk in descendant_ids(place):
            raise Invalid(fields={"parent": [_("不能放在它自己或它的下级场所中。")]})
    try:
        place.full_clean(exclude=["unit", "parent"], validate_constraints=False)
    except ValidationError as exc:
        raise Invalid(fields={k: [str(m) for m in v] for k, v in exc.message_dict.items()}) from exc
    siblings = Place.objects.filter(unit_id=place.unit_id, parent=parent, name=place.name)
    if siblings.exclude(pk=place.pk).exists():
        message = _("同一位置下已有名为“%(name)s”的场所。") % {"name": place.name}
        raise Invalid(message, fields={"name": [message]})


@transaction.atomic
def create_place(user: Any, unit: Unit | int, data: dict[str, Any]) -> Place:
    unit_obj = _resolve_unit(user, unit)
    place = Place(unit=unit_obj, **{k: v for k, v in data.items() if k in EDITABLE_FIELDS})
    _validate(place)
    stamp(place, user).save()
    ensure_in_scope(user, place, "add")
    return place


@transaction.atomic
def update_place(user: Any, place: Place | int, data: dict[str, Any]) -> Place:
    pk = place.pk if isinstance(place, Place) else place
    place = get_scoped(user, Place, pk, "change")
    place = Place.objects.select_for_update().get(pk=place.pk)
    for key, value in data.items():
        if key in EDITABLE_FIELDS:
            setattr(place, key, value)
    _validate(place)
    stamp(place, user).save()
    ensure_in_scope(user, place, "change")
    return place
