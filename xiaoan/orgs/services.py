"""Business rules for the unit tree: create, edit, move, and onboarding from a sheet."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from xiaoan.accounts.authority import check_may_deactivate_unit
from xiaoan.core.errors import Forbidden, Invalid
from xiaoan.core.history import stamp
from xiaoan.core.names import normalize_name, skeleton
from xiaoan.core.scoping import forget_grants, holds_everywhere
from xiaoan.core.services import ensure_in_scope, get_scoped
from xiaoan.orgs.choices import UnitKind
from xiaoan.orgs.models import Unit, child_kind_allowed

EDITABLE_FIELDS = [
    "name",
    "kind",
    "school_type",
    "code",
    "aliases",
    "enrolment",
    "boarding",
    "boarding_students",
    "staff_count",
    "address",
    "phone",
    "longitude",
    "latitude",
    "is_active",
]


def can_add_root(user: Any) -> bool:
    """Only a platform-wide grant of add_unit may create a new tree root."""
    return holds_everywhere(user, "orgs.add_unit")


def parent_choices(user: Any):
    return Unit.objects.restrict(user, "add").exclude(kind=UnitKind.SECTION)


def _validate(unit: Unit, parent: Unit | None) -> None:
    parent_kind = parent.kind if parent else None
    if not child_kind_allowed(parent_kind, unit.kind):
        where = parent.get_kind_display() if parent else _("顶层")
        raise Invalid(
            _("%(parent)s下不能设立%(kind)s。")
            % {"parent": where, "kind": unit.get_kind_display()},
            fields={"kind": [_("该类型不能放在所选上级单位下。")]},
        )
    try:
        unit.full_clean(exclude=["path", "depth", "numchild"])
    except ValidationError as exc:
        raise Invalid(fields={k: [str(m) for m in v] for k, v in exc.message_dict.items()}) from exc
    clash = lookalike_of(unit.name, unit.kind, parent, exclude_pk=unit.pk)
    if clash is not None:
        raise lookalike_error(unit.name, clash, parent)
    if unit.kind == UnitKind.SCHOOL and unit.school_type == "":
        raise Invalid(fields={"school_type": [_("请选择学校类型。")]})


def lookalike_of(
    name: str, kind: str, parent: Unit | None, exclude_pk: int | None = None
) -> Unit | None:
    """An existing unit whose name reads the same as `name` (same `skeleton`) where the two
    would be confused, or None. The rule:

    - no two units under one parent (or two tree roots) look alike;
    - no two schools under one education authority look alike, counting the schools of
      its subordinate authorities (a town's schools within its district) and the schools
      directly under the authorities above it. Departments and sections repeat across
      schools and bureaus (every school has its 总务处) and are compared with siblings only.
    """
    key = skeleton(name)
    if parent is None:
        candidates = Unit.objects.get_root_nodes()
    else:
        candidates = Unit.objects.get_children(parent)
        if kind == UnitKind.SCHOOL:
            ancestors = [*Unit.objects.get_ancestors(parent), parent]
            near = Q(path__startswith=parent.path)
            for above in ancestors:
                near |= Q(path__startswith=above.path, depth=above.depth + 1)
            candidates = Unit.objects.filter(near, kind=UnitKind.SCHOOL) | candidates
    candidates = candidates.exclude(pk=exclude_pk) if exclude_pk else candidates
    for other in candidates.only("id", "name", "path", "kind").order_by("path"):
        if skeleton(other.name) == key:
            return other
    return None


def lookalike_error(name: str, clash: Unit, parent: Unit | None) -> Invalid:
    """The refusal of a name that reads like `clash`'s, in words saying where that one is."""
    sibling = clash.path[: -Unit.steplen] == (parent.path if parent else "")
    if clash.name == name and sibling:
        return Invalid(
            _("同一上级单位下已有名为“%(name)s”的单位。") % {"name": name},
            fields={"name": [_("名称重复。")]},
        )
    if clash.name == name:
        message = _("同一教育行政部门下已有名为“%(name)s”的学校。") % {"name": name}
    else:
        message = _("名称“%(name)s”与已有单位“%(other)s”看起来相同，容易混淆，请换一个名称。") % {
            "name": name,
            "other": clash.name,
        }
    return Invalid(message, fields={"name": [_("与已有单位名称相同或相近。")]})


def _resolve_parent(user: Any, parent: Unit | int | None) -> Unit | None:
    if parent is None:
        if not can_add_root(user):
            raise Forbidden(_("只有平台系统管理员可以创建顶层单位。"))
        return None
    pk = parent.pk if isinstance(parent, Unit) else parent
    return get_scoped(user, Unit, pk, "add")


@transaction.atomic
def create_unit(user: Any, parent: Unit | int | None, data: dict[str, Any]) -> Unit:
    parent_unit = _resolve_parent(user, parent)
    unit = Unit(**{k: v for k, v in data.items() if k in EDITABLE_FIELDS})
    unit.name = normalize_name(unit.name)
    if unit.kind != UnitKind.SCHOOL:
        unit.school_type = ""
    _validate(unit, parent_unit)
    if parent_unit is None:
        unit = Unit.objects.add_root(instance=stamp(unit, user))
    else:
        unit = Unit.objects.add_child(parent_unit, instance=stamp(unit, user))
    ensure_in_scope(user, unit, "view")
    _figures_changed(unit)
    forget_grants(user)  # the scope now holds one more unit
    return unit


def _figures_changed(unit: Unit) -> None:
    """A school added, changed (boarding, closed) or moved counts anew in its superiors'
    figures (the dashboard's rollups that read the units)."""
    from xiaoan.reports import rollups

    rollups.changed(Unit, [unit.pk])


@transaction.atomic
def update_unit(user: Any, unit: Unit | int, data: dict[str, Any]) -> Unit:
    pk = unit.pk if isinstance(unit, Unit) else unit
    unit = get_scoped(user, Unit, pk, "change")
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if unit.is_active and data.get("is_active") is False:
        check_may_deactivate_unit(user, unit)
    for key, value in data.items():
        if key in EDITABLE_FIELDS:
            setattr(unit, key, normalize_name(value) if key == "name" else value)
    if unit.kind != UnitKind.SCHOOL:
        unit.school_type = ""
    parent = Unit.objects.get_parent(unit)
    _validate(unit, parent)
    bad_children = [
        c.name for c in Unit.objects.get_children(unit) if not child_kind_allowed(unit.kind, c.kind)
    ]
    if bad_children:
        raise Invalid(
            _("下级单位“%(names)s”不能放在该类型的单位下。") % {"names": "、".join(bad_children)},
            fields={"kind": [_("与下级单位的类型不相容。")]},
        )
    stamp(unit, user).save()
    ensure_in_scope(user, unit, "change")
    _figures_changed(unit)
    return unit


@transaction.atomic
def move_unit(user: Any, unit: Unit | int, new_parent: Unit | int) -> Unit:
    pk = unit.pk if isinstance(unit, Unit) else unit
    unit = get_scoped(user, Unit, pk, "change")
    target = _resolve_parent(user, new_parent)
    if target is None:
        raise Invalid(_("请选择新的上级单位。"))
    if target.path.startswith(unit.path):
        raise Invalid(_("不能把单位移到它自己或它的下级单位之下。"))
    _validate(unit, target)
    old_parent = Unit.objects.get_parent(unit)
    old_path = unit.path
    Unit.objects.move(unit, target, "last-child")
    unit = Unit.objects.get(pk=unit.pk)
    from xiaoan.reports import rollups  # the dashboard's figures follow the unit

    rollups.unit_moved(unit.pk, old_path)
    # Every school it carries is now measured against its new superiors' targets.
    moved = Unit.objects.filter(path__startswith=unit.path, kind=UnitKind.SCHOOL)
    rollups.changed(Unit, [unit.pk, *moved.values_list("pk", flat=True)])
    ensure_in_scope(user, unit, "change")
    # treebeard moves with bulk updates, which leave no history: record the move itself.
    unit._change_reason = _("调整上级：%(old)s → %(new)s") % {
        "old": old_parent.name if old_parent else _("顶层"),
        "new": target.name,
    }
    stamp(unit, user).save()
    forget_grants(user)
    return unit
