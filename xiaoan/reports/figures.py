"""The dashboard's sections, contributed by the apps (`<app>/figures.py`, `@section`).

A section is computed for one scope — a unit and, when the person sees its whole subtree, all
units below it — and gives its headline figures and, per subordinate branch, the figures the
ranking compares. Later apps (registers, training, drills, alerts) add theirs the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from xiaoan.core.registry import Registry


@dataclass(frozen=True, slots=True)
class Branch:
    """A ranked unit as the ranking reads it: five hundred of a district's schools are not
    built as models."""

    pk: int
    path: str
    name: str
    kind: str
    longitude: Any = None
    latitude: Any = None


@dataclass(frozen=True)
class Scope:
    user: Any
    unit: Any  # orgs.Unit
    subtree: bool  # the whole subtree (else the unit alone)
    today: dt.date
    branches: tuple[Branch, ...] = ()  # the ranked units (one level down, or every school)
    # The rollups read for this scope, every kind at once (see `counters`, `ranked`).
    _read: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def branch_lengths(self) -> tuple[int, ...]:
        """Tree-path lengths of the ranked branches: one (the units one level down), or one
        per depth at which the schools below sit (ranking every school)."""
        return tuple(sorted({len(b.path) for b in self.branches}))

    @property
    def path(self) -> str:
        return self.unit.path

    def list_url(self, url_name: str, **params: Any) -> str:
        """A list page filtered to the scope's unit (and its subtree) and `params`: where a
        figure leads."""
        from django.urls import reverse
        from django.utils.http import urlencode

        return f"{reverse(url_name)}?{urlencode({'unit': self.unit.pk, **params})}"

    def records(self, field: str = "unit") -> Q:
        """Records of the scope: of the unit, or of its whole subtree — matched by unit id (a
        subquery on the unit tree), as `orgs.filtersets.within_unit` does, so the records'
        own unit indexes serve."""
        from xiaoan.orgs.models import Unit

        if not self.subtree:
            return Q(**{field: self.unit})
        return Q(**{f"{field}__in": Unit.objects.filter(path__startswith=self.path).values("pk")})

    def counters(self, kind: str) -> dict[str, int]:
        """The rollup of `kind` (xiaoan.reports.rollups) for the unit: its subtree's counters,
        or its own when the person sees the unit alone. One query for every section."""
        from xiaoan.reports.models import Rollup

        if "unit" not in self._read:
            column = "subtree" if self.subtree else "own"
            self._read["unit"] = dict(
                Rollup.objects.filter(unit=self.unit).values_list("kind", column)
            )
        return self._read["unit"].get(kind) or {}

    def ranked(self, kind: str) -> dict[str, dict[str, int]]:
        """The ranked counters of `kind` per ranked branch (tree path → counters): one
        query for every section, whatever the number of branches."""
        if not (self.subtree and self.branches):
            return {}
        if "branches" not in self._read:
            self._read["branches"] = _ranked_rows(self.branches)
        return self._read["branches"].get(kind, {})


def _ranked_rows(branches: tuple[Branch, ...]) -> dict[str, dict[str, dict]]:
    """kind → branch path → ranked counters. A district ranks hundreds of schools, several
    kinds each: read without the ORM's per-row work (a third of the dashboard's time)."""
    import json

    from django.db import connection

    from xiaoan.reports.models import Rollup

    ids = [b.pk for b in branches]
    path_of = {b.pk: b.path for b in branches}
    rows: dict[str, dict[str, dict]] = {}
    table = Rollup._meta.db_table
    if connection.vendor == "postgresql":
        # One array parameter, not five hundred; the rows come back as one JSON text decoded
        # once (thirteen thousand rows decoded one by one were a third of a district's page),
        # concatenated from the stored texts (json_agg rebuilt every value).
        sql, params = (
            "SELECT '[' || coalesce(string_agg("
            "format('[%%s,%%s,%%s]', to_json(kind), unit_id, ranked::text), ','), '') || ']'"
            f" FROM {table} WHERE unit_id = ANY(%s)",
            [ids],
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            found = json.loads(cursor.fetchone()[0])
    else:
        marks = ", ".join(["%s"] * len(ids))
        sql = f"SELECT kind, unit_id, ranked FROM {table} WHERE unit_id IN ({marks})"
        with connection.cursor() as cursor:
            cursor.execute(sql, ids)
            found = cursor.fetchall()
    for kind, unit_id, counters in found:
        if isinstance(counters, str):
            counters = json.loads(counters)
        rows.setdefault(kind, {})[path_of[unit_id]] = counters
    return rows


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: Any
    url: str = ""
    bad: bool = False  # shown in red: behind, overdue, not cleared
    suffix: str = ""  # 项, %, 所


@dataclass(frozen=True)
class Column:
    """A ranking column: `weight` × value is added to a branch's score (higher is worse).
    A percentage is better high: sorting by it puts the lowest first."""

    key: str
    label: str
    weight: float = 0.0
    percent: bool = False


@dataclass
class Section:
    key: str
    title: str
    figures: list[Figure] = field(default_factory=list)
    tables: list[dict] = field(default_factory=list)  # {"title", "columns", "rows"}
    columns: list[Column] = field(default_factory=list)
    branches: dict[str, dict[str, Any]] = field(default_factory=dict)  # branch path → values
    board: list[dict] = field(default_factory=list)  # records that need attention now
    order: int = 50  # place on the page
    brief: bool = True  # printed in the one-page brief (registers' detail sections: False)


Provider = Callable[[Scope], Section | None]
SECTIONS = Registry("figures")
section = SECTIONS.register  # an app's function giving its section of the dashboard


def sections_for(scope: Scope) -> list[Section]:
    """Every app's section that this person may see for this scope (None: not theirs)."""
    found = [s for s in (func(scope) for func in SECTIONS) if s is not None]
    return sorted(found, key=lambda s: s.order)


def rate(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def by_branch(scope: Scope, rows, unit_field: str, **aggregates) -> dict[str, dict[str, Any]]:
    """`aggregates` of `rows` per ranked branch (tree path → values): one grouped query per
    branch depth, whatever the number of branches."""
    from django.db.models.functions import Substr

    found: dict[str, dict[str, Any]] = {}
    for length in scope.branch_lengths:
        grouped = (
            rows.annotate(branch=Substr(f"{unit_field}__path", 1, length))
            .values("branch")
            .annotate(**aggregates)
            .order_by()
        )
        for row in grouped:
            found[row.pop("branch")] = row
    return found


def tallied(scope: Scope, register: Any) -> dict[str, int]:
    """A register's counters for the scope (xiaoan.core.tallies): "total" and each of its
    declared conditions, 0 where none."""
    found = scope.counters(register.tally_kind)
    names = ["total", *(register.counters(scope.today) if register.counters else {})]
    return {name: found.get(name, 0) for name in names}


def branches_of(scope: Scope, register: Any, *names: str) -> dict[str, dict[str, int]]:
    """A register's ranked counters per ranked branch (branch path → {name: n})."""
    if not scope.subtree:
        return {}
    return {
        path: {name: counters.get(name, 0) for name in names}
        for path, counters in scope.ranked(register.tally_kind).items()
    }


def allowed(scope: Scope, perm: str) -> bool:
    """The person holds `perm` over the whole scope: the unit, and its subtree when shown."""
    from xiaoan.core.scoping import grants_for

    if getattr(scope.user, "is_superuser", False):
        return True
    for grant in grants_for(scope.user):
        if perm not in grant.permissions:
            continue
        if grant.unit_id is None:
            return True
        if grant.unit_id == scope.unit.pk and (grant.descendants or not scope.subtree):
            return True
        if grant.descendants and scope.path.startswith(grant.unit_path):
            return True
    return False
