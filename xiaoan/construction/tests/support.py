"""Shared helpers of the 校园施工项目 tests."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.utils import timezone
from openpyxl import Workbook

from xiaoan.construction.registers import PROJECTS
from xiaoan.core import registers
from xiaoan.inspections import services as inspection_services

SCHOOL_A = "梁子湖高级中学"
SCHOOL_B = "东沟镇中心小学"


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def data(unit: Any, **fields: Any) -> dict[str, Any]:
    values = {
        "unit": unit,
        "name": "食堂改扩建",
        "location": "食堂北侧",
        "contractor": "楚建建筑公司",
        "qualification": "建筑工程施工总承包三级",
        "qualification_number": "D342071234",
        "qualification_valid_until": days(300),
        "agreement_signed": True,
        "agreement_signed_on": days(-20),
        "site_manager": "周工",
        "site_manager_phone": "13807110001",
        "starts_on": days(-10),
        "ends_on": days(60),
        "segregated": True,
    }
    values.update(fields)
    return values


def make(actor: Any, unit: Any, **fields: Any):
    return registers.create(PROJECTS, actor, data(unit, **fields))


def inspect(actor: Any, project: Any, checklist: Any, **kwargs: Any):
    return inspection_services.create_inspection(
        actor,
        kind=kwargs.pop("kind", "self_check"),
        unit=project.unit,
        checklist=checklist,
        subject=registers.subject_token(project),
        **kwargs,
    )


HEADER = [
    "所属单位",
    "项目名称",
    "施工位置",
    "施工单位",
    "现场负责人",
    "现场负责人电话",
    "开工日期",
    "计划完工日期",
    "硬质围挡隔离",
    "安全协议",
    "协议签订日期",
]


def sheet(rows: list[list[Any]], header: list[str] | None = None) -> bytes:
    book = Workbook()
    ws = book.active
    ws.append(header or HEADER)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
