"""Shared helpers of the 一台一档 tests."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.utils import timezone
from openpyxl import Workbook

from xiaoan.core import registers
from xiaoan.equipment.registers import EQUIPMENT

SCHOOL_A = "梁子湖高级中学"
SCHOOL_B = "东沟镇中心小学"

HEADER = [
    "使用单位",
    "设备名称",
    "设备类别",
    "使用登记证编号",
    "维保单位",
    "上次定期检验日期",
    "检验结论",
    "下次定期检验日期",
    "作业人员",
]


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def data(unit: Any, **fields: Any) -> dict[str, Any]:
    values = {
        "unit": unit,
        "name": "宿舍楼电梯",
        "kind": "elevator",
        "code": "梯11鄂GA0231(24)",
        "maintainer": "通达电梯维保公司",
        "last_inspected_on": days(-100),
        "conclusion": "passed",
        "next_inspection_on": days(265),
    }
    values.update(fields)
    return values


def make(actor: Any, unit: Any, **fields: Any):
    return registers.create(EQUIPMENT, actor, data(unit, **fields))


def sheet(rows: list[list[Any]], header: list[str] | None = None) -> bytes:
    book = Workbook()
    ws = book.active
    ws.append(header or HEADER)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def certificate(unit: Any, code: str, name: str = "王建国", kind: str = "special_equipment", **f):
    """An operator certificate of the unit (valid a year from now unless told)."""
    from xiaoan.certificates.models import Certificate

    values = {
        "unit": unit,
        "name": name,
        "code": code,
        "post": "boiler" if kind == "boiler" else "special_equipment",
        "kind": kind,
        "valid_until": days(365),
    }
    values.update(f)
    return Certificate.objects.create(**values)
