"""The printed inspection record: a real PDF whose text carries the unit, the items, the
results and the signature lines, set in the CJK font embedded in the file; drafts marked
草稿; a clear Chinese error when the font is missing; nothing fetched from the network.
The font itself: test_pdf_font.py."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xiaoan.core import pdf
from xiaoan.inspections import printing, services
from xiaoan.inspections.models import Inspection
from xiaoan.inspections.tests.print_support import (
    UNIT_A,
    big_checklist,
    embedded_fonts,
    filled,
    other,
    pdf_of,
    pdf_text,
    record,
)
from xiaoan.inspections.tests.support import checklist, make, photos_for, results

pytestmark = pytest.mark.django_db
__all__ = ["checklist", "other", "record"]


def _flat(text: str) -> str:
    # Extracted text may break lines inside table cells.
    return "".join(text.split())


def test_it_prints_the_record_as_a_pdf_with_chinese_text(client_for, record):
    response = client_for("school_a_officer").get(f"/inspections/{record.pk}/print.pdf")
    data = pdf_of(response)
    assert data.startswith(b"%PDF")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert record.number in unquote(response["Content-Disposition"])
    text = _flat(pdf_text(data))
    for expected in (
        UNIT_A,
        "2026年秋季消防安全检查",
        "灭火器配置齐全、在有效期内",
        "消防安全责任体系健全并落实",
        "每日防火巡查并记录",
        "不符合",
        "不适用",
        "重大隐患",
        "FIRE-D-01",
        "消防器材管理存在疏漏，限期整改。",
        "检查人员签字",
        "被检查单位负责人签字",
        "日期",
        "郑专家",  # the invited expert
        "校外专家",
        "提交人",
        "共3项：符合0项，不符合2项，不适用1项",
        f"检查编号：{record.number}",
        "带队领导",
        "检查组成员",
    ):
        assert _flat(expected) in text, expected
    for hazard in record.results.filter(hazard__isnull=False).select_related("hazard"):
        assert hazard.hazard.number in text
    assert "草稿" not in text


def test_it_embeds_the_cjk_font(client_for, record):
    fonts = embedded_fonts(
        pdf_of(client_for("school_a_officer").get(f"/inspections/{record.pk}/print.pdf"))
    )
    cjk = {name: kind for name, kind in fonts.items() if "Noto-Sans-SC" in name}
    assert cjk, fonts
    assert set(cjk.values()) <= {"/FontFile2", "/FontFile3"}


def test_it_marks_a_draft(persona, units, checklist, client_for):
    inspection = make(persona, units, checklist, title="草稿中的检查")
    services.save_draft(
        persona("school_a_officer"),
        inspection.pk,
        results=results(inspection, s01="pass"),
        photos=photos_for(inspection),
    )
    text = _flat(
        pdf_text(
            pdf_of(client_for("school_a_officer").get(f"/inspections/{inspection.pk}/print.pdf"))
        )
    )
    assert "草稿" in text and "未填写2项" in text and "检查人员签字" in text


def test_it_embeds_photos_from_media_root_only(record):
    context = printing.record_context(record)
    uris = [uri for row in context["rows"] for uri in row.photos]
    assert len(uris) == 1 and uris[0].startswith("file:///")
    assert context["photos_left_out"] == 0
    data = printing.render_pdf(record)
    assert b"/Subtype /Image" in data or b"/Subtype/Image" in data


def test_it_fetches_nothing_from_the_network(settings, tmp_path):
    fetcher = pdf.fetcher()
    for url in (
        "http://example.com/a.png",
        "https://example.com/a.css",
        "ftp://example.com/a.png",
        "file:///etc/passwd",
        f"file://{settings.MEDIA_ROOT}/../secret.jpg",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_it_says_in_chinese_when_the_font_is_missing(settings, client_for, api_for, record):
    settings.XIAOAN_PDF_FONT = "No Such Font 12345"
    with pytest.raises(pdf.PdfUnavailable) as error:
        printing.render_pdf(record)
    assert "缺少中文字体" in str(error.value.message)
    assert "No Such Font 12345" in str(error.value.message)
    page = client_for("school_a_officer").get(f"/inspections/{record.pk}/print.pdf")
    assert page.status_code == 503 and "缺少中文字体" in page.content.decode()
    api = api_for("school_a_officer").get(f"/api/inspections/{record.pk}/pdf/")
    assert api.status_code == 503
    assert api.json()["error"]["code"] == "pdf_unavailable"
    assert "缺少中文字体" in api.json()["error"]["message"]


def test_it_prints_with_as_many_queries_for_many_items(persona, units):
    def count(n: int) -> int:
        inspection = filled(persona, units, big_checklist(n))
        inspection = Inspection.objects.select_related(
            "unit", "organiser", "checklist__template", "submitted_by"
        ).get(pk=inspection.pk)
        with CaptureQueriesContext(connection) as queries:
            printing.render_pdf(inspection)
        return len(queries)

    assert count(3) == count(40)


def test_it_links_the_record_from_the_inspection_page(client_for, record):
    page = client_for("school_a_officer").get(f"/inspections/{record.pk}/").content.decode()
    assert f"/inspections/{record.pk}/print.pdf" in page
    assert f"/inspections/{record.pk}/results.xlsx" in page
