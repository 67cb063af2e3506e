"""技防 on the dashboard (xiaoan.reports.figures): camera points in use, those not connected
to the higher-level platform, faulty ones, schools with key places no working camera covers
(xiaoan.cameras.coverage), and the one-click alarm points not linked to the police. Per
branch, the ranking shows uncovered key places, unconnected and faulty points."""

from __future__ import annotations

from functools import partial

from django.urls import reverse
from django.utils.translation import gettext as _

from xiaoan.cameras.registers import ALARM_POINTS, CAMERAS
from xiaoan.cameras.tallies import KIND as COVERAGE
from xiaoan.cameras.tallies import uncovered_rows
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
def camera_section(scope: Scope) -> Section | None:
    if not allowed(scope, "cameras.view_camera"):
        return None
    totals = tallied(scope, CAMERAS)
    link = partial(scope.list_url, "cameras:camera_list")
    # Kept per school by the cameras' and schools' writes (xiaoan.cameras.tallies).
    uncovered = scope.counters(COVERAGE).get("uncovered_schools", 0)

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
            uncovered,
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
                "rows": [
                    [name, "、".join(labels)]
                    for name, labels in uncovered_rows(scope.unit, scope.subtree)
                ],
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
    ranked = scope.ranked(COVERAGE)
    for branch in paths:
        branches.setdefault(branch, {"not_connected": 0, "faulty": 0})
        branches[branch]["uncovered"] = ranked.get(branch, {}).get("uncovered", 0)
    result.branches = branches
    return result
