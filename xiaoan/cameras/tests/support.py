"""Shared helpers of the 技防 tests."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.utils import timezone
from openpyxl import Workbook

from xiaoan.cameras.registers import ALARM_POINTS, CAMERAS
from xiaoan.core import registers

SCHOOL_A = "梁子湖高级中学"  # boarding
SCHOOL_B = "东沟镇中心小学"  # day school


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def camera(actor: Any, unit: Any, **fields: Any):
    values = {
        "unit": unit,
        "location": "南校门",
        "direction": "south",
        "key_area": "gate",
        "platform_connected": True,
        "police_connected": True,
        "status": "working",
    }
    values.update(fields)
    return registers.create(CAMERAS, actor, values)


def alarm(actor: Any, unit: Any, **fields: Any):
    values = {"unit": unit, "location": "门卫室", "police_linked": True, "last_tested_on": days(-3)}
    values.update(fields)
    return registers.create(ALARM_POINTS, actor, values)


CAMERA_HEADER = ["所属单位", "安装位置", "朝向", "点位名称", "重点部位", "接入上级平台", "运行状态"]


def sheet(rows: list[list[Any]], header: list[str]) -> bytes:
    book = Workbook()
    ws = book.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
