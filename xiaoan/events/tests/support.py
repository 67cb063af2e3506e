"""Shared helpers of the 大型活动 tests: events made through the register services, the plan
attached, the pre-event inspection created and submitted through the inspection services
(with the small test checklist of xiaoan.inspections.tests.support)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook

from xiaoan.core import registers
from xiaoan.events.registers import EVENTS
from xiaoan.inspections import services as inspection_services
from xiaoan.inspections.choices import InspectionKind
from xiaoan.inspections.tests.support import done

SCHOOL_A = "梁子湖高级中学"
SCHOOL_B = "东沟镇中心小学"


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def data(unit: Any, **fields: Any) -> dict[str, Any]:
    values = {
        "unit": unit,
        "name": "秋季运动会",
        "kind": "sports",
        "starts_on": days(5),
        "ends_on": days(6),
        "destination": "田径场",
        "participants": 1500,
        "organiser": "王体育",
        "safety_plan": "分区就座 专人疏导",
    }
    values.update(fields)
    return values


def make(actor: Any, unit: Any, **fields: Any):
    return registers.create(EVENTS, actor, data(unit, **fields))


def pdf(name: str = "方案.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 plan", content_type="application/pdf")


def attach_plan(actor: Any, event: Any):
    return registers.attach(EVENTS, actor, event.pk, kind="plan", upload=pdf())


def precheck(actor: Any, event: Any, checklist: Any, kind: str = InspectionKind.CAMPAIGN):
    return inspection_services.create_inspection(
        actor,
        kind=kind,
        unit=event.unit,
        checklist=checklist,
        subject=registers.subject_token(event),
    )


def ready(persona: Any, event: Any, checklist: Any, *, s02: str = "pass"):
    """Plan attached, pre-event inspection submitted (s02="fail": a major hazard found)."""
    officer = persona("school_a_officer")
    attach_plan(officer, event)
    inspection = precheck(officer, event, checklist)
    return done(persona, inspection, s02=s02)


HEADER = ["所属单位", "活动名称", "活动类别", "开始日期", "结束日期", "地点", "人数", "负责人"]


def sheet(rows: list[list[Any]], header: list[str] | None = None) -> bytes:
    book = Workbook()
    ws = book.active
    ws.append(header or HEADER)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
