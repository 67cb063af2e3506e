"""家校交通安全责任书 on the dashboard (xiaoan.reports.figures), for the current semester:
classes reporting, pupils covered, the share returned (sum returned / sum pupils, not an
average of the classes' shares) and classes below 100%; the ranking puts the lowest share
first."""

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
    rate,
    section,
    tallied,
)
from xiaoan.traffic.models import semester_of
from xiaoan.traffic.registers import TRAFFIC_AGREEMENTS
from xiaoan.traffic.tallies import KIND, keys


@section
def traffic_section(scope: Scope) -> Section | None:
    if not allowed(scope, "traffic.view_trafficagreement"):
        return None
    semester = semester_of(scope.today)
    totals = tallied(scope, TRAFFIC_AGREEMENTS)
    # The sums are kept by the agreements' writes (xiaoan.traffic.tallies).
    pupils_key, returned_key = keys(semester)
    sums = scope.counters(KIND)
    pupils, returned = sums.get(pupils_key, 0), sums.get(returned_key, 0)
    share = rate(returned, pupils)
    link = partial(scope.list_url, "traffic_agreements:trafficagreement_list", semester=semester)

    result = Section(
        key="traffic_agreements",
        title=_("家校交通安全责任书（%(s)s）") % {"s": semester},
        order=66,
        brief=False,
    )
    result.figures = [
        Figure("classes", _("填报班级"), totals["current"], link(), suffix=_("个")),
        Figure("pupils", _("覆盖学生"), pupils, link(), suffix=_("人")),
        Figure(
            "share",
            _("责任书回收率"),
            share if share is not None else "—",
            link(),
            bad=share is not None and share < 100,
            suffix="%" if share is not None else "",
        ),
        Figure(
            "below",
            _("未全部回收的班级"),
            totals["below"],
            link(incomplete="true"),
            bad=totals["below"] > 0,
            suffix=_("个"),
        ),
    ]
    # A percentage column: sorting by it puts the lowest share first.
    result.columns = [
        Column("share", _("责任书回收率"), percent=True),
        Column("below", _("未全部回收班级")),
    ]
    branches = branches_of(scope, TRAFFIC_AGREEMENTS, "below")
    if scope.subtree and scope.branches:
        summed = {
            path: found
            for path, found in scope.ranked(KIND).items()
            if pupils_key in found or returned_key in found
        }
        for path in {*branches, *summed}:
            row = branches.setdefault(path, {"below": 0})
            found = summed.get(path, {})
            row["share"] = rate(found.get(returned_key, 0), found.get(pupils_key, 0))
    for row in branches.values():
        row.setdefault("share", None)
    result.branches = branches
    return result
