"""Fixtures for the printed record and the exports: a submitted School A inspection the
outside expert is invited to (item 1 failed with a photo, item 2 failed on a direct
criterion so 重大, item 3 not applicable), and a School B inspection nobody else sees."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from xiaoan.inspections import checklists, services
from xiaoan.inspections.choices import InviteRole
from xiaoan.inspections.models import ChecklistTemplate, Inspection
from xiaoan.inspections.tests.support import SCHOOL_B, done, make

UNIT_A = "梁子湖高级中学"


@pytest.fixture
def record(persona, units, checklist) -> Inspection:
    inspection = make(persona, units, checklist, title="2026年秋季消防安全检查")
    services.invite(
        persona("school_a_officer"), inspection.pk, user=persona("expert"), role=InviteRole.EXPERT
    )
    inspection = done(persona, inspection, s01="fail", s02="fail", s03="na")
    Inspection.objects.filter(pk=inspection.pk).update(summary="消防器材管理存在疏漏，限期整改。")
    return Inspection.objects.get(pk=inspection.pk)


@pytest.fixture
def other(persona, units, checklist) -> Inspection:
    return make(
        persona, units, checklist, who="district_officer", unit=SCHOOL_B, title="东沟镇中心小学自查"
    )


def big_checklist(n: int) -> ChecklistTemplate:
    template = ChecklistTemplate.objects.create(
        code=f"TEST-BIG-{n}", name="大检查表", domain="fire"
    )
    rows = [
        (f"TEST-BIG-{n}-{i:03d}", f"分类{i // 10}", f"检查内容第{i}项", "", False, "")
        for i in range(1, n + 1)
    ]
    checklists.write_version(template, rows, actor=None)
    return template


def filled(persona, units, template: ChecklistTemplate, *, fails: int = 2) -> Inspection:
    """A submitted inspection of `template`: the first `fails` items failed, the rest passed."""
    inspection = make(persona, units, template)
    items = list(inspection.checklist.items.order_by("seq"))
    results = [
        {"item": item.pk, "result": "fail" if i < fails else "pass", "note": f"说明{i}"}
        for i, item in enumerate(items)
    ]
    return services.submit(persona("school_a_officer"), inspection.pk, results=results)


def pdf_of(response) -> bytes:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    return b"".join(response.streaming_content)


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def embedded_fonts(data: bytes) -> dict[str, str]:
    """Font name → the kind of embedded font file (FontFile, FontFile2 or FontFile3)."""
    found: dict[str, str] = {}
    for page in PdfReader(io.BytesIO(data)).pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.get_object().values():
            font = ref.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descendant = descendant.get_object()
                descriptor = descendant.get("/FontDescriptor")
                if descriptor is None:
                    continue
                descriptor = descriptor.get_object()
                for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                    if key in descriptor:
                        found[str(descriptor["/FontName"])] = key
    return found
