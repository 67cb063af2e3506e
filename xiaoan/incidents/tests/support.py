"""Helpers of the incident tests: an incident of School A reported, classified, reviewed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from xiaoan.incidents import services

DISTRICT = "梁子湖区教育局"
SCHOOL_A = "梁子湖高级中学"
SCHOOL_B = "东沟镇中心小学"


def ago(minutes: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(minutes=minutes)


def reported(persona, units, school: str = SCHOOL_A, **fields: Any):
    who = "school_a_officer" if school == SCHOOL_A else "district_officer"
    values = {
        "unit": units[school],
        "kind": "injury",
        "severity": "general",
        "occurred_at": ago(30),
        "place": "操场东侧",
        "injured": 1,
        "summary": "体育课上一名学生摔倒骨折",
        "measures": "已送医，通知家长",
    }
    values.update(fields)
    return services.report(persona(who), **values)


def classified(persona, units, **fields: Any):
    incident = reported(persona, units, **fields)
    services.classify(persona("district_officer"), incident.pk, classification="non_liability")
    incident.refresh_from_db()
    return incident


def reviewed(persona, units, findings=None, **fields: Any):
    incident = classified(persona, units, **fields)
    services.review(
        persona("school_a_officer"),
        incident.pk,
        summary="体育课前检查场地不到位",
        findings=findings or [{"text": "跑道东侧有坑洼", "hazard": True}, {"text": "未热身"}],
    )
    incident.refresh_from_db()
    return incident


def shift(persona, units, school: str = SCHOOL_A, **fields: Any):
    from xiaoan.core import registers
    from xiaoan.incidents.registers import ROSTER

    values = {
        "unit": units[school].pk,
        "name": "李老师",
        "phone": "13800000001",
        "duty_date": timezone.localdate(),
        "starts_at": dt.time(0, 0),
        "ends_at": dt.time(0, 0),
        "leader": "张校长",
        "period": "国庆节",
    }
    values.update(fields)
    who = "school_a_officer" if school == SCHOOL_A else "district_officer"
    return registers.create(ROSTER, persona(who), values)
