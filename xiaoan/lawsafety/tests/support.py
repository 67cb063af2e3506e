"""Shared helpers of the 法治与心理健康 tests."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.utils import timezone
from openpyxl import Workbook

from xiaoan.core import registers
from xiaoan.lawsafety import services
from xiaoan.lawsafety.registers import COUNSELLORS, LEGAL_VICE_PRINCIPALS, POLICE_ROOMS

SCHOOL_A = "梁子湖高级中学"  # 1,860 pupils: two full-time counsellors required
SCHOOL_B = "东沟镇中心小学"  # 980 pupils: one
PHONE = "13871001234"
MASKED = "138710*1234"


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def principal_data(unit: Any, **fields: Any) -> dict[str, Any]:
    values = {
        "unit": unit,
        "name": "陈志刚",
        "employer_kind": "police_station",
        "employer": "梁子派出所",
        "post": "副所长",
        "phone": PHONE,
        "appointed_on": days(-400),
        "term_until": days(600),
    }
    values.update(fields)
    return values


def make_principal(actor: Any, unit: Any, **fields: Any):
    return registers.create(LEGAL_VICE_PRINCIPALS, actor, principal_data(unit, **fields))


def activity(actor: Any, principal: Any, **fields: Any):
    values = {"held_on": days(0), "kind": "lecture", "topic": "预防校园欺凌", "audience": 300}
    values.update(fields)
    return services.add_activity(actor, principal.pk, values)


def room_data(unit: Any, **fields: Any) -> dict[str, Any]:
    values = {
        "unit": unit,
        "name": "校园警务室",
        "location": "正门东侧",
        "police_station": "梁子派出所",
        "officers": "张警官、李辅警",
        "duty_hours": "7:00-19:00",
        "phone": "0711-3201234",
        "set_up_on": days(-900),
        "staffed_arrival": True,
        "staffed_dismissal": True,
    }
    values.update(fields)
    return values


def make_room(actor: Any, unit: Any, **fields: Any):
    return registers.create(POLICE_ROOMS, actor, room_data(unit, **fields))


def counsellor_data(unit: Any, **fields: Any) -> dict[str, Any]:
    values = {
        "unit": unit,
        "name": "孙晓梅",
        "employment": "full_time",
        "qualification": "心理健康教育教师资格证（B证）",
        "code": "XL-B-0101",
        "valid_until": days(700),
        "hours_per_week": 16,
    }
    values.update(fields)
    return values


def make_counsellor(actor: Any, unit: Any, **fields: Any):
    return registers.create(COUNSELLORS, actor, counsellor_data(unit, **fields))


def sheet(header: list[str], rows: list[list[Any]]) -> bytes:
    book = Workbook()
    ws = book.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
