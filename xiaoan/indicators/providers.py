"""Apps that hold the data behind an indicator compute it: `@provider("code")` in
`<app>/indicators.py` (autodiscovered). A provider gets the schools and the year and answers
each school's value (missing: no data); it wins over reported values. None exist yet for the
built-in set (registers and training come later): those are reported by the schools."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils.module_loading import autodiscover_modules

Provider = Callable[[Sequence[Any], int], dict[int, Decimal | int | float | None]]
_providers: dict[str, Provider] = {}
_reads: dict[str, frozenset[str]] = {}
_discovered = False


def provider(code: str, *, reads: Sequence[str] = ()) -> Callable[[Provider], Provider]:
    """Register `func(schools, year) -> {school id: value}` as indicator `code`'s source;
    `reads` names the models ("app.model") it counts, whose writes recount the schools'
    indicators for the dashboard (xiaoan.indicators.tallies)."""

    def register(func: Provider) -> Provider:
        _providers[code] = func
        _reads[code] = frozenset(reads)
        return func

    return register


def sources() -> set[str]:
    """Every model some provider reads."""
    _discover()
    return {label for labels in _reads.values() for label in labels}


def _discover() -> None:
    global _discovered
    if not _discovered:
        autodiscover_modules("indicators")
        _discovered = True


class SchoolIndex:
    """The schools a provider answers for, made cheap to match records against at province
    scale: one condition (everything under their common ancestor, not ten thousand ORed
    prefixes) and a record's school found from its unit's tree path by one dictionary lookup
    per tree level (not a scan of the schools)."""

    def __init__(self, schools: Sequence[Any]) -> None:
        from xiaoan.orgs.models import Unit

        self.step = Unit.steplen
        self.by_path = {s.path: s.pk for s in schools}
        if schools:
            low, high = min(self.by_path), max(self.by_path)
            same = next(
                (i for i, (a, b) in enumerate(zip(low, high, strict=False)) if a != b),
                min(len(low), len(high)),
            )
            self.root = low[: same - same % self.step]
        else:
            self.root = None

    def condition(self, lookup: str = "unit__path") -> Q:
        """Records under the schools' common ancestor (none when there are no schools)."""
        if self.root is None:
            return Q(pk__in=[])
        return Q(**{f"{lookup}__startswith": self.root})

    def school_of(self, path: str) -> int | None:
        """The school whose subtree holds the unit at `path` (None: none of these)."""
        for end in range(self.step, len(path) + 1, self.step):
            pk = self.by_path.get(path[:end])
            if pk is not None:
                return pk
        return None


def unregister(code: str) -> None:
    _providers.pop(code, None)
    _reads.pop(code, None)


def provider_for(code: str) -> Provider | None:
    _discover()
    return _providers.get(code)
