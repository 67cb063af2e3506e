"""Shared helpers of the 校园车辆 tests."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.utils import timezone
from openpyxl import Workbook

from xiaoan.core import registers
from xiaoan.vehicles.registers import CAMPUS_VEHICLES

SCHOOL_A = "梁子湖高级中学"
SCHOOL_B = "东沟镇中心小学"


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def data(unit: Any, **fields: Any) -> dict[str, Any]:
    values = {
        "unit": unit,
        "name": "鄂G A1234",
        "vehicle_class": "staff",
        "owner": "王老师",
        "phone": "13800001111",
        "allowed_gates": "东门",
        "allowed_hours": "07:00-19:00",
    }
    values.update(fields)
    return values


def make(actor: Any, unit: Any, **fields: Any):
    return registers.create(CAMPUS_VEHICLES, actor, data(unit, **fields))


HEADER = ["所属单位", "车牌号", "车辆类别", "车主/驾驶人", "联系电话", "通行有效期至"]


def sheet(rows: list[list[Any]], header: list[str] | None = None) -> bytes:
    book = Workbook()
    ws = book.active
    ws.append(header or HEADER)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
