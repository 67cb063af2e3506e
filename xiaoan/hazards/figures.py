"""The hazard loop on the dashboard (xiaoan.reports.figures): open hazards by level, status and
domain, the 动态清零 board of open majors with their age, overdue, closure and on-time closure
rates, 屡查屡犯 and 自查未发现, found and closed per month, and per subordinate branch the
figures the ranking compares. Read from the rollup the services keep (xiaoan.reports.rollups,
kind "hazards"): one row for the unit and one per ranked unit, never the hazards themselves,
except for the board of open majors (an indexed query for at most 20)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from xiaoan.core.choices import SafetyDomain
from xiaoan.hazards.choices import OPEN_STATUSES, HazardLevel, HazardStatus
from xiaoan.hazards.models import Hazard
from xiaoan.hazards.tallies import RANKED
from xiaoan.reports.figures import (
    Column,
    Figure,
    Scope,
    Section,
    allowed,
    rate,
    section,
)


def _ledger(scope: Scope, **params: Any) -> str:
    return scope.list_url("hazards:hazard_list", **params)


def _rates(counters: dict) -> dict:
    row = {key: counters.get(key, 0) for key in RANKED}
    return {
        **row,
        "closure_rate": rate(row["closed"], row["total"]),
        "on_time_rate": rate(row["closed_on_time"], row["closed"]),
    }


@section
def hazard_section(scope: Scope) -> Section | None:
    if not allowed(scope, "hazards.view_hazard"):
        return None
    counters = scope.counters("hazards")
    totals = _rates(counters)
    result = Section(key="hazards", title=_("隐患排查治理"), order=10)
    result.figures = [
        Figure(
            "open", _("未销号隐患"), totals["open"], _ledger(scope, open="true"), suffix=_("项")
        ),
        Figure(
            "open_major",
            _("未销号重大隐患"),
            totals["open_major"],
            _ledger(scope, open="true", level=HazardLevel.MAJOR),
            bad=totals["open_major"] > 0,
            suffix=_("项"),
        ),
        Figure(
            "overdue",
            _("逾期未整改"),
            totals["overdue"],
            _ledger(scope, overdue="true"),
            bad=totals["overdue"] > 0,
            suffix=_("项"),
        ),
        Figure(
            "supervised",
            _("挂牌督办中"),
            totals["supervised"],
            _ledger(scope, supervised="true", open="true"),
            suffix=_("项"),
        ),
        Figure("closure_rate", _("整改销号率"), totals["closure_rate"], suffix="%"),
        Figure("on_time_rate", _("按期销号率"), totals["on_time_rate"], suffix="%"),
        Figure(
            "recurring",
            _("屡查屡犯"),
            totals["recurring"],
            _ledger(scope, recurring="true"),
            suffix=_("项"),
        ),
        Figure(
            "missed",
            _("自查未发现"),
            totals["missed"],
            _ledger(scope, missed="true"),
            suffix=_("项"),
        ),
    ]
    result.tables = [_by_status(counters), _by_domain(counters), _by_month(counters, scope.today)]
    result.board = _majors(scope)
    result.columns = [
        Column("open_major", _("未销号重大隐患"), weight=10),
        Column("overdue", _("逾期未整改"), weight=3),
        Column("open", _("未销号隐患"), weight=1),
        Column("recurring", _("屡查屡犯"), weight=2),
        Column("missed", _("自查未发现"), weight=2),
        Column("closure_rate", _("整改销号率"), percent=True),
    ]
    result.branches = {path: _rates(c) for path, c in scope.ranked("hazards").items()}
    return result


def _by_status(counters: dict) -> dict:
    levels = [(HazardLevel.GENERAL, _("一般隐患")), (HazardLevel.MAJOR, _("重大隐患"))]
    table_rows = []
    for status in HazardStatus:
        cells = [counters.get(f"s:{status.value}|{level.value}", 0) for level, _label in levels]
        unrated = counters.get(f"s:{status.value}|", 0)
        table_rows.append([str(status.label), *cells, unrated, sum(cells) + unrated])
    return {
        "key": "by_status",
        "title": _("按状态和等级"),
        "columns": [_("状态"), *[label for _level, label in levels], _("未定级"), _("合计")],
        "rows": table_rows,
        "chart": {"type": "stacked", "series": [1, 2, 3]},
    }


def _by_domain(counters: dict) -> dict:
    table_rows = [
        [str(domain.label), counters[f"d:{domain.value}"]]
        for domain in SafetyDomain
        if counters.get(f"d:{domain.value}")
    ]
    return {
        "key": "by_domain",
        "title": _("未销号隐患按领域"),
        "columns": [_("领域"), _("未销号")],
        "rows": table_rows,
        "chart": {"type": "pie"},
    }


def months_back(today: dt.date, count: int = 12) -> list[dt.date]:
    first = today.replace(day=1)
    months = []
    for _i in range(count):
        months.append(first)
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return list(reversed(months))


def _by_month(counters: dict, today: dt.date) -> dict:
    months = [f"{month:%Y-%m}" for month in months_back(today)]
    return {
        "key": "by_month",
        "title": _("近12个月发现与销号"),
        "columns": [_("月份"), _("发现"), _("销号")],
        "chart": {"type": "line"},
        "rows": [[m, counters.get(f"f:{m}", 0), counters.get(f"c:{m}", 0)] for m in months],
    }


def _majors(scope: Scope) -> list[dict]:
    """动态清零: the open majors, oldest first, with their age in days (at most 20 shown).
    Matched by unit id (a subquery on the unit tree), so the hazards' indexes serve."""
    today = scope.today
    majors = (
        Hazard.objects.filter(scope.records(), status__in=OPEN_STATUSES, level=HazardLevel.MAJOR)
        .select_related("unit")
        .only("pk", "number", "description", "status", "found_at", "is_overdue", "unit__name")
        .order_by("found_at")[:20]
    )
    return [
        {
            "pk": h.pk,
            "number": h.number,
            "unit": h.unit.name,
            "description": h.description,
            "status": str(h.get_status_display()),
            "age_days": h.age_days(today),
            "overdue": h.is_overdue,
        }
        for h in majors
    ]
