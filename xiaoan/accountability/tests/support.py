"""Helpers of the accountability tests: a 约谈 of School A by the district, drafted, issued,
with a commitment."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from xiaoan.accountability import services

DISTRICT = "梁子湖区教育局"
SCHOOL_A = "梁子湖高级中学"
SCHOOL_B = "东沟镇中心小学"


def drafted(persona, units, kind: str = "interview", **fields: Any):
    values = {
        "unit": units[DISTRICT],
        "kind": kind,
        "title": "关于约谈隐患整改不力学校的决定",
        "decided_on": timezone.localdate(),
        "basis": "隐患逾期未整改、屡查屡犯",
    }
    values.update(fields)
    return services.create(persona("district_officer"), **values)


def listed(persona, units, school: str = SCHOOL_A, **fields: Any):
    decision = drafted(persona, units, **fields)
    entry = services.add_entry(
        persona("district_officer"), decision.pk, target=units[school].pk, reason="隐患逾期"
    )
    decision.refresh_from_db()
    return decision, entry


def issued(persona, units, **fields: Any):
    decision, entry = listed(persona, units, **fields)
    services.issue(persona("district_officer"), decision.pk)
    decision.refresh_from_db()
    return decision, entry


def committed(persona, units, **fields: Any):
    decision, entry = issued(persona, units, **fields)
    commitment = services.commit(
        persona("district_officer"),
        decision.pk,
        entry=entry.pk,
        text="一个月内完成全部逾期隐患整改",
        due_on=timezone.localdate() + dt.timedelta(days=30),
    )
    decision.refresh_from_db()
    return decision, entry, commitment
