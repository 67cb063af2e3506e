"""The responsibility list written as Excel and Word in the official layout, read back."""

from __future__ import annotations

import io
from pathlib import Path

import docx
from docx.oxml.ns import qn
from openpyxl import load_workbook

from xiaoan.plans.exports import (
    ResponsibilityRow,
    deadline_text,
    rows_from_draft,
    write_docx,
    write_xlsx,
)
from xiaoan.plans.importer import import_plan

FIXTURES = Path(__file__).parent / "fixtures"


def district_rows() -> tuple[str, list[ResponsibilityRow]]:
    name = "district-plan-2024-2026.txt"
    draft = import_plan((FIXTURES / name).read_bytes(), name).as_json()
    return draft["plan_title"], rows_from_draft(draft)


def test_the_district_list_reads_back_from_excel():
    title, rows = district_rows()
    buffer = io.BytesIO()
    assert write_xlsx(title, rows, buffer) == 18
    sheet = load_workbook(io.BytesIO(buffer.getvalue())).active
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0][0] == title
    # No lead or cooperating units in this list: the official four columns.
    assert values[1] == ["序号", "工作任务", "完成时限", "责任单位"]
    assert len(values) == 2 + 18
    first = values[2]
    assert first[0] == "1" and first[1].startswith(
        "严格落实学校主体责任。对照《湖北省学校安全条例》"
    )
    assert first[2] == "2024年12月31日"
    assert first[3] == "安全股、梁子湖高中、各中心小学、梧桐湖教办、全区中小学幼儿园"
    assert values[-1][1].startswith("常态抓好应急演练。")
    assert sheet.auto_filter.ref == "A2:D20"


def test_the_district_list_reads_back_from_word():
    title, rows = district_rows()
    buffer = io.BytesIO()
    assert write_docx(title, rows, buffer) == 18
    document = docx.Document(io.BytesIO(buffer.getvalue()))
    assert document.paragraphs[0].text == title
    section = document.sections[0]
    assert section.page_width > section.page_height  # landscape
    (table,) = document.tables
    assert [c.text for c in table.rows[0].cells] == ["序号", "工作任务", "完成时限", "责任单位"]
    assert len(table.rows) == 19
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeats on each page
    cells = [c.text for c in table.rows[8].cells]
    assert cells[0] == "8" and cells[1].startswith("扎实开展防溺水专项治理。")
    assert cells[3] == "安全股、督导办、梁子湖高中、各中心学校、梧桐湖教办、全区中小学幼儿园"
    run = table.rows[1].cells[1].paragraphs[0].runs[0]
    assert run._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"


def test_lead_and_cooperating_columns_appear_when_the_plan_has_them():
    rows = [
        ResponsibilityRow(
            1,
            "开展消防安全检查",
            "每月一次",
            "长期坚持",
            lead_units=["保卫处"],
            responsible_units=["学校各单位"],
            cooperating_units=["后勤管理处", "国有资产与实验室管理处"],
        ),
        ResponsibilityRow(2, "组织应急演练", "", "2026年6月30日", responsible_units=["学生工作处"]),
    ]
    buffer = io.BytesIO()
    write_xlsx("某高校责任清单", rows, buffer)
    values = list(load_workbook(io.BytesIO(buffer.getvalue())).active.iter_rows(values_only=True))
    assert list(values[1]) == ["序号", "工作任务", "完成时限", "牵头单位", "责任单位", "配合单位"]
    assert list(values[2]) == [
        "1",
        "开展消防安全检查。每月一次",
        "长期坚持",
        "保卫处",
        "学校各单位",
        "后勤管理处、国有资产与实验室管理处",
    ]
    assert list(values[3])[3:] == [None, "学生工作处", None]
    buffer = io.BytesIO()
    write_docx("某高校责任清单", rows, buffer)
    table = docx.Document(io.BytesIO(buffer.getvalue())).tables[0]
    assert [c.text for c in table.rows[0].cells][3:] == ["牵头单位", "责任单位", "配合单位"]


def test_deadlines_are_written_as_lists_write_them():
    assert deadline_text(
        [
            {"date": "2026-06-30", "label": "上半年", "kind": "date"},
            {"date": "2026-12-31", "label": "下半年", "kind": "date"},
        ]
    ) == ("上半年：2026年6月30日；下半年：2026年12月31日")
    assert (
        deadline_text(
            [
                {"date": None, "label": "", "kind": "immediate"},
                {"date": None, "label": "", "kind": "ongoing"},
            ]
        )
        == "立行立改、长期坚持"
    )
    assert deadline_text([]) == ""


def test_text_that_looks_like_a_formula_stays_text():
    buffer = io.BytesIO()
    write_xlsx("清单", [ResponsibilityRow(1, "=SUM(A1:A3)", responsible_units=["安全股"])], buffer)
    sheet = load_workbook(io.BytesIO(buffer.getvalue())).active
    assert sheet["B3"].value == "=SUM(A1:A3)" and sheet["B3"].data_type == "s"
