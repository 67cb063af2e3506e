"""What an alert rule may watch in our own data: conditions the apps offer (each in
`<app>/alert_conditions.py`, `@condition(...)`), found the first time the registry is read.
A rule (xiaoan.alerts) names one by its code, sets its thresholds and severity; the scheduled
evaluation calls `find` and raises one alert per finding, once per (rule, key, period)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from xiaoan.core.registry import Registry


@dataclass(frozen=True)
class Finding:
    unit_id: int  # the unit the alert is raised at (the record's unit)
    key: str  # the thing found, stable across runs: "hazard:123", "certificate:45"
    period: str  # the rule fires once per key and period: "2026-12-06", "2026-12", "2026-S1"
    title: str  # Chinese, shown as the alert's title
    detail: str = ""
    url: str = ""  # the record's page
    place: str = ""


# find(today, thresholds, within) -> findings, where `within` is a unit tree path: only records
# of units whose path starts with it (the rule owner's subtree).
Find = Callable[[dt.date, dict[str, int], str], Iterable[Finding]]


@dataclass(frozen=True)
class Condition:
    code: str  # "hazard_overdue"
    label: Any  # gettext_lazy, shown in the rule form
    find: Find
    # Threshold name -> (label, default): "days": (_("提前天数"), 3).
    thresholds: dict[str, tuple[Any, int]] = field(default_factory=dict)
    kind: str = ""  # the alert kind it raises (defaults to the code)


CONDITIONS = Registry("alert_conditions")


def condition(code: str, label: Any, *, thresholds: dict | None = None, kind: str = ""):
    """Register a condition (in `<app>/alert_conditions.py`)."""

    def register(find: Find) -> Find:
        CONDITIONS.register(Condition(code, label, find, dict(thresholds or {}), kind or code))
        return find

    return register


def conditions() -> dict[str, Condition]:
    return {c.code: c for c in CONDITIONS}
