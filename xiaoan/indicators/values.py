"""What an indicator stands at for a unit and year: each school's value (its provider's, or
its accepted report), the target that applies there, and an authority's value rolled up
from its schools. A fixed number of queries however many units are shown."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.core.errors import Invalid, NotFound
from xiaoan.indicators.choices import Rollup, Standing, ValueStatus
from xiaoan.indicators.models import Indicator, IndicatorValue, Target
from xiaoan.indicators.providers import provider_for
from xiaoan.orgs.choices import UnitKind
from xiaoan.orgs.models import Unit

VIEW = "indicators.view_indicator"
BEHIND = (Standing.BEHIND, Standing.MISSING)  # shown red, counted against a unit
FIRST_YEAR = 2000
HUNDRED = Decimal(100)


def parse_year(raw: Any) -> int:
    """`?year=`: this year by default; 400 (Chinese, on the field) for anything else."""
    this_year = timezone.localdate().year
    if raw in (None, ""):
        return this_year
    try:
        year = int(raw)
    except (TypeError, ValueError):
        year = 0
    if not FIRST_YEAR <= year <= this_year + 5:
        message = _("年度无效（%(a)d–%(b)d）。") % {"a": FIRST_YEAR, "b": this_year + 5}
        raise Invalid(message, fields={"year": [message]})
    return year


def unit_for(user: Any, raw: Any, default: Unit | None = None) -> Unit:
    """The unit asked for (`?unit=`), which the person must see indicators of: 404 otherwise,
    for a malformed or huge id too. Without one: `default`, else the person's highest unit."""
    units = Unit.objects.with_permission(user, VIEW)
    if raw in (None, ""):
        if default is not None and units.filter(pk=default.pk).exists():
            return default
        unit = units.order_by("depth", "path").first()
    else:
        try:
            pk = int(raw)
        except (TypeError, ValueError):
            raise NotFound() from None
        unit = units.filter(pk=pk).first() if 0 < pk < 2**63 else None
    if unit is None:
        raise NotFound()
    return unit


class TargetBook:
    """The targets of some indicators up to a year; the one that applies at a unit is the
    latest year's, and in that year the deepest authority's on the unit's path (an
    authority overrides the one above for its subtree; a target holds until replaced)."""

    def __init__(self, rows: list[tuple[int, str | None, int, Decimal]]) -> None:
        self.by_indicator: dict[int, list[tuple[int, str, Decimal]]] = defaultdict(list)
        for indicator_id, owner_path, year, value in rows:
            self.by_indicator[indicator_id].append((year, owner_path or "", value))
        for entries in self.by_indicator.values():
            entries.sort(key=lambda e: (e[0], len(e[1])), reverse=True)

    @classmethod
    def load(cls, indicator_ids: list[int], year: int) -> TargetBook:
        rows = Target.objects.filter(indicator_id__in=indicator_ids, year__lte=year).values_list(
            "indicator_id", "owner__path", "year", "value"
        )
        return cls(list(rows))

    def target(self, indicator_id: int, path: str, *, above: bool = False) -> Decimal | None:
        """The target at the unit with tree path `path` (`above`: leaving out the unit's own,
        what its superiors ask of it)."""
        for _year, owner, value in self.by_indicator.get(indicator_id, ()):
            if path.startswith(owner) and not (above and owner == path):
                return value
        return None

    def settled_below(self, indicator_id: int, path: str) -> bool:
        """No authority below the unit at `path` set a target of its own: the target at the
        unit holds for its whole subtree (the ranking then looks it up once, not per unit)."""
        return not any(
            len(owner) > len(path) and owner.startswith(path)
            for _year, owner, _value in self.by_indicator.get(indicator_id, ())
        )


@dataclass
class Cell:
    """One indicator at one unit."""

    indicator: Indicator
    unit: Unit
    value: Decimal | None
    target: Decimal | None
    schools: int  # the schools it is made of
    counted: int  # of them with a value
    standing: str = ""

    @property
    def behind(self) -> bool:
        return self.standing in BEHIND

    @property
    def standing_label(self) -> str:
        return str(Standing(self.standing).label)


@dataclass
class Board:
    unit: Unit
    year: int
    cells: list[Cell]
    branches: list[tuple[Unit, list[Cell]]] = field(default_factory=list)
    # With `counts_only`: per unit one level down (tree path), how many indicators it is behind.
    behind_by_branch: dict[str, int] = field(default_factory=dict)

    @property
    def behind(self) -> int:
        return sum(1 for c in self.cells if c.behind)


def plain(number: Decimal | None) -> str:
    """A value as people write it: 60.00 → 60, 14.50 → 14.5, None → —."""
    if number is None:
        return "—"
    text = f"{number:.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _quantize(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def school_values(
    indicators: list[Indicator], root: Unit | None, schools: list[School], year: int
) -> dict[tuple[int, int], Decimal]:
    """(indicator id, school id) → value: the provider's when one is registered, else the
    accepted report (one query for all reported ones, one call per provider). The reports
    are those under `root`, or (None) those of the schools themselves."""
    out: dict[tuple[int, int], Decimal] = {}
    reported = []
    for indicator in indicators:
        func = provider_for(indicator.code)
        if func is None:
            reported.append(indicator.pk)
            continue
        for school_id, value in func(schools, year).items():
            if value is not None:
                out[(indicator.pk, school_id)] = (
                    value if isinstance(value, Decimal) else Decimal(str(value))
                )
    if reported:
        within = (
            {"unit_id__in": [s.pk for s in schools]}
            if root is None
            else {"unit__path__startswith": root.path}
        )
        rows = IndicatorValue.objects.filter(
            indicator_id__in=reported, year=year, status=ValueStatus.ACCEPTED, **within
        ).values_list("indicator_id", "unit_id", "value")
        out.update({(i, u): v for i, u, v in rows})
    return out


def roll_up(
    indicator: Indicator,
    unit: Unit,
    schools: list[School],
    values: dict[tuple[int, int], Decimal],
    book: TargetBook,
    year: int,
    targets: dict[int, Decimal | None] | None = None,
    valued: set[int] | None = None,
) -> Cell:
    """The unit's value from its schools' (a school's own value is its value). Called for
    every indicator at every ranked unit: only schools with a value are looked at twice, and
    none when `valued` (the indicators any school has a value of) leaves this one out."""
    if indicator.owner_id is None and not indicator.boarding_only:
        own = schools  # the national set applies to every school
    else:
        own = [s for s in schools if applies(indicator, s)]
    key = indicator.pk
    if not values or (valued is not None and key not in valued):
        found = []
    else:
        found = [values[(key, s.pk)] for s in own if (key, s.pk) in values]
    value: Decimal | None = None
    if indicator.rollup == Rollup.SHARE and unit.kind != UnitKind.SCHOOL:
        met = 0
        for school in own if found else ():
            got = values.get((key, school.pk))
            if got is None:
                continue
            aim = book.target(key, school.path)
            met += int(aim is not None and indicator.meets(got, aim))
        value = _quantize(HUNDRED * met / len(own)) if own else None
    elif found:
        if indicator.rollup == Rollup.SUM:
            value = sum(found, Decimal(0))
        elif indicator.rollup == Rollup.MIN:
            value = min(found)
        else:
            value = _quantize(sum(found, Decimal(0)) / len(found))
    if targets is not None and key in targets:
        target = targets[key]
    else:
        target = book.target(key, unit.path)
    cell = Cell(indicator, unit, value, target, len(own), len(found))
    if value is None:
        cell.standing = Standing.MISSING
    elif cell.target is None:
        cell.standing = Standing.NO_TARGET
    else:
        cell.standing = Standing.MET if indicator.meets(value, cell.target) else Standing.BEHIND
    return cell


def applies(indicator: Indicator, unit: Any) -> bool:
    if indicator.boarding_only and unit.kind == UnitKind.SCHOOL and not unit.boarding:
        return False
    return indicator.owner_id is None or unit.path.startswith(indicator.owner.path)


def applicable(unit: Unit) -> list[Indicator]:
    return list(Indicator.objects.applying_to(unit).filter(is_active=True).select_related("owner"))


@dataclass(frozen=True, slots=True)
class School:
    """What the roll-up and the providers read of a school: a province has ten thousand, and
    building model instances for them was most of its dashboard's time."""

    pk: int
    path: str
    name: str
    kind: str
    boarding: bool


def schools_under(unit: Unit) -> list[School]:
    rows = (
        Unit.objects.filter(path__startswith=unit.path, kind=UnitKind.SCHOOL, is_active=True)
        .order_by("path")
        .values_list("pk", "path", "name", "kind", "boarding")
    )
    return [School(*row) for row in rows]


def board(
    unit: Unit,
    year: int,
    *,
    indicators: list[Indicator] | None = None,
    branches: bool = False,
    user: Any = None,
    counts_only: bool = False,
) -> Board:
    """Every indicator that applies at `unit` for `year`; with `branches`, also for each
    unit one level down (the bureau's own 股室 are part of it), those `user` may see —
    their cells, or with `counts_only` (the dashboard's ranking) only how many are behind."""
    if indicators is None:
        indicators = applicable(unit)
    schools = schools_under(unit)
    book = TargetBook.load([i.pk for i in indicators], year)
    values = school_values(indicators, unit, schools, year)
    cells = [roll_up(i, unit, schools, values, book, year) for i in indicators]
    result = Board(unit, year, cells)
    if branches and unit.kind != UnitKind.SCHOOL:
        children = Unit.objects.filter(
            path__startswith=unit.path, depth=unit.depth + 1, is_active=True
        ).exclude(kind=UnitKind.SECTION)
        if user is not None:
            children = children.filter(pk__in=Unit.objects.with_permission(user, VIEW).values("pk"))
        grouped: dict[str, list[School]] = defaultdict(list)
        length = len(unit.path) + Unit.steplen
        for school in schools:
            grouped[school.path[:length]].append(school)
        settled = {
            i.pk: book.target(i.pk, unit.path)
            for i in indicators
            if book.settled_below(i.pk, unit.path)
        }
        valued = {indicator_id for indicator_id, _school in values}
        if counts_only:
            rows = children.order_by("path").values_list("path", "kind")
            result.behind_by_branch = _behind_by_branch(
                indicators, rows, grouped, values, book, year, settled, valued
            )
            return result
        for child in children.order_by("path"):
            mine = grouped.get(child.path, [])
            result.branches.append(
                (
                    child,
                    [
                        roll_up(i, child, mine, values, book, year, settled, valued)
                        for i in indicators
                    ],
                )
            )
    return result


def _behind_by_branch(indicators, rows, grouped, values, book, year, settled, valued):
    """How many indicators each branch is behind. An indicator no school has a value of, with
    one target for the whole subtree, stands the same at every branch of a kind (a school or
    not) where it applies to some school, and at every one where it applies to none: worked
    out once for each case, not once per branch."""
    seen: dict[tuple[int, bool, bool], bool] = {}
    out: dict[str, int] = {}
    for path, kind in rows:
        mine = grouped.get(path, [])
        branch = School(0, path, "", kind, False)  # all roll_up reads of it; no model
        school = kind == UnitKind.SCHOOL
        behind = 0
        for indicator in indicators:
            key = indicator.pk
            if key in valued or key not in settled:
                behind += roll_up(
                    indicator, branch, mine, values, book, year, settled, valued
                ).behind
                continue
            national = indicator.owner_id is None and not indicator.boarding_only
            relevant = bool(mine) if national else any(applies(indicator, s) for s in mine)
            case = (key, relevant, school)
            if case not in seen:
                seen[case] = roll_up(
                    indicator, branch, mine if relevant else [], values, book, year, settled, valued
                ).behind
            behind += seen[case]
        out[path] = behind
    return out


def counted_value(
    indicator: Indicator, kind: str, counters: dict[str, int], keys: tuple[str, str, str, str]
) -> tuple[Decimal | None, int, int]:
    """(value, schools it applies to, schools with a value) of one indicator at a unit of
    `kind` from its rollup counters; `keys` are the counters' names (`tallies.keys`). A
    school's value is its own; an authority's the share of its schools meeting their
    target, the mean or the sum (`min` does not add up: None here)."""
    applying = counters.get(keys[0], 0)
    counted = counters.get(keys[1], 0)
    if kind == UnitKind.SCHOOL:
        return (Decimal(counters.get(keys[2], 0)) / HUNDRED if counted else None), applying, counted
    if indicator.rollup == Rollup.SHARE:
        if not applying:
            return None, applying, counted
        return _quantize(HUNDRED * counters.get(keys[3], 0) / applying), applying, counted
    if indicator.rollup == Rollup.MIN or not counted:
        return None, applying, counted
    total = Decimal(counters.get(keys[2], 0)) / HUNDRED
    return (
        (total if indicator.rollup == Rollup.SUM else _quantize(total / counted)),
        applying,
        counted,
    )


def standing(indicator: Indicator, value: Decimal | None, target: Decimal | None) -> str:
    if value is None:
        return Standing.MISSING
    if target is None:
        return Standing.NO_TARGET
    return Standing.MET if indicator.meets(value, target) else Standing.BEHIND


def from_counters(
    indicators: list[Indicator],
    unit: Any,
    counters: dict[str, int],
    book: TargetBook,
    year: int,
    lowest: dict[int, Decimal | None] | None = None,
) -> list[Cell]:
    """The unit's cells from its rollup counters (xiaoan.indicators.tallies): what
    `roll_up` works out from the schools, without reading them. `lowest` gives the `min`
    indicators' values, which do not add up."""
    from xiaoan.indicators.tallies import keys

    cells = []
    for indicator in indicators:
        value, applying, counted = counted_value(
            indicator, unit.kind, counters, keys(year, indicator.pk)
        )
        if indicator.rollup == Rollup.MIN and unit.kind != UnitKind.SCHOOL:
            value = (lowest or {}).get(indicator.pk)
        cell = Cell(indicator, unit, value, book.target(indicator.pk, unit.path), applying, counted)
        cell.standing = standing(indicator, value, cell.target)
        cells.append(cell)
    return cells


def this_year() -> int:
    return timezone.localdate().year


def today() -> dt.date:
    return timezone.localdate()
