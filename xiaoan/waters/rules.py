"""The water register's own rules: its linked schools (within the owning unit's subtree),
written with the item in the service's transaction."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from xiaoan.core import history
from xiaoan.core.errors import Invalid


def schools_in_scope(unit: Any):
    """The schools a water of `unit` may be linked to: those at or below its unit (the
    school itself for a school or one of its departments)."""
    from xiaoan.core.registers import home_unit
    from xiaoan.orgs.models import Unit

    return Unit.objects.filter(
        kind="school", is_active=True, path__startswith=home_unit(unit).path
    ).order_by("path")


def parse_schools(cell: Any) -> list[str]:
    """A sheet's 关联学校: names separated by 、，, ; or new lines."""
    import re

    text = str(cell or "").strip()
    return [name for name in (p.strip() for p in re.split(r"[、，,;；\n]+", text)) if name]


def render_schools(item: Any) -> str:
    return "、".join(s.name for s in item.schools.all())


def same_schools(item: Any, names: list[str]) -> bool:
    return sorted(s.name for s in item.schools.all()) == sorted(set(names))


def save_schools(actor: Any, item: Any, data: dict) -> None:
    """Set the linked schools when the data names them (ids, units or, from a sheet, names);
    any outside the owning unit's subtree is refused, nothing written."""
    if "schools" not in data:
        return
    given = list(data.get("schools") or [])
    allowed = schools_in_scope(item.unit)
    by_name = {s.name: s for s in allowed}
    by_pk = {s.pk: s for s in allowed}
    chosen, refused = [], []
    for value in given:
        if isinstance(value, str) and not value.isdigit():
            school = by_name.get(value.strip())
        else:
            school = by_pk.get(int(getattr(value, "pk", value)))
        if school is None:
            refused.append(str(getattr(value, "name", value)))
        elif school not in chosen:
            chosen.append(school)
    if refused:
        raise Invalid(
            _("关联学校须是所属单位管辖范围内的学校：%(s)s。") % {"s": "、".join(refused)},
            fields={
                "schools": [_("关联学校不在所属单位管辖范围内：%(s)s") % {"s": "、".join(refused)}]
            },
        )
    if {s.pk for s in chosen} != set(item.schools.values_list("pk", flat=True)):
        item.schools.set(chosen)
        text = "、".join(s.name for s in chosen) or _("无")
        history.note_links(item, _("关联学校：%(s)s") % {"s": text})
