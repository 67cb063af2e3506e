"""Unit names as a plan writes them → existing units, for the review page.

Exact name first, then an alias, then the name with common abbreviations spelled out
("梁子湖高中" → "梁子湖高级中学"), then similarity. Collective phrases ("各中心学校",
"学校各单位", "全区中小学幼儿园") name a set of units, not one: they are reported apart so the
review page can expand them (cascade). A name that fits two units equally is unmatched,
with both as candidates.

`match_unit_names` is pure (it takes the candidate units); `match_plan_units` reads them
from orgs.Unit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from .model import DraftPlan
from .text import norm

NAME, ALIAS, SIMILAR, COLLECTIVE = "name", "alias", "similar", "collective"
THRESHOLD = 0.72

_COLLECTIVE = re.compile(
    r"^(各|全区|全县|全市|全省|全镇|全校|全体|所有|有关|相关|学校各|局各|局属|局机关|市直|县直|区直)"
    r"|(各单位|各部门|各处室|各系部|各学院|各股室|各学校|各校)$"
)
_ABBREVIATIONS = [
    ("高中", "高级中学"),
    ("初中", "初级中学"),
    ("职高", "职业高级中学"),
    ("职校", "职业学校"),
    ("幼儿园", "幼儿园"),
    ("中心校", "中心学校"),
    ("实小", "实验小学"),
    ("教育局", "教育局"),
]


@dataclass(frozen=True)
class UnitRef:
    id: int
    name: str
    aliases: tuple[str, ...] = ()


@dataclass
class UnitMatch:
    written: str
    unit: UnitRef | None = None
    how: str = ""
    score: float = 0.0
    candidates: list[UnitRef] = field(default_factory=list)


@dataclass
class MatchReport:
    matched: list[UnitMatch] = field(default_factory=list)
    unmatched: list[UnitMatch] = field(default_factory=list)
    collective: list[UnitMatch] = field(default_factory=list)

    def unit_for(self, written: str) -> UnitRef | None:
        return next((m.unit for m in self.matched if m.written == written), None)


def _key(name: str) -> str:
    return re.sub(r"[\s()（）【】\[\]]", "", norm(name))


def _spelled_out(name: str) -> str:
    for short, full in _ABBREVIATIONS:
        if name.endswith(short) and not name.endswith(full):
            return name[: -len(short)] + full
    return name


def is_collective(name: str) -> bool:
    return bool(_COLLECTIVE.search(_key(name)))


def match_unit_names(names: Iterable[str], units: Iterable[UnitRef]) -> MatchReport:
    units = list(units)
    by_name: dict[str, list[UnitRef]] = {}
    by_alias: dict[str, list[UnitRef]] = {}
    for unit in units:
        by_name.setdefault(_key(unit.name), []).append(unit)
        for alias in unit.aliases:
            by_alias.setdefault(_key(alias), []).append(unit)
    report = MatchReport()
    seen: set[str] = set()
    for written in names:
        if written in seen:
            continue
        seen.add(written)
        key = _key(written)
        found = _match_one(written, key, units, by_name, by_alias)
        if found.unit is not None:
            report.matched.append(found)
        elif found.how == COLLECTIVE:
            report.collective.append(found)
        else:
            report.unmatched.append(found)
    return report


def _match_one(written, key, units, by_name, by_alias) -> UnitMatch:
    for how, index in ((NAME, by_name), (ALIAS, by_alias)):
        hits = list(dict.fromkeys(index.get(key, [])))
        if len(hits) == 1:
            return UnitMatch(written, hits[0], how, 1.0)
        if len(hits) > 1:
            return UnitMatch(written, None, "", 1.0, hits)
    if is_collective(written):
        return UnitMatch(written, None, COLLECTIVE)
    spelled = _spelled_out(key)
    scored: list[tuple[float, UnitRef]] = []
    for unit in units:
        best = 0.0
        for text in (unit.name, *unit.aliases):
            other = _key(text)
            if spelled == other:
                best = 0.99
                break
            best = max(best, SequenceMatcher(None, spelled, other).ratio())
        scored.append((best, unit))
    scored.sort(key=lambda item: -item[0])
    top = [unit for score, unit in scored[:3] if score >= THRESHOLD]
    if not top:
        return UnitMatch(written, None, "", scored[0][0] if scored else 0.0)
    if len(scored) > 1 and scored[1][0] >= THRESHOLD and scored[0][0] - scored[1][0] < 0.02:
        return UnitMatch(written, None, "", scored[0][0], top)
    return UnitMatch(written, scored[0][1], SIMILAR, round(scored[0][0], 3), top)


def plan_unit_names(plan: DraftPlan) -> list[str]:
    names: list[str] = []
    for task in plan.tasks:
        for name in (*task.lead_units, *task.responsible_units, *task.cooperating_units):
            if name not in names:
                names.append(name)
    return names


def match_plan_units(plan: DraftPlan, within=None) -> MatchReport:
    """Match every unit a draft names against the active units (below `within` if given)."""
    from xiaoan.orgs.models import Unit

    queryset = Unit.objects.filter(is_active=True)
    if within is not None:
        queryset = queryset.filter(path__startswith=within.path)
    units = [
        UnitRef(unit.id, unit.name, tuple(unit.alias_list()))
        for unit in queryset.only("id", "name", "aliases", "path")
    ]
    return match_unit_names(plan_unit_names(plan), units)
