"""A sample report call (`xiaoan demo`), made through the services like real work, once
(nothing when the district has issued one already): the district bureau's half-year call
to its schools; 梁子湖高级中学 has submitted and been accepted, 东沟镇中心小学 was returned
with a reason, the others are drafting."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from xiaoan.accounts.models import User
from xiaoan.orgs.models import Unit
from xiaoan.reportcalls import services
from xiaoan.reportcalls.models import ReportCall

DISTRICT = "梁子湖区教育局"
SECTIONS = {
    "work": "本学期落实校长第一责任人制度，每月开展安全隐患排查，组织消防疏散演练两次，"
    "开展防溺水、交通安全专题教育。",
    "problems": "实验楼部分安全出口管理不到位；个别班级安全教育台账记录不完整。",
    "next_steps": "完成实验楼出口整改并复查；规范安全教育台账；暑假前开展防溺水专项排查。",
}


@transaction.atomic
def load_reportcalls() -> int:
    """Returns the number of reports made (0 when the demo call exists)."""
    district = Unit.objects.filter(name=DISTRICT).first()
    names = ["district_officer", "school_a_head"]
    people = {u.username: u for u in User.objects.filter(username__in=names)}
    officer = people.get("district_officer")
    if district is None or officer is None or ReportCall.objects.filter(unit=district).exists():
        return 0
    today = timezone.localdate()
    start = dt.date(today.year, 1, 1)
    call = services.issue(
        officer,
        unit=district.pk,
        kind="half_year",
        title=f"关于报送{today.year}年上半年学校安全工作总结的通知",
        period_start=start,
        period_end=max(start, today),
        due_on=today + dt.timedelta(days=7),
        instructions="请各校对照数据如实总结，重点写明存在问题和下一步打算，按期报送。",
        targets="schools",
    )
    reports = {r.unit.name: r for r in call.reports.select_related("unit")}
    head = people.get("school_a_head")
    first = reports.get("梁子湖高级中学")
    if head is not None and first is not None:
        services.edit(head, first.pk, sections=SECTIONS)
        services.submit(head, first.pk)
        services.accept(officer, first.pk, note="材料翔实，予以采用。")
    second = reports.get("东沟镇中心小学")
    if second is not None:
        services.edit(officer, second.pk, sections={**SECTIONS, "problems": "无。"})
        services.submit(officer, second.pk)
        services.send_back(officer, second.pk, note="存在问题写得过于简单，请结合排查数据补充。")
    return len(reports)
