"""The dashboard (一张图) of one unit: every app's section and the ranking of the units one
level down. Read-only: nothing here writes."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from xiaoan.core import freshness
from xiaoan.core.errors import NotFound
from xiaoan.core.ids import parse_id
from xiaoan.core.scoping import grants_for
from xiaoan.orgs.choices import UnitKind
from xiaoan.orgs.models import Unit
from xiaoan.reports.figures import Branch, Column, Scope, Section, sections_for


@dataclass
class Dashboard:
    unit: Unit
    subtree: bool
    sections: list[Section]
    columns: list[tuple[str, Column]] = field(default_factory=list)  # (section key, column)
    ranking: list[dict] = field(default_factory=list)
    sort: str = "score"
    rank: str = "children"
    weights_from: Unit | None = None  # the authority whose weights apply (None: built-in)
    # When the figures were read: a kept dashboard is shown until something changes.
    built_at: Any = field(default_factory=timezone.now)

    @property
    def formula(self) -> str:
        """How the score is made, as the page explains it."""
        return " + ".join(f"{c.label}×{c.weight:g}" for _key, c in self.columns if c.weight)

    @property
    def sections_by_key(self) -> dict[str, Section]:
        return {s.key: s for s in self.sections}


def default_unit(user: Any) -> Unit | None:
    """The highest unit the person holds a role at (the first, if several)."""
    grants = sorted(
        (g for g in grants_for(user) if g.unit_id), key=lambda g: (len(g.unit_path), g.unit_path)
    )
    return Unit.objects.filter(pk=grants[0].unit_id).first() if grants else None


def _subtree(user: Any, unit: Unit) -> bool:
    """Whether the person sees the unit's whole subtree (a grant over it with descendants)."""
    if getattr(user, "is_superuser", False):
        return True
    return any(
        g.unit_id is None or (g.descendants and unit.path.startswith(g.unit_path))
        for g in grants_for(user)
    )


RANK_CHILDREN, RANK_SCHOOLS = "children", "schools"
# A ranking of every school below a province is long: the page shows the worst ones, the
# Excel export all of them.
PAGE_RANKING = 100


def _branches(unit: Unit, rank: str) -> list[Branch]:
    """The ranked units: one level down (the bureau's own 股室 are part of it, not ranked),
    or every school below."""
    below = Unit.objects.filter(path__startswith=unit.path, is_active=True).exclude(pk=unit.pk)
    if rank == RANK_SCHOOLS:
        below = below.filter(kind=UnitKind.SCHOOL)
    else:
        below = below.filter(depth=unit.depth + 1).exclude(kind=UnitKind.SECTION)
    fields = ("pk", "path", "name", "kind", "longitude", "latitude")
    return [Branch(*row) for row in below.order_by("path").values_list(*fields)]


def dashboard(
    user: Any, unit_id: Any = None, *, sort: str = "score", rank: str = RANK_CHILDREN
) -> Dashboard:
    if unit_id in (None, ""):
        unit = default_unit(user)
        if unit is None:
            raise NotFound(_("您还没有任何单位的授权。"))
    else:
        pk = parse_id(unit_id, "unit")
        unit = Unit.objects.restrict(user).filter(pk=pk).first()
        if unit is None:
            raise NotFound()
    if rank not in (RANK_CHILDREN, RANK_SCHOOLS):
        rank = RANK_CHILDREN
    today = timezone.localdate()
    key = _cache_key(user, unit, sort, rank, today)
    if key is not None:
        board = freshness.read(key)
        if board is not None:
            return board
    board = _build(user, unit, sort, rank, today)
    if key is not None:
        freshness.keep(key, board, settings.XIAOAN_PAGE_CACHE_SECONDS)
    return board


def _cache_key(user: Any, unit: Unit, sort: str, rank: str, today: Any) -> str | None:
    """The built dashboard is kept until a write in the unit's subtree or at a unit above it
    (xiaoan.core.freshness), for people who may see the same: a district's is read many
    times a day and changes far less often. None: build it every time."""
    version = freshness.version(unit.path)
    if version is None:
        return None
    parts = (unit.pk, sort[:60], rank, today, get_language(), freshness.grants_key(user), version)
    return "dashboard:" + hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def _build(user: Any, unit: Unit, sort: str, rank: str, today: Any) -> Dashboard:
    subtree = _subtree(user, unit)
    branches = _branches(unit, rank) if subtree else []
    scope = Scope(user=user, unit=unit, subtree=subtree, today=today, branches=tuple(branches))
    sections = sections_for(scope)
    board = Dashboard(unit=unit, subtree=subtree, sections=sections, sort=sort, rank=rank)
    if subtree:
        _rank(board, branches)
    return board


class RankRow(dict):
    """A ranked unit: "unit", "values" (column key → value), "score", "worst", and "cells"
    ((value, column) in column order), made when first read: a page shows a hundred of a
    district's five hundred rows."""

    def __init__(self, order: list[tuple[str, Column]], **fields: Any) -> None:
        super().__init__(**fields)
        self._order = order

    def __missing__(self, key: str) -> Any:
        if key != "cells":
            raise KeyError(key)
        values = self["values"]
        self["cells"] = cells = [(values[k], column) for k, column in self._order]
        return cells


def _rank(board: Dashboard, branches: list[Branch]) -> None:
    """Each ranked unit with each section's figures and a composite score (Σ weight ×
    value; higher is worse)."""
    from xiaoan.indicators.weights import effective

    board.weights_from, weights = effective(board.unit)
    board.columns = [
        (s.key, replace(c, weight=weights.get(f"{s.key}.{c.key}", c.weight)) if weights else c)
        for s in board.sections
        for c in s.columns
    ]
    keys_in_order = [f"{key}.{c.key}" for key, c in board.columns]
    columns = [c for _key, c in board.columns]
    keys = set(keys_in_order)
    sections = board.sections_by_key
    # Hundreds of branches times a score of columns: each column's lookups made once.
    lookups = [
        (key, column, sections[section_key].branches, column.weight)
        for key, (section_key, column) in zip(keys_in_order, board.columns, strict=True)
    ]
    empty: dict[str, Any] = {}
    rows = []
    order = list(zip(keys_in_order, columns, strict=True))
    for unit in branches:
        values: dict[str, Any] = {}
        score = 0.0
        for key, column, found, weight in lookups:
            value = found.get(unit.path, empty).get(column.key)
            if value is None and not column.percent:
                value = 0
            values[key] = value
            if weight and value:
                score += weight * value
        rows.append(RankRow(order, unit=unit, values=values, score=round(score, 1)))
    if board.sort in keys:
        lowest_first = dict(zip(keys_in_order, columns, strict=True))[board.sort].percent
        sign = 1 if lowest_first else -1
        rows.sort(
            key=lambda r: (r["values"][board.sort] is None, sign * (r["values"][board.sort] or 0))
        )
    else:
        board.sort = "score"
        rows.sort(key=lambda r: -r["score"])
    # The worst three with anything against them are highlighted.
    worst = {r["unit"].pk for r in sorted(rows, key=lambda r: -r["score"])[:3] if r["score"] > 0}
    for row in rows:
        row["worst"] = row["unit"].pk in worst
    board.ranking = rows


def map_data(user: Any, unit_id: Any = None) -> dict[str, Any]:
    """The area map of the unit (its own or the nearest above) with every school below that
    has coordinates, coloured by its open majors and overdue hazards. NotFound when there is
    no map or the person does not see the whole subtree."""
    from xiaoan.orgs.maps import map_for

    board = dashboard(user, unit_id, rank=RANK_SCHOOLS)
    area = map_for(board.unit) if board.subtree else None
    if area is None:
        raise NotFound(_("本地区还没有上传区域地图。"))
    points = []
    for row in board.ranking:
        unit = row["unit"]
        if unit.longitude is None or unit.latitude is None:
            continue
        majors = row["values"].get("hazards.open_major") or 0
        overdue = row["values"].get("hazards.overdue") or 0
        points.append(
            {
                "id": unit.pk,
                "name": unit.name,
                "value": [float(unit.longitude), float(unit.latitude)],
                "open_major": majors,
                "overdue": overdue,
                "level": "major" if majors else "overdue" if overdue else "clear",
            }
        )
    return {"name": area.name, "geojson": area.geojson, "points": points}
