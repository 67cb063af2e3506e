"""应急预案 and 应急队伍 on the dashboard (xiaoan.reports.figures): plans on file, plans due
for revision (within the 30-day warning or past), teams on file and teams not staffed to the
rule; per branch the plans due and the teams not staffed for the ranking."""

from __future__ import annotations

from functools import partial

from django.utils.translation import gettext as _

from xiaoan.emergency.registers import PLANS, TEAMS
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


@section
def emergency_section(scope: Scope) -> Section | None:
    see_plans = allowed(scope, "emergency.view_emergencyplan")
    see_teams = allowed(scope, "emergency.view_emergencyteam")
    if not (see_plans or see_teams):
        return None
    result = Section(key="emergency", title=_("应急预案与应急队伍"), order=45, brief=False)
    result.figures, result.columns = [], []
    branches: dict = {}
    if see_plans:
        totals = tallied(scope, PLANS)
        plan_link = partial(scope.list_url, "emergency_plans:emergencyplan_list")

        result.figures += [
            Figure("plans", _("在册预案"), totals["total"], plan_link(), suffix=_("份")),
            Figure(
                "plans_due",
                _("预案待修订"),
                totals["due"],
                plan_link(due="soon"),
                bad=totals["due"] > 0,
                suffix=_("份"),
            ),
        ]
        result.columns.append(Column("plans_due", _("预案待修订"), weight=1))
        for path, row in branches_of(scope, PLANS, "due").items():
            branches.setdefault(path, {})["plans_due"] = row["due"]
    if see_teams:
        totals = tallied(scope, TEAMS)
        team_link = partial(scope.list_url, "emergency_teams:emergencyteam_list")

        result.figures += [
            Figure("teams", _("应急队伍"), totals["total"], team_link(), suffix=_("支")),
            Figure(
                "teams_short",
                _("队伍未配齐"),
                totals["short"],
                team_link(is_staffed="false"),
                bad=totals["short"] > 0,
                suffix=_("支"),
            ),
            Figure(
                "teams_undrilled",
                _("本学期未参加演练"),
                totals["undrilled"],
                team_link(),
                bad=totals["undrilled"] > 0,
                suffix=_("支"),
            ),
        ]
        result.columns.append(Column("teams_short", _("队伍未配齐"), weight=2))
        result.columns.append(Column("teams_undrilled", _("队伍未演练"), weight=1))
        for path, row in branches_of(scope, TEAMS, "short", "undrilled").items():
            branch = branches.setdefault(path, {})
            branch["teams_short"] = row["short"]
            branch["teams_undrilled"] = row["undrilled"]
    if scope.subtree:
        result.branches = branches
    return result
