"""Shared helpers of the 一楼一档 tests (the register layer proven through buildings)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.utils import timezone
from openpyxl import Workbook

from xiaoan.buildings.registers import BUILDINGS
from xiaoan.core import registers

SCHOOL_A = "梁子湖高级中学"
SCHOOL_B = "东沟镇中心小学"


def data(unit: Any, **fields: Any) -> dict[str, Any]:
    values = {
        "unit": unit,
        "name": "1号教学楼",
        "code": "JX-01",
        "use": "teaching",
        "floors_above": 5,
        "height": "19.80",
    }
    values.update(fields)
    return values


def make(actor: Any, unit: Any, **fields: Any):
    return registers.create(BUILDINGS, actor, data(unit, **fields))


def sheet(rows: list[list[Any]], header: list[str] | None = None) -> bytes:
    book = Workbook()
    ws = book.active
    ws.append(
        header
        or [
            "所属单位",
            "名称",
            "编号",
            "用途",
            "地上层数",
            "建筑高度（米）",
            "安全鉴定等级",
            "鉴定日期",
        ]
    )
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)
