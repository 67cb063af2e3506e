"""Shared helpers of the 家校交通安全责任书 tests."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.utils import timezone
from openpyxl import Workbook

from xiaoan.core import registers
from xiaoan.traffic.models import semester_of
from xiaoan.traffic.registers import TRAFFIC_AGREEMENTS

SCHOOL_A = "梁子湖高级中学"
SCHOOL_B = "东沟镇中心小学"


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def current() -> str:
    return semester_of(timezone.localdate())


def data(unit: Any, **fields: Any) -> dict[str, Any]:
    values = {
        "unit": unit,
        "semester": current(),
        "grade": "高一",
        "name": "高一(1)班",
        "pupils": 50,
        "returned": 45,
        "returned_by": days(10),
    }
    values.update(fields)
    return values


def make(actor: Any, unit: Any, **fields: Any):
    return registers.create(TRAFFIC_AGREEMENTS, actor, data(unit, **fields))


HEADER = ["所属单位", "学期", "年级", "班级", "班级学生数", "已回收责任书", "回收截止日期"]


def sheet(rows: list[list[Any]], header: list[str] | None = None) -> bytes:
    book = Workbook()
    ws = book.active
    ws.append(header or HEADER)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
