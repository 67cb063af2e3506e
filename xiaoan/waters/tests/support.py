"""Shared helpers of the 重点水域 tests."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.utils import timezone
from openpyxl import Workbook

from xiaoan.core import registers
from xiaoan.waters import services
from xiaoan.waters.registers import WATERS

BUREAU = "梁子湖区教育局"
SCHOOL_A = "梁子湖高级中学"
SCHOOL_B = "东沟镇中心小学"
JULY = dt.date(2026, 7, 15)  # in the drowning-prevention season
DECEMBER = dt.date(2026, 12, 15)


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def data(unit: Any, **fields: Any) -> dict[str, Any]:
    values = {
        "unit": unit,
        "name": "村东池塘",
        "kind": "pond",
        "location": "某村三组东侧",
        "village": "某村",
        "contact_person": "王主任",
        "contact_phone": "13900001111",
        "has_signs": True,
        "sign_count": 2,
        "rescue_equipment": "救生圈2个",
    }
    values.update(fields)
    return values


def make(actor: Any, unit: Any, **fields: Any):
    return registers.create(WATERS, actor, data(unit, **fields))


def patrol(actor: Any, water: Any, **fields: Any):
    values = {"patrolled_on": days(0), "patroller": "网格员", "findings": "", "signs_ok": True}
    values.update(fields)
    return services.record_patrol(actor, water.pk, **values)


HEADER = [
    "所属单位", "名称", "类型", "位置", "责任村（社区）", "责任人", "联系电话", "设有警示标志",
    "警示标志数量", "关联学校",
]  # fmt: skip


def sheet(rows: list[list[Any]], header: list[str] | None = None) -> bytes:
    book = Workbook()
    ws = book.active
    ws.append(header or HEADER)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
