"""Shared helpers of the 安防建设 tests."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook

from xiaoan.core import registers
from xiaoan.security import services
from xiaoan.security.registers import SECURITY_POSTURES
from xiaoan.security.rules import required_guards

SCHOOL_A = "梁子湖高级中学"  # boarding, 1860 pupils: 2 + 1 = 3 guards
SCHOOL_B = "东沟镇中心小学"  # day school, 980 pupils: 1 guard
DISTRICT = "梁子湖区教育局"
YEAR = None  # this year, see year()


def year() -> int:
    return timezone.localdate().year


def data(unit: Any, **fields: Any) -> dict[str, Any]:
    values = {
        "unit": unit,
        "year": year(),
        "closed_management": True,
        "guards": required_guards(unit),
        "alarm_networked": True,
        "video_networked": True,
        "escort_morning": True,
        "escort_noon": True,
        "escort_afternoon": True,
        "measures": ["theft", "fire"],
    }
    values.update(fields)
    return values


def pdf(name: str = "门卫台账.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n%evidence\n%%EOF\n", content_type="application/pdf")


def make(actor: Any, unit: Any, **fields: Any):
    return registers.create(SECURITY_POSTURES, actor, data(unit, **fields))


def declared(actor: Any, unit: Any, **fields: Any):
    """Made, with evidence, and submitted by `actor` (one of the school's own people)."""
    posture = make(actor, unit, **fields)
    registers.attach(SECURITY_POSTURES, actor, posture.pk, kind="evidence", upload=pdf())
    services.submit(actor, posture.pk)
    posture.refresh_from_db()
    return posture


def verified(actor: Any, verifier: Any, unit: Any, **fields: Any):
    posture = declared(actor, unit, **fields)
    services.verify(verifier, posture.pk)
    posture.refresh_from_db()
    return posture


HEADER = [
    "学校",
    "年度",
    "封闭式管理",
    "专职保安（人）",
    "一键报警与公安联网",
    "视频监控与公安联网",
    "护学岗：早上入校",
    "护学岗：中午",
    "护学岗：下午放学",
    "七防措施",
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
