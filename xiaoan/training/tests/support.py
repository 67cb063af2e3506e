"""Shared helpers of the training tests."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.utils import timezone
from openpyxl import Workbook

from xiaoan.accounts.models import User
from xiaoan.core import registers
from xiaoan.training.registers import TRAININGS

SCHOOL_A = "梁子湖高级中学"
SCHOOL_B = "东沟镇中心小学"
DISTRICT = "梁子湖区教育局"


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def session_data(unit: Any, **fields: Any) -> dict[str, Any]:
    values = {
        "unit": unit,
        "name": "消防安全知识培训",
        "domain": "fire",
        "held_on": days(-1),
        "trainer": "区消防救援大队 李教官",
        "hours": 2,
        "audience_roles": ["safety_officer"],
        "audience_kinds": ["保安"],
    }
    values.update(fields)
    return values


def make_session(actor: Any, unit: Any, **fields: Any):
    return registers.create(TRAININGS, actor, session_data(unit, **fields))


def add_person(unit: Any, username: str, name: str, position: str = "") -> User:
    return User.objects.create(username=username, name=name, unit=unit, position=position)


def sheet(
    rows: list[list[Any]], header=("姓名", "单位", "工作单位", "人员类别", "证书编号")
) -> bytes:
    book = Workbook()
    ws = book.active
    ws.append(list(header))
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
