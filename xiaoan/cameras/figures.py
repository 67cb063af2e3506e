"""技防 on the dashboard (xiaoan.reports.figures): camera points in use, those not connected
to the higher-level platform, faulty ones, schools with key places no working camera covers
(xiaoan.cameras.coverage), and the one-click alarm points not linked to the police. Per
branch, the ranking shows uncovered key places, unconnected and faulty points."""

from __future__ import annotations

from functools import partial

from django.urls import reverse
from django.utils.translation import gettext as _

from xiaoan.cameras.coverage import coverage_of, schools_within
from xiaoan.cameras.registers import ALARM_POINTS, CAMERAS
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


def _branch_of(path: str, branch_paths: set[str], step: int) -> str | None:
    for end in range(step, len(path) + 1, step):
        if path[:end] in branch_paths:
            return path[:end]
    return None


@section
def camera_section(scope: Scope) -> Section | None:
    if not allowed(scope, "cameras.view_camera"):
        return None
    from xiaoan.orgs.models import Unit

    totals = tallied(scope, CAMERAS)
    link = partial(scope.list_url, "cameras:camera_list")
    rows = coverage_of(schools_within(scope.unit, scope.subtree))
    uncovered = [r for r in rows if r.missing]

    result = Section(key="cameras", title=_("技防设施"), order=46, brief=False)
    result.figures = [
        Figure("total", _("监控点位"), totals["total"], link(), suffix=_("个")),
        Figure(
            "not_connected",
            _("未接入上级平台"),
            totals["not_connected"],
            link(platform_connected="false"),
            bad=totals["not_connected"] > 0,
            suffix=_("个"),
        ),
        Figure(
            "faulty",
            _("故障点位"),
            totals["faulty"],
            link(status="faulty"),
            bad=totals["faulty"] > 0,
            suffix=_("个"),
        ),
        Figure(
            "uncovered_schools",
            _("重点部位未全覆盖的学校"),
            len(uncovered),
            reverse("cameras:coverage"),
            bad=bool(uncovered),
            suffix=_("所"),
        ),
    ]
    if allowed(scope, "cameras.view_alarmpoint"):
        alarms = tallied(scope, ALARM_POINTS)
        alarm_link = partial(scope.list_url, "cameras:alarmpoint_list")
        result.figures += [
            Figure("alarm_total", _("一键报警点位"), alarms["total"], alarm_link(), suffix=_("个")),
            Figure(
                "alarm_not_linked",
                _("一键报警未联网公安"),
                alarms["not_linked"],
                alarm_link(police_linked="false"),
                bad=alarms["not_linked"] > 0,
                suffix=_("个"),
            ),
        ]
    if uncovered:
        result.tables.append(
            {
                "key": "uncovered",
                "title": _("重点部位未全覆盖的学校"),
                "columns": [_("学校"), _("未覆盖的重点部位")],
                "rows": [[r.school.name, "、".join(r.missing_labels)] for r in uncovered[:50]],
            }
        )
    # Shown in the ranking, not weighted into its score.
    result.columns = [
        Column("uncovered", _("未覆盖重点部位")),
        Column("not_connected", _("未接入上级平台")),
        Column("faulty", _("故障点位")),
    ]
    branches = branches_of(scope, CAMERAS, "not_connected", "faulty")
    paths = {b.path for b in scope.branches} if scope.subtree else set()
    for branch in paths:
        branches.setdefault(branch, {"not_connected": 0, "faulty": 0})
        branches[branch]["uncovered"] = 0
    for row in uncovered:
        branch = _branch_of(row.school.path, paths, Unit.steplen)
        if branch is not None:
            branches[branch]["uncovered"] += len(row.missing)
    result.branches = branches
    return result
