"""The hazard lists as an office sends them: a header block above the table (填报单位,
统计日期, 统计范围, 制表人, 审核人 blank), wrapped descriptions in rows as tall as their text,
totals below, A4 landscape with the header row on every page; read back with openpyxl and
rendered through LibreOffice."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from xiaoan.core.tests.libreoffice import render
from xiaoan.hazards import exports, services
from xiaoan.hazards.models import Hazard
from xiaoan.hazards.tests.api_support import SCHOOL_A, workbook_bytes
from xiaoan.hazards.tests.test_exports import ledger, media  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

LONG = (
    "教学楼三楼东侧疏散通道堆放大量废旧课桌椅和纸箱，占用疏散宽度约一半，"
    "应急照明灯两盏不亮，安全出口指示标志被遮挡，夜间自习时段存在严重的疏散隐患。"
) * 2


@pytest.fixture
def long_one(ledger, persona, units):  # noqa: F811
    hazard = services.report(persona("school_a_officer"), units[SCHOOL_A], description=LONG)
    Hazard.objects.filter(pk=hazard.pk).update(found_at=timezone.now() - dt.timedelta(days=5))
    return hazard


def _sheet(response):
    assert response.status_code == 200
    return load_workbook(workbook_bytes(response)).active


def test_it_writes_the_header_block_table_and_totals(api_for, long_one, units):
    today = timezone.localdate()
    response = api_for("district_officer").get(
        "/api/hazards/export/",
        {"kind": "problems", "unit": units[SCHOOL_A].pk, "found_after": "2020-01-01"},
    )
    sheet = _sheet(response)
    assert sheet["A1"].value == "隐患问题清单"
    unit_line, scope_line, sign_line = (sheet[f"A{r}"].value for r in (2, 3, 4))
    assert unit_line.startswith("填报单位：梁子湖区教育局")
    assert f"统计日期：{today.year}年{today.month}月{today.day}日" in unit_line
    assert scope_line == f"统计范围：单位（含下级）：{SCHOOL_A}；发现日期起：2020-01-01"
    assert sign_line.startswith("制表人：") and "审核人：＿＿＿" in sign_line
    assert "制表人：＿" not in sign_line  # the exporter's name is filled in
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A1:K1", "A2:K2", "A3:K3", "A4:K4"} <= merged
    assert sheet["A5"].value == "序号" and sheet["F5"].value == "隐患描述"
    data = range(6, 6 + 4)  # four hazards at School A
    descriptions = [sheet.cell(r, 6) for r in data]
    assert all(c.alignment.wrap_text and c.border.top.style == "thin" for c in descriptions)
    [long_row] = [r for r in data if sheet.cell(r, 6).value == LONG]
    [short_row] = [r for r in data if sheet.cell(r, 6).value == "围墙局部开裂"]
    assert sheet.row_dimensions[long_row].height > 3 * 14
    assert sheet.row_dimensions[short_row].height is None  # one line: the default height
    total, by_level, by_status = (sheet[f"A{r}"].value for r in (10, 11, 12))
    assert total == "合计：共 4 项"
    assert by_level == "按等级：一般隐患 1 项，重大隐患 1 项，未定级 2 项"
    assert by_status.startswith("按状态：") and "待确认 2 项" in by_status
    assert "整改中 1 项" in by_status and "已销号 1 项" in by_status
    assert sheet.max_row == 12
    assert sheet.print_area == "'问题清单'!$A$1:$K$12"
    assert sheet.print_title_rows == "$5:$5"
    assert sheet.auto_filter.ref == "A5:K9"
    setup = sheet.page_setup
    assert setup.orientation == "landscape" and setup.paperSize == 9  # A4
    assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage


def test_the_page_export_has_the_same_block_and_an_empty_list_says_so(client_for, ledger):  # noqa: F811
    client = client_for("school_a_officer")
    sheet = _sheet(client.get("/hazards/export/measures/", {"q": "没有这样的隐患"}))
    assert sheet["A2"].value.startswith("填报单位：梁子湖高级中学")
    assert sheet["A3"].value == "统计范围：搜索：没有这样的隐患"
    assert sheet["A5"].value == "序号" and sheet["A6"].value == "合计：共 0 项"
    assert sheet.print_area == "'措施清单'!$A$1:$I$6"


def test_without_a_request_the_block_is_there_to_fill_in(ledger):  # noqa: F811
    handle = io.BytesIO()
    exports.write_export(Hazard.objects.order_by("pk"), "responsibilities", handle)
    sheet = load_workbook(io.BytesIO(handle.getvalue())).active
    assert sheet["A2"].value.startswith("填报单位：＿＿＿")
    assert sheet["A3"].value == "统计范围：本人可见的全部隐患"
    assert sheet["A4"].value.startswith("制表人：＿＿＿")


def test_it_renders_through_libreoffice(api_for, long_one, persona, units, tmp_path):
    officer = persona("school_a_officer")
    for i in range(40):
        services.report(officer, units[SCHOOL_A], description=f"第{i + 1}处：{LONG[: 20 + i]}")
    api = api_for("district_officer")
    files = {
        f"{kind}.xlsx": b"".join(api.get("/api/hazards/export/", {"kind": kind}).streaming_content)
        for kind in exports.EXPORT_KINDS
    }
    for name, rendered in render(files, tmp_path).items():
        assert 2 <= rendered.pages <= 12, (name, rendered.pages)
        text = "".join(rendered.text.split())
        assert "填报单位：梁子湖区教育局" in text and "审核人" in text, name
        assert "合计：共45项" in text and "按状态" in text, name
        assert text.count("隐患描述") >= rendered.pages, name  # headers on every page
