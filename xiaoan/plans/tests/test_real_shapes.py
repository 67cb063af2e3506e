"""The shapes real plans take (issue 11), each written here as .docx (python-docx), .xlsx
(openpyxl), tab-separated text as Word and Excel copy it, an .html table (rowspan/colspan)
and a .pdf printed from that HTML by WeasyPrint (a text layer with ruled cells):

- cells running over several lines (two deadlines, "防溺水：…" / "防欺凌：…");
- unit names containing 与/和/及;
- rectification lists (整治项目/整治内容/突出问题/整治要求, no 工作任务 column);
- columns read by their headers: 序号 never a unit, a blank unit cell names none unless
  merged, whole-row "一、…" rows are sections;
- the plan's 文号, each task's safety domain, deadlines said in running text.
"""

from __future__ import annotations

import io

import docx
import pytest
from openpyxl import Workbook
from openpyxl.styles import Alignment

from xiaoan.plans.importer import import_plan, import_text
from xiaoan.plans.importer.domains import infer_domain
from xiaoan.plans.importer.units import known_units, split_units

FORMATS = ["docx", "xlsx", "text", "html", "pdf"]
# The formats that show merged cells (plain text cannot).
MERGING = ["docx", "xlsx", "html", "pdf"]


def _deadlines(task):
    return [(d.date.isoformat() if d.date else None, d.label, d.kind) for d in task.deadlines]


def _docx(title: str, rows: list[list[str]], *, before=(), merges=(), spans=()) -> bytes:
    """A Word document: paragraphs, then a table of `rows`. A cell text with "\n" is
    several paragraphs in that cell. `merges`: (column, first row, last row) merged
    vertically; `spans`: rows merged across the table."""
    document = docx.Document()
    for line in before:
        document.add_paragraph(line)
    document.add_paragraph(title, style="Title")
    width = max(len(r) for r in rows)
    table = document.add_table(rows=len(rows), cols=width)
    for r, row in enumerate(rows):
        if r in spans:
            continue
        for c, text in enumerate(row):
            _cell_text(table.cell(r, c), text)
    for column, first, last in merges:
        text = rows[first][column]
        merged = table.cell(first, column).merge(table.cell(last, column))
        for paragraph in merged.paragraphs[1:]:
            paragraph._element.getparent().remove(paragraph._element)
        _cell_text(merged, text)
    for r in spans:
        merged = table.cell(r, 0).merge(table.cell(r, width - 1))
        _cell_text(merged, rows[r][0])
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _cell_text(cell, text: str) -> None:
    lines = text.split("\n")
    cell.paragraphs[0].text = lines[0]
    for paragraph in cell.paragraphs[1:]:
        paragraph.text = ""
    for line in lines[1:]:
        cell.add_paragraph(line)


def _xlsx(title: str, rows: list[list[str]], *, before=(), merges=(), spans=()) -> bytes:
    """The same table as a sheet: title rows merged across, "\n" inside cells (wrapped),
    `merges` as vertical merged ranges, `spans` as rows merged across."""
    workbook = Workbook()
    sheet = workbook.active
    width = max(len(r) for r in rows)
    top = [*before, title]
    for line in top:
        sheet.append([line])
        sheet.merge_cells(
            start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=width
        )
    offset = len(top) + 1
    for r, row in enumerate(rows):
        sheet.append([text or None for text in row])
        for c, text in enumerate(row):
            if "\n" in text:
                sheet.cell(offset + r, c + 1).alignment = Alignment(wrap_text=True)
    for column, first, last in merges:
        for r in range(first + 1, last + 1):
            sheet.cell(offset + r, column + 1).value = None
        sheet.merge_cells(
            start_row=offset + first,
            start_column=column + 1,
            end_row=offset + last,
            end_column=column + 1,
        )
    for r in spans:
        sheet.merge_cells(
            start_row=offset + r, start_column=1, end_row=offset + r, end_column=width
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _text(title: str, rows: list[list[str]], *, before=(), merges=(), spans=()) -> str:
    """The table copied out of Word as plain text: tab between cells, a line per
    paragraph (a cell of two paragraphs breaks its row over two lines), merged cells
    blank below their first row, a row merged across as one line."""
    lines = [*before, title]
    covered = {(r, c) for c, first, last in merges for r in range(first + 1, last + 1)}
    for r, row in enumerate(rows):
        if r in spans:
            lines.append(row[0])
            continue
        cells = ["" if (r, c) in covered else text for c, text in enumerate(row)]
        lines.append("\t".join(cells))
    return "\n".join(lines) + "\n"


def _html(title: str, rows: list[list[str]], *, before=(), merges=(), spans=()) -> str:
    """The table as a web page: `merges` as rowspan, `spans` as a colspan over the row, a
    cell of several lines as <br>-separated lines."""
    from html import escape

    width = max(len(r) for r in rows)
    covered = {(r, c) for c, first, last in merges for r in range(first + 1, last + 1)}
    spans_down = {(first, c): last - first + 1 for c, first, last in merges}
    body = []
    for r, row in enumerate(rows):
        if r in spans:
            body.append(f'<tr><td colspan="{width}">{escape(row[0])}</td></tr>')
            continue
        cells = []
        for c, text in enumerate(row):
            if (r, c) in covered:
                continue
            down = spans_down.get((r, c))
            rowspan = f' rowspan="{down}"' if down else ""
            cells.append(f"<td{rowspan}>{'<br>'.join(escape(x) for x in text.split(chr(10)))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    paragraphs = "".join(f"<p>{escape(line)}</p>" for line in before)
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>'
        "body{font-family:'WenQuanYi Micro Hei',sans-serif;font-size:10pt}"
        "table{border-collapse:collapse;width:100%}td{border:1px solid #000;padding:3pt}"
        f"</style></head><body>{paragraphs}<h1>{escape(title)}</h1>"
        f"<table>{''.join(body)}</table></body></html>"
    )


def _pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


def _read(kind: str, title: str, rows, **shape):
    if kind == "html":
        return import_plan(_html(title, rows, **shape).encode(), "方案.html")
    if kind == "pdf":
        return import_plan(_pdf(_html(title, rows, **shape)), "方案.pdf")
    if kind == "docx":
        return import_plan(_docx(title, rows, **shape), "方案.docx")
    if kind == "xlsx":
        return import_plan(_xlsx(title, rows, **shape), "清单.xlsx")
    return import_text(_text(title, rows, **shape))


# ---------------------------------------------------------------------------------------
# Cells over several lines

MULTILINE = [
    ["序号", "工作任务", "完成时限", "责任单位", "配合单位"],
    ["1", "开展全覆盖督查。每学期一次。", "上半年 6月30日\n下半年12月31日", "督导办", "安全股"],
    [
        "2",
        "防溺水：暑期前开展专题教育；\n防欺凌：每学期开展一次排查。",
        "防溺水：2026.10\n防欺凌：2026.12",
        "安全股",
        "基教股",
    ],
    ["3", "开展应急演练。", "2026年11月", "安全股、\n各中小学", "体卫艺股"],
    ["4", "开展安全培训。", "2026年9月", "人事股", "安全股、\n后勤办"],
]


@pytest.mark.parametrize("kind", FORMATS)
def test_it_keeps_the_lines_of_a_cell_in_their_cell(kind):
    plan = _read(kind, "某区教育局2026年安全工作责任清单", MULTILINE)
    assert [t.title for t in plan.tasks] == [
        "开展全覆盖督查",
        "防溺水：暑期前开展专题教育",
        "开展应急演练",
        "开展安全培训",
    ]
    patrol, drowning, drill, training = plan.tasks
    assert _deadlines(patrol) == [
        ("2026-06-30", "上半年", "date"),
        ("2026-12-31", "下半年", "date"),
    ]
    assert (patrol.responsible_units, patrol.cooperating_units) == (["督导办"], ["安全股"])
    assert drowning.content == "防欺凌：每学期开展一次排查。"
    assert _deadlines(drowning) == [
        ("2026-10-31", "防溺水", "date"),
        ("2026-12-31", "防欺凌", "date"),
    ]
    assert (drowning.responsible_units, drowning.cooperating_units) == (["安全股"], ["基教股"])
    assert _deadlines(drill) == [("2026-11-30", "", "date")]
    assert (drill.responsible_units, drill.cooperating_units) == (
        ["安全股", "各中小学"],
        ["体卫艺股"],
    )
    # The last cell of a row running over two lines is not a section row.
    assert (training.responsible_units, training.cooperating_units) == (
        ["人事股"],
        ["安全股", "后勤办"],
    )
    assert {t.domain for t in plan.tasks} == {""}


def test_it_keeps_a_deadline_that_ends_the_row_and_runs_over_two_lines():
    text = (
        "序号\t工作任务\t责任单位\t完成时限\n"
        "1\t开展全覆盖督查。\t督导办\t上半年 6月30日\n"
        "下半年12月31日\n"
        "2\t开展应急演练。\t安全股\t2026年11月\n"
    )
    first, second = import_text(text).tasks
    assert _deadlines(first) == [
        ("2026-06-30", "上半年", "date"),
        ("2026-12-31", "下半年", "date"),
    ]
    assert (first.domain, second.domain) == ("", "")
    assert second.responsible_units == ["安全股"]


# ---------------------------------------------------------------------------------------
# Unit names with 与/和/及

CONJUNCTIONS = [
    ["序号", "工作任务", "牵头单位", "配合单位", "完成时限"],
    ["1", "实验室危化品专项检查。", "实验室与设备管理处", "国有资产与实验室管理处", "2025年6月"],
    ["2", "学生宿舍消防检查。", "保卫处和学生工作处", "后勤集团及各二级学院", "2025年9月"],
    ["3", "校园周边环境整治。", "保卫处", "文化和旅游局", "2025年10月"],
]


@pytest.mark.parametrize("kind", FORMATS)
def test_it_splits_on_a_conjunction_only_between_unit_names(kind):
    plan = _read(kind, "某大学2025年安全工作任务清单", CONJUNCTIONS)
    labs, dorms, surroundings = plan.tasks
    assert (labs.lead_units, labs.cooperating_units) == (
        ["实验室与设备管理处"],
        ["国有资产与实验室管理处"],
    )
    assert (dorms.lead_units, dorms.cooperating_units) == (
        ["保卫处", "学生工作处"],
        ["后勤集团", "各二级学院"],
    )
    assert surroundings.cooperating_units == ["文化和旅游局"]


def test_it_keeps_a_known_unit_whole_and_splits_names_that_are_units():
    assert split_units("保卫处与武装部") == ["保卫处", "武装部"]
    with known_units(["保卫处与武装部", "保卫处"]):
        assert split_units("保卫处与武装部、保卫处") == ["保卫处与武装部", "保卫处"]
    # Known parts split a whole that is not known, even when a part does not look like one.
    with known_units(["宣传统战", "组织人事"]):
        assert split_units("宣传统战和组织人事") == ["宣传统战", "组织人事"]
    assert split_units("宣传统战和组织人事") == ["宣传统战和组织人事"]
    text = "序号\t工作任务\t责任单位\n1\t开展检查。\t保卫处与武装部\n"
    assert import_text(text).tasks[0].responsible_units == ["保卫处", "武装部"]
    known = import_text(text, units=["保卫处与武装部"])
    assert known.tasks[0].responsible_units == ["保卫处与武装部"]


# ---------------------------------------------------------------------------------------
# Rectification lists

RECTIFICATION_TITLE = "附件：校园安全隐患问题清单、任务清单、责任清单"
RECTIFICATION = [
    ["序号", "整治项目", "整治内容", "突出问题", "整治要求", "责任单位", "完成时间"],
    [
        "1",
        "消防安全",
        "疏散通道",
        "学生宿舍安全出口上锁、堆放杂物",
        "立即清理，保持畅通",
        "后勤处",
        "立整立改",
    ],
    ["2", "消防安全", "消防设施", "部分灭火器过期", "全面检查更换", "保卫处", "2024年6月底前"],
    [
        "3",
        "实验室安全",
        "危化品管理",
        "台账不全，未双人双锁",
        "建立台账，落实双人双锁",
        "实验室与设备管理处",
        "长期坚持",
    ],
    [
        "4",
        "实验室安全",
        "实验室准入",
        "学生未培训即进入",
        "落实准入培训",
        "各二级学院",
        "立整立改\n长期坚持",
    ],
]


@pytest.mark.parametrize("kind", FORMATS)
def test_it_reads_each_row_of_a_rectification_list_as_a_task(kind):
    # 整治项目 merged over its rows (blank below the first in text).
    plan = _read(kind, RECTIFICATION_TITLE, RECTIFICATION, merges=[(1, 1, 2), (1, 3, 4)])
    assert plan.plan_year == 2024
    assert [(t.title, t.domain) for t in plan.tasks] == [
        ("疏散通道", "消防安全"),
        ("消防设施", "消防安全"),
        ("危化品管理", "实验室安全"),
        ("实验室准入", "实验室安全"),
    ]
    exits, extinguishers, chemicals, access = plan.tasks
    assert exits.content == "突出问题：学生宿舍安全出口上锁、堆放杂物\n整治要求：立即清理，保持畅通"
    assert _deadlines(exits) == [(None, "立整立改", "immediate")]
    assert _deadlines(extinguishers) == [("2024-06-30", "", "date")]
    assert _deadlines(chemicals) == [(None, "长期坚持", "ongoing")]
    assert _deadlines(access) == [(None, "立整立改", "immediate"), (None, "长期坚持", "ongoing")]
    assert [t.responsible_units for t in plan.tasks] == [
        ["后勤处"],
        ["保卫处"],
        ["实验室与设备管理处"],
        ["各二级学院"],
    ]
    assert [t.safety_domain for t in plan.tasks] == ["fire", "fire", "labs", "labs"]


PROBLEMS = [
    ["序号", "整治项目", "突出问题", "整治要求", "责任单位", "完成时间"],
    ["1", "校车安全", "个别校车超员", "落实点名制度，严禁超员", "各中心学校", "立整立改"],
    ["", "", "驾驶员资质未复核", "全面复核驾驶员资质", "安全股", "2025年3月"],
    ["2", "食品安全", "食堂从业人员健康证过期", "全面核查健康证", "后勤办", "长期坚持"],
]


@pytest.mark.parametrize("kind", FORMATS)
def test_it_reads_a_problem_list_without_a_content_column(kind):
    # 序号 and 整治项目 merged over the first two problems: still two tasks.
    plan = _read(kind, "2025年校园安全问题整改清单", PROBLEMS, merges=[(0, 1, 2), (1, 1, 2)])
    assert [(t.title, t.content, t.domain) for t in plan.tasks] == [
        ("个别校车超员", "落实点名制度，严禁超员", "校车安全"),
        ("驾驶员资质未复核", "全面复核驾驶员资质", "校车安全"),
        ("食堂从业人员健康证过期", "全面核查健康证", "食品安全"),
    ]
    assert [_deadlines(t) for t in plan.tasks] == [
        [(None, "立整立改", "immediate")],
        [("2025-03-31", "", "date")],
        [(None, "长期坚持", "ongoing")],
    ]
    assert [t.responsible_units for t in plan.tasks] == [["各中心学校"], ["安全股"], ["后勤办"]]
    assert [t.safety_domain for t in plan.tasks] == ["school_bus", "school_bus", "food"]


# ---------------------------------------------------------------------------------------
# Columns by their headers, sections

HEADERS = [
    ["序号", "完成时间", "工作任务", "牵头科室", "责任处室", "配合单位"],
    ["一、消防安全"],
    ["1", "2025年6月", "开展消防安全检查。每月一次。", "安全股", "后勤办", "各学校"],
    ["2", "2025年8月", "电动车充电整治。", "安全股", "", "各学校"],
    ["二、食品安全"],
    ["3", "2025年9月", "食堂食品安全检查。", "后勤办", "", ""],
    ["4", "2025年10月", "校外供餐单位核查。", "", "计财股", ""],
]


@pytest.mark.parametrize("kind", MERGING)
def test_it_reads_columns_by_their_headers(kind):
    # 牵头科室 merged over tasks 1–2; every other blank cell is really blank.
    plan = _read(
        kind, "某区教育局2025年安全生产责任清单", HEADERS, merges=[(3, 2, 3)], spans=[1, 4]
    )
    assert [(t.title, t.domain) for t in plan.tasks] == [
        ("开展消防安全检查", "消防安全"),
        ("电动车充电整治", "消防安全"),
        ("食堂食品安全检查", "食品安全"),
        ("校外供餐单位核查", "食品安全"),
    ]
    assert [_deadlines(t)[0][0] for t in plan.tasks] == [
        "2025-06-30",
        "2025-08-31",
        "2025-09-30",
        "2025-10-31",
    ]
    assert [(t.lead_units, t.responsible_units, t.cooperating_units) for t in plan.tasks] == [
        (["安全股"], ["后勤办"], ["各学校"]),
        (["安全股"], [], ["各学校"]),  # merged lead; blank 责任处室: none
        (["后勤办"], [], []),
        ([], ["计财股"], []),
    ]


def test_it_reads_columns_by_their_headers_in_text():
    # Copied as text, a merged cell is blank like an empty one: only a blank in a mostly
    # filled unit column is taken as merged; here every unit column is half blank.
    plan = _read(
        "text", "某区教育局2025年安全生产责任清单", HEADERS, merges=[(3, 2, 3)], spans=[1, 4]
    )
    assert [(t.title, t.domain) for t in plan.tasks] == [
        ("开展消防安全检查", "消防安全"),
        ("电动车充电整治", "消防安全"),
        ("食堂食品安全检查", "食品安全"),
        ("校外供餐单位核查", "食品安全"),
    ]
    assert [t.lead_units for t in plan.tasks] == [["安全股"], [], ["后勤办"], []]
    assert [t.responsible_units for t in plan.tasks] == [["后勤办"], [], [], ["计财股"]]
    mostly = (
        "序号\t工作任务\t责任单位\n1\t开展检查。\t安全股\n2\t开展演练。\t\n3\t开展培训。\t后勤办\n"
    )
    assert [t.responsible_units for t in import_text(mostly).tasks] == [
        ["安全股"],
        ["安全股"],
        ["后勤办"],
    ]


SECTION_ROWS = [
    ["序号", "工作任务", "责任单位", "完成时限"],
    ["", "一、校舍安全", "", ""],
    ["1", "开展校舍安全排查。", "发规股", "2025年5月"],
    ["", "（二）防溺水", "", ""],
    ["2", "开展防溺水专题教育。", "安全股", "2025年6月"],
]


@pytest.mark.parametrize("kind", FORMATS)
def test_it_takes_a_numbered_row_with_nothing_else_as_a_section(kind):
    plan = _read(kind, "某区教育局2025年安全工作责任清单", SECTION_ROWS)
    assert [(t.title, t.domain, t.responsible_units) for t in plan.tasks] == [
        ("开展校舍安全排查", "校舍安全", ["发规股"]),
        ("开展防溺水专题教育", "防溺水", ["安全股"]),
    ]
    assert [t.safety_domain for t in plan.tasks] == ["buildings", "drowning"]


SEQ_SHIFTED = [
    ["序号", "工作任务", "责任单位", "完成时限"],
    ["1", "开展消防检查。", "", "2025年5月"],
    ["2", "开展食品检查。", "后勤办", "2025年6月"],
]


@pytest.mark.parametrize("kind", MERGING)
def test_it_never_reads_a_sequence_number_as_a_unit(kind):
    plan = _read(kind, "某校2025年安全工作任务清单", SEQ_SHIFTED)
    assert [t.responsible_units for t in plan.tasks] == [[], ["后勤办"]]
    assert split_units("1、2") == []


# ---------------------------------------------------------------------------------------
# 文号, safety domains, deadlines in running text

NUMBERED = [
    ["序号", "工作任务", "责任单位", "完成时限"],
    ["1", "开展防欺凌专项治理。每学期排查一次。", "基教股", "2024年12月"],
    ["2", "开展网络诈骗防范宣传。", "安全股", "2024年10月"],
]


@pytest.mark.parametrize("kind", FORMATS)
def test_it_reads_the_document_number(kind):
    before = ["梁子湖区教育局文件", "梁教〔2024〕12号"]
    plan = _read(kind, "梁子湖区2024年校园安全工作责任清单", NUMBERED, before=before)
    assert plan.document_number == "梁教〔2024〕12号"
    assert [t.safety_domain for t in plan.tasks] == ["bullying", "fraud"]


def test_it_reads_a_document_number_leading_a_line_but_not_one_cited_in_the_text():
    text = (
        "鄂教安办[2025]3号　　签发人：张某\n"
        "关于印发《全县校园安全工作要点》的通知\n"
        "根据《省教育厅关于加强校园安全的通知》（鄂教〔2023〕5号），制定本要点。\n"
        "二、主要任务\n1. 开展消防检查。每月一次。\n2. 开展食品检查。每周一次。\n"
    )
    assert import_text(text).document_number == "鄂教安办[2025]3号"
    cited = text.split("\n", 1)[1]
    assert import_text(cited).document_number == ""


@pytest.mark.parametrize(
    ("title", "content", "group", "domain"),
    [
        ("常态化开展消防安全专项整治", "", "", "fire"),
        ("加强危化品安全专项治理", "", "", "labs"),
        ("定期开展校舍和在建工程专项检查", "", "", "buildings"),
        ("规范开展校车安全专项治理", "", "", "school_bus"),
        ("加强交通安全管理", "", "", "school_bus"),
        ("扎实开展防溺水专项治理", "同时做好防欺凌工作。", "", "drowning"),
        ("持续开展食品安全专项治理", "", "", "food"),
        ("开展燃气安全排查", "", "", "gas"),
        ("加强学校心理健康工作", "", "", "mental_health"),
        ("开展防范网络诈骗宣传", "", "", "fraud"),
        ("开展防欺凌专项排查", "", "", "bullying"),
        ("开展专项检查", "", "一、实验室安全", "labs"),
        ("开展专项排查", "检查灭火器，清理疏散通道，开展消防演练。", "", "fire"),
        ("建强校园安全工作队伍", "配齐保安。加强校车驾驶员、校车照管员培训。", "", ""),
        # Domains named only in passing: none rather than a guess.
        ("建立隐患自查自改机制", "邀请消防、燃气、食品等领域专家开展督查评估。", "", ""),
        ("严格落实学校主体责任", "", "教育", ""),
    ],
)
def test_it_infers_the_safety_domain_from_the_text(title, content, group, domain):
    assert infer_domain(title, content, group) == domain


PARAGRAPHS = [
    "全县校园安全工作方案（2024—2026年）",
    "二、主要任务",
    "（一）提升校园安全管理能力水平。加强培训。2026年底前，组织中小学、幼儿园主要负责人轮训一遍。",
    "（二）推进校车智慧监管。2024年起，全面推进。2025年6月底前完成平台建设，"
    "2025年底前安装率不低于60%。",
    "（三）开展食品安全检查。每学期一次。（完成时限：2024年10月）",
]


@pytest.mark.parametrize("kind", ["docx", "text", "html", "pdf"])
def test_it_finds_deadlines_said_in_running_text(kind):
    if kind in ("html", "pdf"):
        from html import escape

        page = "".join(f"<p>{escape(line)}</p>" for line in PARAGRAPHS)
        page = f'<html lang="zh-CN"><head><meta charset="utf-8"></head><body>{page}</body></html>'
        data = page.encode() if kind == "html" else _pdf(page)
        plan = import_plan(data, f"方案.{kind}")
    elif kind == "docx":
        document = docx.Document()
        for line in PARAGRAPHS:
            document.add_paragraph(line)
        buffer = io.BytesIO()
        document.save(buffer)
        plan = import_plan(buffer.getvalue(), "方案.docx")
    else:
        plan = import_text("\n".join(PARAGRAPHS))
    training, buses, food = plan.tasks
    # Labelled with the phrase that set them.
    assert _deadlines(training) == [("2026-12-31", "2026年底前", "date")]
    # "2024年起" starts the work: not a deadline.
    assert _deadlines(buses) == [
        ("2025-06-30", "2025年6月底前", "date"),
        ("2025-12-31", "2025年底前", "date"),
    ]
    assert _deadlines(food) == [("2024-10-31", "", "date")]
    assert [t.safety_domain for t in plan.tasks] == ["", "school_bus", "food"]


def test_it_finds_running_deadlines_in_a_sheet_without_a_deadline_column():
    rows = [
        ["序号", "工作任务", "责任单位"],
        ["1", "开展消防检查。2025年9月底前完成全覆盖检查。", "安全股"],
        ["2", "开展食品检查。", "后勤办"],
    ]
    plan = _read("xlsx", "某区2025年安全工作任务清单", rows)
    assert [_deadlines(t) for t in plan.tasks] == [
        [("2025-09-30", "2025年9月底前", "date")],
        [("2025-12-31", "", "date")],  # none said: the year's end
    ]


def test_it_reads_the_district_examples_number_and_the_domains_of_its_tasks():
    from pathlib import Path

    name = "district-plan-2024-2026.txt"
    plan = import_plan((Path(__file__).parent / "fixtures" / name).read_bytes(), name)
    assert plan.document_number == "梁教〔2024〕12号"
    domains = [t.safety_domain for t in plan.tasks]
    assert domains[3:13] == [
        "fire",
        "labs",
        "buildings",
        "school_bus",
        "drowning",
        "crowd",
        "food",
        "surroundings",
        "security",
        "security",
    ]
    assert domains[14] == "mental_health"
    # General tasks (主体责任, 队伍, 安全教育, 应急演练) name no single domain.
    assert {domains[i] for i in (0, 1, 2, 13, 15, 16, 17)} == {""}
