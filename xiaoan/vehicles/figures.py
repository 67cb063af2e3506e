"""校园车辆 on the dashboard (xiaoan.reports.figures): vehicles on file by class, those
blacklisted, violations this month; per branch the blacklisted vehicles and this month's
violations for the ranking (most violations first)."""

from __future__ import annotations

from functools import partial

from django.utils.translation import gettext as _

from xiaoan.reports.figures import (
    Column,
    Figure,
    Scope,
    Section,
    allowed,
    branches_of,
    section,
    tallied,
)
from xiaoan.vehicles.choices import VehicleClass
from xiaoan.vehicles.registers import CAMPUS_VEHICLES
from xiaoan.vehicles.tallies import KIND, month_key


@section
def vehicle_section(scope: Scope) -> Section | None:
    if not allowed(scope, "vehicles.view_campusvehicle"):
        return None
    totals = tallied(scope, CAMPUS_VEHICLES)
    # This month's violations, kept by the violation service (xiaoan.vehicles.tallies).
    month = month_key(scope.today)
    violations = scope.counters(KIND).get(month, 0)
    link = partial(scope.list_url, "campus_vehicles:campusvehicle_list")

    result = Section(key="campus_vehicles", title=_("校园车辆"), order=55, brief=False)
    result.figures = [
        Figure("total", _("在册车辆"), totals["total"], link(), suffix=_("辆")),
        *(
            Figure(
                f"class_{value}",
                str(label),
                totals[f"class_{value}"],
                link(vehicle_class=value),
                suffix=_("辆"),
            )
            for value, label in VehicleClass.choices
        ),
        Figure(
            "blacklisted",
            _("黑名单车辆"),
            totals["blacklisted"],
            link(blacklisted="true"),
            bad=totals["blacklisted"] > 0,
            suffix=_("辆"),
        ),
        Figure(
            "violations",
            _("本月违规"),
            violations,
            bad=False,
            suffix=_("次"),
        ),
    ]
    # Shown in the ranking, not weighted into its score: most violations first.
    result.columns = [
        Column("violations", _("本月违规")),
        Column("blacklisted", _("黑名单车辆")),
    ]
    branches = branches_of(scope, CAMPUS_VEHICLES, "blacklisted")
    if scope.subtree and scope.branches:
        counted = {p: c[month] for p, c in scope.ranked(KIND).items() if c.get(month)}
        for path in {*branches, *counted}:
            row = branches.setdefault(path, {"blacklisted": 0})
            row["violations"] = counted.get(path, 0)
    for row in branches.values():
        row.setdefault("violations", 0)
    result.branches = branches
    return result
