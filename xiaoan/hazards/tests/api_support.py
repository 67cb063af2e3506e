"""Helpers for the hazard API and export tests: photos, hazards walked to a given state
through the service layer, and the API error shape."""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from xiaoan.hazards import services
from xiaoan.hazards.choices import HazardLevel
from xiaoan.hazards.models import Hazard

SCHOOL_A = "梁子湖高级中学"
STATES = (
    "reported",
    "confirmed",
    "assigned",
    "rectifying",
    "submitted",
    "awaiting_acceptance",  # a major hazard verified, waiting for the bureau's acceptance
    "extension_pending",
    "supervised",  # assigned, then listed by the district bureau (挂牌督办)
)


def jpeg(name: str = "photo.jpg", color: str = "orange") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def renamed_pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("scan.jpg", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n", "image/jpeg")


def today() -> dt.date:
    return timezone.localdate()


def error_of(response) -> dict:
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "fields"}, body
    return body["error"]


def workbook_bytes(response) -> io.BytesIO:
    """The body of a streamed xlsx response, ready for openpyxl.load_workbook."""
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return io.BytesIO(b"".join(response.streaming_content))


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def hazard_in(
    state: str,
    persona,
    units,
    *,
    description: str = "二号宿舍楼楼道堆放杂物，阻塞疏散通道",
    level: str | None = None,
) -> Hazard:
    """A School A hazard walked through the services to `state`."""
    assert state in STATES, state
    officer, owner, head = (
        persona("school_a_officer"),
        persona("school_a_owner"),
        persona("school_a_head"),
    )
    level = level or (HazardLevel.MAJOR if state == "awaiting_acceptance" else HazardLevel.GENERAL)
    hazard = services.report(officer, units[SCHOOL_A], description=description, photos=[jpeg()])
    if state == "reported":
        return _fresh(hazard)
    services.confirm(officer, hazard.pk, level=level)
    if state == "confirmed":
        return _fresh(hazard)
    services.assign(
        officer,
        hazard.pk,
        owner_unit=units["总务处"],
        owner=owner,
        measures="清理杂物，保持通道畅通",
        deadline=today() + dt.timedelta(days=5),
        budget=500,
    )
    if state == "assigned":
        return _fresh(hazard)
    if state == "supervised":
        services.supervise(persona("district_officer"), hazard.pk, reason="区教育局挂牌督办")
        return _fresh(hazard)
    if state == "extension_pending":
        services.request_extension(
            owner, hazard.pk, new_deadline=today() + dt.timedelta(days=20), reason="需要采购"
        )
        return _fresh(hazard)
    # A major hazard starts only with its interim controls in place.
    controls = "设置警示标识，专人看守" if level == HazardLevel.MAJOR else None
    services.start(owner, hazard.pk, interim_controls=controls)
    if state == "rectifying":
        return _fresh(hazard)
    services.submit(owner, hazard.pk, note="已清理完毕", photos=[jpeg()])
    if state == "submitted":
        return _fresh(hazard)
    services.verify(head, hazard.pk, passed=True, note="验收合格")
    return _fresh(hazard)


def _fresh(hazard: Hazard) -> Hazard:
    return Hazard.objects.get(pk=hazard.pk)
