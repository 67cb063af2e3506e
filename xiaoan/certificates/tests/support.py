"""Shared helpers of the 持证上岗 tests."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.utils import timezone
from openpyxl import Workbook

from xiaoan.certificates import idnumbers
from xiaoan.certificates.registers import CERTIFICATES
from xiaoan.core import registers

SCHOOL_A = "梁子湖高级中学"
SCHOOL_B = "东沟镇中心小学"
ID_A = idnumbers.make("42070219800101123")  # a valid 18-digit number
ID_B = idnumbers.make("42070219920315002")


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def data(unit: Any, **fields: Any) -> dict[str, Any]:
    values = {
        "unit": unit,
        "name": "张师傅",
        "id_number": ID_A,
        "post": "welder",
        "kind": "welding",
        "code": "HG-2024-0001",
        "issuer": "鄂州市应急管理局",
        "valid_from": days(-400),
        "valid_until": days(300),
    }
    values.update(fields)
    return values


def make(actor: Any, unit: Any, **fields: Any):
    return registers.create(CERTIFICATES, actor, data(unit, **fields))


HEADER = ["所属单位", "姓名", "身份证号", "岗位", "证书类别", "证书编号", "发证机关", "有效期至"]


def sheet(rows: list[list[Any]], header: list[str] | None = None) -> bytes:
    book = Workbook()
    ws = book.active
    ws.append(header or HEADER)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
