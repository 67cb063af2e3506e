"""Sample alerts (`xiaoan demo`), made through the services like real ones, once (nothing when
alerts exist): the district's rainstorm warning to its schools, acknowledged and acted on by
梁子湖高级中学; a smoke detector's alert at the school repeating twice, a critical
electricity-meter alert, and a silence for the kitchen's AI camera during maintenance."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from xiaoan.accounts.models import User
from xiaoan.alerts import bulletins, services, silences
from xiaoan.alerts.choices import Disposition
from xiaoan.alerts.models import Alert
from xiaoan.orgs.models import Unit

SCHOOL = "梁子湖高级中学"
DISTRICT = "梁子湖区教育局"


@transaction.atomic
def load_alerts() -> int:
    if Alert.objects.exists():
        return 0
    people = {
        u.username: u
        for u in User.objects.filter(username__in=["school_a_officer", "district_officer"])
    }
    units = {u.name: u for u in Unit.objects.filter(name__in=[SCHOOL, DISTRICT])}
    if len(people) < 2 or len(units) < 2:
        return 0
    officer, district = people["school_a_officer"], people["district_officer"]
    now = timezone.now()
    bulletin = bulletins.post_warning(
        district,
        unit=units[DISTRICT].pk,
        kind="rainstorm",
        severity="critical",
        title="暴雨橙色预警：今明两天有大到暴雨",
        detail="暂停户外活动和校外研学；检查排水沟、低洼处和围墙；寄宿学校落实夜间值守。",
        valid_until=now + dt.timedelta(days=2),
    )
    mine = bulletin.alerts.get(unit=units[SCHOOL])
    services.acknowledge(officer, mine.pk, note="已收到，正在部署")
    services.handle(
        officer,
        mine.pk,
        disposition=Disposition.FIXED,
        note="暂停明日户外课；总务处已疏通操场排水沟；宿舍楼安排 2 人夜间值守。",
    )
    for _ in range(3):  # a detector repeating: one alert, counted
        services.raise_alert(
            unit=units[SCHOOL],
            kind="smoke",
            severity="warning",
            title="3号教学楼3层烟感报警",
            place="3号教学楼3层东侧走廊",
            labels={"device": "YG-3-07", "vendor": "消防物联网平台"},
            source_name="消防物联网平台",
        )
    services.raise_alert(
        unit=units[SCHOOL],
        kind="power",
        severity="critical",
        title="学生宿舍2号楼配电箱温度 78℃",
        place="学生宿舍2号楼一层配电间",
        labels={"meter": "DB-2-01", "temperature": "78"},
        source_name="智慧用电",
    )
    silences.create_silence(
        officer,
        unit=units[SCHOOL].pk,
        starts_at=None,
        ends_at=now + dt.timedelta(hours=6),
        reason="食堂明厨亮灶摄像头检修",
        kind="kitchen_ai",
    )
    return Alert.objects.count()
