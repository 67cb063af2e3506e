"""The indicators' tally for the dashboard's rollup (xiaoan.reports.rollups): per school and
for this year, each indicator that applies there (`n`), whether the school has a value
(`c`), the value in hundredths (`s`) and whether it meets the target that applies at the
school (`m`) — keys "i:<year>:<indicator id>:<n|c|s|m>" (the id, not the code: shorter, as
a district reads five hundred rows of them, and never changed). Summed up the tree they give
every authority's value without reading its schools: a share of schools meeting their
target is m/n, a mean s/c, a sum s (`values.from_counters`). The lowest value (`min`) does
not add up and is worked out from the schools as before.

Values come from the providers (registers: buildings, places, fire assets, certificates,
teams) and accepted reports, targets from the authorities: their write paths touch the
schools they change (`touch`). Values that turn with the day (a certificate or a detector
past its date) are as of the school's last count, recounted nightly with the other kinds.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable

from xiaoan.reports import rollups
from xiaoan.reports.rollups import tally

KIND = "indicators"
PREFIX = "i:"


def key(year: int, indicator_id: int, part: str) -> str:
    return f"{PREFIX}{year}:{indicator_id}:{part}"


def keys(year: int, indicator_id: int) -> tuple[str, str, str, str]:
    """The names of one indicator's counters: applies, counted, sum, met."""
    return tuple(key(year, indicator_id, part) for part in "ncsm")  # type: ignore[return-value]


def _reads() -> set[str]:
    from xiaoan.indicators.providers import sources

    return {"orgs.unit", "indicators.indicatorvalue", *sources()}


BEHIND = "b"


def behind_key(owner_id: int | None) -> str:
    """The ranked counter of indicators behind their targets, by the indicator's owner
    ("b" the national ones): a viewer adds up the owners whose indicators apply to it."""
    return BEHIND if owner_id is None else f"{BEHIND}:{owner_id}"


def _ranker(today: dt.date):
    """A unit's ranked counters: how many of the indicators that apply there are behind the
    target that applies there, from its subtree counters (the `min` ones, which do not add
    up, only at a school). Neither depends on who looks, so a district's ranking reads one
    small counter per school instead of every indicator's counters."""
    from xiaoan.indicators.choices import Rollup
    from xiaoan.indicators.models import Indicator
    from xiaoan.indicators.values import BEHIND as LATE
    from xiaoan.indicators.values import TargetBook, counted_value, standing
    from xiaoan.orgs.choices import UnitKind

    year = today.year
    indicators = list(Indicator.objects.filter(is_active=True).select_related("owner"))
    book = TargetBook.load([i.pk for i in indicators], year)
    plan = [
        (i, keys(year, i.pk), i.owner.path if i.owner_id else "", behind_key(i.owner_id))
        for i in indicators
    ]

    def ranked(path: str, kind: str, subtree: dict) -> dict:
        out: Counter = Counter()
        for indicator, names, owner_path, name in plan:
            if not path.startswith(owner_path):
                continue
            if indicator.rollup == Rollup.MIN and kind != UnitKind.SCHOOL:
                continue
            value, _n, _c = counted_value(indicator, kind, subtree, names)
            if standing(indicator, value, book.target(indicator.pk, path)) in LATE:
                out[name] += 1
        return dict(out)

    return ranked


@tally(KIND, rank=_ranker, reads=_reads, at_school=True)
def count(unit_ids: list[int] | None, today: dt.date, apps) -> dict[int, Counter]:
    # The providers read the registers' current models: the figures are as the code now
    # computes them (a migration's rebuild runs at the release that added it).
    from xiaoan.indicators.models import Indicator
    from xiaoan.indicators.values import School, TargetBook, applies, school_values
    from xiaoan.orgs.choices import UnitKind
    from xiaoan.orgs.models import Unit

    year = today.year
    rows = Unit.objects.filter(kind=UnitKind.SCHOOL, is_active=True).order_by("path")
    if unit_ids is not None:
        rows = rows.filter(pk__in=unit_ids)
    schools = [School(*r) for r in rows.values_list("pk", "path", "name", "kind", "boarding")]
    if not schools:
        return {}
    indicators = list(Indicator.objects.filter(is_active=True).select_related("owner"))
    book = TargetBook.load([i.pk for i in indicators], year)
    values = school_values(indicators, None, schools, year)
    own: dict[int, Counter] = {}
    for school in schools:
        counters: Counter = Counter()
        for indicator in indicators:
            if not applies(indicator, school):
                continue
            code = indicator.pk
            counters[key(year, code, "n")] = 1
            value = values.get((indicator.pk, school.pk))
            if value is None:
                continue
            counters[key(year, code, "c")] = 1
            counters[key(year, code, "s")] = int((value * 100).to_integral_value())
            aim = book.target(indicator.pk, school.path)
            counters[key(year, code, "m")] = int(aim is not None and indicator.meets(value, aim))
        own[school.pk] = counters
    return own


def touch(unit_ids: Iterable[int | None]) -> None:
    """Recount the schools these units are or belong to (a bureau's own records count for
    no school)."""
    from xiaoan.indicators.models import IndicatorValue

    rollups.changed(IndicatorValue, unit_ids)


def touch_subtree(unit_id: int | None) -> None:
    """Recount every school under a unit (all of them for None): a target or an indicator
    of an authority changed what its schools are measured against."""
    from xiaoan.orgs.choices import UnitKind
    from xiaoan.orgs.models import Unit

    if unit_id is None:
        rollups.rebuild(KIND)
        return
    path = Unit.objects.filter(pk=unit_id).values_list("path", flat=True).first()
    if path is None:
        return
    schools = Unit.objects.filter(path__startswith=path, kind=UnitKind.SCHOOL)
    rollups.touch(KIND, schools.values_list("pk", flat=True))
    # The units whose counts did not move may still be behind, or no longer.
    rollups.rerank(KIND, path)
