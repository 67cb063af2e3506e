"""校园车辆 on the dashboard (xiaoan.reports.figures): vehicles on file by class, those
blacklisted, violations this month; per branch the blacklisted vehicles and this month's
violations for the ranking (most violations first)."""

from __future__ import annotations

from functools import partial

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.reports.figures import (
    Column,
    Figure,
    Scope,
    Section,
    allowed,
    branches_of,
    by_branch,
    section,
    tallied,
)
from xiaoan.vehicles.choices import VehicleClass
from xiaoan.vehicles.models import Violation
from xiaoan.vehicles.registers import CAMPUS_VEHICLES


def month_violations(scope: Scope):
    month = (scope.today or timezone.localdate()).replace(day=1)
    return Violation.objects.filter(scope.records(), occurred_on__gte=month)


@section
def vehicle_section(scope: Scope) -> Section | None:
    if not allowed(scope, "vehicles.view_campusvehicle"):
        return None
    totals = tallied(scope, CAMPUS_VEHICLES)
    violations = month_violations(scope)
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
            violations.count(),
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
        counted = by_branch(scope, violations, "unit", violations=Count("pk"))
        for path in {*branches, *counted}:
            row = branches.setdefault(path, {"blacklisted": 0})
            row["violations"] = counted.get(path, {}).get("violations", 0)
    for row in branches.values():
        row.setdefault("violations", 0)
    result.branches = branches
    return result
