"""Helpers for the inspection tests: small JPEGs, a small checklist, inspections created and
walked through the services.

The small checklist (code TEST-SMALL, built in) has three items:
- TEST-SMALL-01 须拍照 (photo required), no criterion;
- TEST-SMALL-02 with the direct criterion FIRE-D-01 (failing it is 重大);
- TEST-SMALL-03 plain.
"""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from xiaoan.inspections import checklists, services
from xiaoan.inspections.choices import InspectionKind
from xiaoan.inspections.models import ChecklistTemplate, Inspection

SCHOOL_A = "梁子湖高级中学"
SCHOOL_B = "东沟镇中心小学"
PHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
)

ROWS = [
    ("TEST-SMALL-01", "消防设施", "灭火器配置齐全、在有效期内", "现场查看并拍照", True, ""),
    ("TEST-SMALL-02", "消防管理", "消防安全责任体系健全并落实", "查阅责任书", False, "FIRE-D-01"),
    ("TEST-SMALL-03", "消防管理", "每日防火巡查并记录", "查阅巡查记录", False, ""),
]


def jpeg(name: str = "photo.jpg", colour: str = "orange") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def checklist(db) -> ChecklistTemplate:
    template = ChecklistTemplate.objects.create(
        code="TEST-SMALL", name="小检查表", domain="fire", description="测试用"
    )
    checklists.write_version(template, ROWS, actor=None)
    return template


def items_of(inspection: Inspection) -> dict[str, int]:
    """Item code → item id in the inspection's version."""
    return {i.code: i.pk for i in inspection.checklist.items.all()}


def make(
    persona,
    units,
    checklist,
    *,
    who: str = "school_a_officer",
    unit: str = SCHOOL_A,
    kind: str = InspectionKind.SELF_CHECK,
    **kwargs,
) -> Inspection:
    return services.create_inspection(
        persona(who), kind=kind, unit=units[unit], checklist=checklist, **kwargs
    )


def results(inspection: Inspection, **values: str) -> list[dict]:
    """results(insp, s01="pass", s02="fail") → service input by item code suffix."""
    ids = items_of(inspection)
    return [
        {"item": ids[f"TEST-SMALL-{key[1:]}"], "result": value, "note": f"{key} 说明"}
        for key, value in values.items()
    ]


def photos_for(inspection: Inspection, code: str = "TEST-SMALL-01") -> dict[int, list]:
    return {items_of(inspection)[code]: [jpeg()]}


def done(persona, inspection, who="school_a_officer", *, s01="pass", s02="pass", s03="pass"):
    """Fill every item and submit."""
    return services.submit(
        persona(who),
        inspection.pk,
        results=results(inspection, s01=s01, s02=s02, s03=s03),
        photos=photos_for(inspection),
    )


def this_month() -> str:
    return f"{timezone.localdate():%Y-%m}"
