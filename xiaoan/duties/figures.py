"""Recurring duties on the dashboard (xiaoan.reports.figures): this year's obligations met,
pending, awaiting review and missed, and per branch the missed ones and the rate met. Read
from the rollup the services keep (xiaoan.duties.tallies): one row for the unit and one per
ranked unit, never the obligations."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from xiaoan.duties.choices import ObligationStatus
from xiaoan.reports.figures import Column, Figure, Scope, Section, allowed, rate, section


def _keys(year: int) -> list[tuple[str, str]]:
    return [(s.value, f"y:{year}:{s.value}") for s in ObligationStatus]


def _totals(counters: dict, year: int, keys: list[tuple[str, str]] | None = None) -> dict:
    found = {status: counters.get(key, 0) for status, key in keys or _keys(year)}
    return {
        # Decided ones: a record awaiting review is neither met nor missed yet.
        "due": found[ObligationStatus.MET] + found[ObligationStatus.MISSED],
        "met": found[ObligationStatus.MET],
        "missed": found[ObligationStatus.MISSED],
        "pending": found[ObligationStatus.PENDING],
        "review": found[ObligationStatus.REVIEW],
    }


@section
def duty_section(scope: Scope) -> Section | None:
    if not allowed(scope, "duties.view_obligation"):
        return None
    year = scope.today.year
    totals = _totals(scope.counters("duties"), year)
    url = reverse("duties:obligation_list")
    result = Section(key="duties", title=_("常态化工作（本年度）"), order=30)
    result.figures = [
        Figure("met", _("已按期完成"), totals["met"], suffix=_("项")),
        Figure(
            "missed",
            _("未按期完成"),
            totals["missed"],
            f"{url}?status=missed",
            bad=totals["missed"] > 0,
            suffix=_("项"),
        ),
        Figure("pending", _("待完成"), totals["pending"], f"{url}?status=pending", suffix=_("项")),
        Figure("review", _("待审核"), totals["review"], f"{url}?status=review", suffix=_("项")),
        Figure("rate", _("按期完成率"), rate(totals["met"], totals["due"]), suffix="%"),
    ]
    result.columns = [
        Column("missed", _("常态化工作未按期"), weight=2),
        Column("rate", _("常态化工作按期率"), percent=True),
    ]
    keys = _keys(year)  # once for hundreds of branches
    for path, counters in scope.ranked("duties").items():
        row = _totals(counters, year, keys)
        result.branches[path] = {"missed": row["missed"], "rate": rate(row["met"], row["due"])}
    return result
