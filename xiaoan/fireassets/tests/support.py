"""Shared helpers of the fire asset tests."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.utils import timezone
from openpyxl import Workbook

from xiaoan.core import registers
from xiaoan.fireassets.registers import FIRE_ASSETS
from xiaoan.fireassets.services import CheckRow, record_checks

SCHOOL_A = "梁子湖高级中学"
SCHOOL_B = "东沟镇中心小学"


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def place(unit: Any, name: str = "教学楼", kind: str = "building", parent: Any = None):
    from xiaoan.orgs.models import Place

    return Place.objects.get_or_create(
        unit=unit, parent=parent, name=name, defaults={"kind": kind}
    )[0]


def data(unit: Any, **fields: Any) -> dict[str, Any]:
    values = {
        "unit": unit,
        "kind": "extinguisher",
        "code": "MHQ-01",
        "asset_type": "dry_powder",
        "capacity": "4kg",
        "position": "一楼东侧楼梯口",
        "produced_on": days(-400),
        "expires_on": days(800),
    }
    values.update(fields)
    return values


def make(actor: Any, unit: Any, **fields: Any):
    return registers.create(FIRE_ASSETS, actor, data(unit, **fields))


def check(actor: Any, *rows: tuple, key: str | None = None, fingerprint: str = ""):
    """record_checks with rows of (asset, result[, note])."""
    return record_checks(
        actor,
        [CheckRow(asset=r[0].pk, result=r[1], note=r[2] if len(r) > 2 else "") for r in rows],
        idempotency_key=key,
        fingerprint=fingerprint,
    )


def sheet(rows: list[list[Any]], header: list[str] | None = None) -> bytes:
    book = Workbook()
    ws = book.active
    ws.append(
        header or ["所属单位", "器材类别", "器材编号", "灭火剂类型", "规格", "放置位置", "有效期"]
    )
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
