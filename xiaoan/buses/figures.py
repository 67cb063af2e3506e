"""校车 on the dashboard (xiaoan.reports.figures): buses on file, 校车使用许可 expired and due
within 30 days, buses lacking face recognition, infrared life detection or the monitoring
platform, buses without a valid driver or escort, and buses not checked before today's
trips; per branch the expired licences and the buses lacking a device for the ranking."""

from __future__ import annotations

from functools import partial

from django.utils.translation import gettext as _

from xiaoan.buses.registers import BUSES
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
def bus_section(scope: Scope) -> Section | None:
    if not allowed(scope, "buses.view_bus"):
        return None
    totals = tallied(scope, BUSES)
    link = partial(scope.list_url, "buses:bus_list")

    def count(key, label, value, url, bad=True):
        return Figure(key, label, value, url, bad=bad and value > 0, suffix=_("辆"))

    result = Section(key="buses", title=_("校车"), order=46, brief=False)
    result.figures = [
        count("total", _("在册校车"), totals["total"], link(), bad=False),
        count(
            "permit_expired",
            _("校车使用许可已过期"),
            totals["expired"],
            link(permit_expired="true"),
        ),
        count(
            "permit_soon",
            _("许可30天内到期（含过期）"),
            totals["soon"],
            link(due="soon"),
            bad=False,
        ),
        count("no_face", _("未装人脸识别"), totals["no_face"], link(has_face_recognition="false")),
        count(
            "no_infrared", _("未装红外生命探测"), totals["no_infrared"], link(has_infrared="false")
        ),
        count(
            "no_monitoring",
            _("视频监控未接入平台"),
            totals["no_monitoring"],
            link(has_monitoring="false"),
        ),
        count("no_driver", _("无有效驾驶人"), totals["no_driver"], link(no_valid_driver="true")),
        count(
            "no_escort", _("无有效随车照管员"), totals["no_escort"], link(no_valid_escort="true")
        ),
        count("unchecked", _("今日未做出车前检查"), totals["unchecked"], link(unchecked="true")),
    ]
    # Shown in the ranking, not weighted into its score (the weights are the districts').
    result.columns = [
        Column("permit_expired", _("许可过期")),
        Column("unequipped", _("安全设备未配齐")),
    ]
    result.branches = {
        path: {"permit_expired": row["expired"], "unequipped": row["unequipped"]}
        for path, row in branches_of(scope, BUSES, "expired", "unequipped").items()
    }
    return result
