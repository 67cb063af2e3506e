from __future__ import annotations

import datetime as dt

from django.utils import timezone

from xiaoan.reportcalls import services
from xiaoan.reportcalls.choices import SECTION_KEYS

DISTRICT = "梁子湖区教育局"
SCHOOL_A = "梁子湖高级中学"
SCHOOL_B = "东沟镇中心小学"


def issue(persona, units, **overrides):
    today = timezone.localdate()
    data = {
        "unit": units[DISTRICT].pk,
        "kind": "half_year",
        "title": "关于报送2026年上半年学校安全工作总结的通知",
        "period_start": today - dt.timedelta(days=180),
        "period_end": today,
        "due_on": today + dt.timedelta(days=10),
        "instructions": "请于截止日期前报送。",
        "targets": "schools",
    }
    data.update(overrides)
    return services.issue(persona("district_officer"), **data)


def report_of(call, units, name=SCHOOL_A):
    return call.reports.get(unit=units[name])


def filled(persona, report, who="school_a_officer"):
    return services.edit(
        persona(who),
        report.pk,
        sections={key: f"{key} 的内容：本期开展了排查整治。" for key in SECTION_KEYS},
    )
