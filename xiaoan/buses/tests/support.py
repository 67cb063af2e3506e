"""Shared helpers of the 校车 tests."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook

from xiaoan.buses.choices import CHECK_KEYS
from xiaoan.buses.registers import BUSES
from xiaoan.buses.services import record_check
from xiaoan.certificates.registers import CERTIFICATES
from xiaoan.core import registers

SCHOOL_A = "梁子湖高级中学"
SCHOOL_B = "东沟镇中心小学"


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def cert(actor: Any, unit: Any, name: str, code: str, *, escort: bool = False, **fields: Any):
    """A driving licence (or an escort's certificate) in the certificates register."""
    values = {
        "unit": unit,
        "name": name,
        "code": code,
        "post": "bus_escort" if escort else "driver",
        "kind": "bus_escort" if escort else "driving",
        "valid_from": days(-400),
        "valid_until": days(400),
    }
    values.update(fields)
    return registers.create(CERTIFICATES, actor, values)


def data(unit: Any, **fields: Any) -> dict[str, Any]:
    values = {
        "unit": unit,
        "plate": "鄂G12345",
        "seats": 35,
        "operator": "鄂州市安达校车服务有限公司",
        "route": "学校—东沟村",
        "stops": "东沟村委会\n新屋村口",
        "permit_number": "鄂G校许2025-001",
        "permit_valid_until": days(300),
        "has_monitoring": True,
        "has_face_recognition": True,
        "has_infrared": False,
    }
    values.update(fields)
    return values


def make(actor: Any, unit: Any, **fields: Any):
    return registers.create(BUSES, actor, data(unit, **fields))


def all_ok(**failed: str) -> dict[str, str]:
    """Every checklist item 正常, but those named 异常 (brakes="failed")."""
    return {key: failed.get(key, "ok") for key in CHECK_KEYS}


def check(actor: Any, bus: Any, note: str = "", key: str | None = None, **failed: str):
    return record_check(actor, bus.pk, all_ok(**failed), note=note, idempotency_key=key)


def jpeg() -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "#2e86c1").save(buffer, "JPEG")
    return SimpleUploadedFile("p.jpg", buffer.getvalue(), content_type="image/jpeg")


HEADER = ["所属单位", "车牌号", "核载人数", "运营单位", "许可有效期", "视频监控", "人脸识别",
          "红外生命探测", "驾驶员", "随车照管员"]  # fmt: skip


def sheet(rows: list[list[Any]], header: list[str] | None = None) -> bytes:
    book = Workbook()
    ws = book.active
    ws.append(header or HEADER)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
