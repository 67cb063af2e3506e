"""Shared helpers of the emergency registers' tests."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.utils import timezone
from openpyxl import Workbook

from xiaoan.core import registers
from xiaoan.emergency.registers import PLANS, TEAMS

SCHOOL_A = "梁子湖高级中学"
SCHOOL_B = "东沟镇中心小学"
NUMERALS = "一二三四五六七八九十"


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def plan_data(unit: Any, **fields: Any) -> dict[str, Any]:
    values = {
        "unit": unit,
        "name": "火灾事故专项应急预案",
        "code": "YA-02",
        "kind": "special",
        "topic": "fire",
        "version": "2025版",
        "approved_by": "王校长",
        "approved_on": days(-100),
    }
    values.update(fields)
    return values


def make_plan(actor: Any, unit: Any, **fields: Any):
    return registers.create(PLANS, actor, plan_data(unit, **fields))


def people(n: int, leader: bool = True) -> list[dict[str, Any]]:
    out = [
        {"name": f"队员{NUMERALS[i]}", "post": "教师", "phone": f"1390000000{i}"} for i in range(n)
    ]
    if leader and out:
        out[0]["role"] = "leader"
    return out


def make_team(actor: Any, unit: Any, size: int = 5, **fields: Any):
    values = {
        "unit": unit,
        "name": "义务消防队",
        "code": "XF-01",
        "kind": "fire_team",
        "members": people(size),
    }
    values.update(fields)
    return registers.create(TEAMS, actor, values)


def sheet(header: list[str], rows: list[list[Any]]) -> bytes:
    book = Workbook()
    ws = book.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


PLAN_HEADER_ROW = ["所属单位", "预案名称", "预案编号", "预案类别", "事件类型", "版本"]
