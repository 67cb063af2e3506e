"""Word documents built here with python-docx: a responsibility table with merged and blank
cells and a continuation row, and a plan of numbered paragraphs with trailers."""

from __future__ import annotations

import io

import docx
import pytest

from xiaoan.plans.importer import PlanImportError, import_plan


def _bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _task_cell(cell, bold: str, rest: str) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.add_run(bold).bold = True
    paragraph.add_run(rest)


def responsibility_list() -> bytes:
    document = docx.Document()
    document.add_paragraph("某某学院2025年安全工作要点", style="Title")
    document.add_paragraph("为做好2025年安全工作，制定本要点。附件为责任清单。")
    table = document.add_table(rows=8, cols=6)
    # Row 0: a title row merged across the table; row 1: the header.
    title = table.cell(0, 0).merge(table.cell(0, 5))
    title.text = "2025年安全工作责任清单"
    for column, text in enumerate(["领域", "序号", "工作任务", "完成时限", "牵头单位", "责任单位"]):
        table.cell(1, column).text = text
    rows = [
        # 领域, 序号, (bold, rest), 完成时限, 牵头单位
        ("消防", "1", ("消防设施检查。", "每月检查灭火器、消火栓。"), "2025年6月", "保卫处"),
        # A row that continues task 1: an extra requirement with its own deadline.
        ("", "", ("", "对检查发现的隐患立行立改。"), "立整立改 长期坚持", ""),
        ("", "2", ("电气线路整治。", "排查私拉乱接。"), "2025.9", "后勤处"),
        # Blank deadline: same as above; blank lead: none.
        ("实验室", "3", ("危化品管理。", "落实双人双锁。"), "", ""),
        ("", "4", ("实验室安全培训。", "每学期一次。"), "上半年 6月30日 下半年12月31日", "教务处"),
        (
            "",
            "5",
            ("防溺水防欺凌教育。", "分专题开展。"),
            "防溺水：2025.6 防欺凌：2025.12",
            "学生处",
        ),
    ]
    for offset, (domain, seq, (bold, rest), due, lead) in enumerate(rows):
        cells = table.rows[2 + offset].cells
        cells[0].text = domain
        cells[1].text = seq
        _task_cell(cells[2], bold, rest)
        cells[3].text = due
        cells[4].text = lead
    # 领域 merged vertically over rows 2–4 and 5–7; 责任单位 merged over rows 2–5.
    table.cell(2, 0).merge(table.cell(4, 0)).text = "消防"
    table.cell(5, 0).merge(table.cell(7, 0)).text = "实验室"
    table.cell(2, 5).merge(table.cell(5, 5)).text = "各二级学院、各职能部门"
    table.cell(6, 5).text = "各二级学院，继续教育学院"
    table.cell(7, 5).text = "学生处、团委（配合）"
    return _bytes(document)


def numbered_plan() -> bytes:
    document = docx.Document()
    document.add_paragraph("某某大学")
    document.add_paragraph("2025年安全稳定工作要点")
    document.add_heading("一、工作目标", level=1)
    document.add_paragraph("确保不发生重大安全责任事故。")
    document.add_heading("二、主要任务", level=1)
    document.add_paragraph("（一）健全责任体系")
    paragraph = document.add_paragraph("1. ")
    paragraph.add_run("签订安全责任书。").bold = True
    paragraph.add_run("学校与各单位签订责任书。(牵头单位:保卫处 责任单位:学校各单位)")
    paragraph = document.add_paragraph("2. ")
    paragraph.add_run("建立隐患台账。").bold = True
    paragraph.add_run("对隐患逐项登记销号。（牵头单位：保卫处 配合单位：后勤处、资产处）")
    document.add_paragraph("（二）加强宣传教育")
    # Word's own list numbering: the number is not in the text.
    document.add_paragraph(
        "开展安全教育周活动。每年9月开展一次。（牵头单位：学生处，完成时限：2025年9月）",
        style="List Number",
    )
    document.add_heading("三、保障措施", level=1)
    document.add_paragraph("1. 加强组织领导。成立领导小组。")
    return _bytes(document)


def _deadlines(task):
    return [(d.date.isoformat() if d.date else None, d.label, d.kind) for d in task.deadlines]


def test_it_reads_a_word_table_with_merged_and_blank_cells():
    plan = import_plan(responsibility_list(), "要点.docx")
    assert plan.plan_title == "某某学院2025年安全工作要点"
    assert plan.plan_year == 2025
    assert [(t.seq, t.title) for t in plan.tasks] == [
        (1, "消防设施检查"),
        (2, "电气线路整治"),
        (3, "危化品管理"),
        (4, "实验室安全培训"),
        (5, "防溺水防欺凌教育"),
    ]
    fire, wiring, chemicals, training, drowning = plan.tasks
    assert fire.content == "每月检查灭火器、消火栓。\n对检查发现的隐患立行立改。"
    assert _deadlines(fire) == [
        ("2025-06-30", "", "date"),
        (None, "立整立改", "immediate"),
        (None, "长期坚持", "ongoing"),
    ]
    assert fire.lead_units == ["保卫处"]
    assert fire.responsible_units == ["各二级学院", "各职能部门"]
    assert _deadlines(wiring) == [("2025-09-30", "", "date")]
    assert wiring.responsible_units == ["各二级学院", "各职能部门"]  # merged cell
    # A blank deadline in a mostly filled column: same as above; a blank unit cell that
    # is not merged: no unit.
    assert _deadlines(chemicals) == [("2025-09-30", "", "date")]
    assert chemicals.lead_units == []
    assert chemicals.responsible_units == ["各二级学院", "各职能部门"]
    assert _deadlines(training) == [
        ("2025-06-30", "上半年", "date"),
        ("2025-12-31", "下半年", "date"),
    ]
    assert training.responsible_units == ["各二级学院", "继续教育学院"]
    assert _deadlines(drowning) == [
        ("2025-06-30", "防溺水", "date"),
        ("2025-12-31", "防欺凌", "date"),
    ]
    assert drowning.lead_units == ["学生处"]
    assert drowning.responsible_units == ["学生处"]
    assert drowning.cooperating_units == ["团委"]
    assert [t.domain for t in plan.tasks] == ["消防", "消防", "实验室", "实验室", "实验室"]


def test_it_reads_numbered_word_paragraphs_with_trailers():
    plan = import_plan(numbered_plan(), "要点.docx")
    assert plan.plan_title == "某某大学2025年安全稳定工作要点"
    assert plan.plan_year == 2025
    assert [(t.title, t.content) for t in plan.tasks] == [
        ("签订安全责任书", "学校与各单位签订责任书。"),
        ("建立隐患台账", "对隐患逐项登记销号。"),
        ("开展安全教育周活动", "每年9月开展一次。"),
    ]
    first, second, third = plan.tasks
    assert (first.lead_units, first.responsible_units) == (["保卫处"], ["学校各单位"])
    assert (second.lead_units, second.cooperating_units) == (["保卫处"], ["后勤处", "资产处"])
    assert third.lead_units == ["学生处"]
    assert _deadlines(first) == [("2025-12-31", "", "date")]
    assert _deadlines(third) == [("2025-09-30", "", "date")]
    assert [t.domain for t in plan.tasks] == ["健全责任体系", "健全责任体系", "加强宣传教育"]


@pytest.mark.parametrize(
    "data",
    [
        b"PK\x03\x04 this is not really a zip",
        b"plain text pretending to be Word",
        b"",
    ],
)
def test_it_refuses_a_corrupt_word_file(data):
    with pytest.raises(PlanImportError) as error:
        import_plan(data, "坏文件.docx")
    assert "Word" in error.value.message


def test_it_refuses_a_word_file_without_tasks():
    document = docx.Document()
    document.add_paragraph("会议通知")
    document.add_paragraph("请各单位准时参加。")
    with pytest.raises(PlanImportError) as error:
        import_plan(_bytes(document), "通知.docx")
    assert "没有在文件中找到工作任务" in error.value.message


def test_it_reads_a_two_row_header_a_table_split_in_two_and_a_merged_task_cell():
    document = docx.Document()
    document.add_paragraph("某某中学2025年安全工作责任分工")
    table = document.add_table(rows=4, cols=4)
    # 工作任务 and 完成时限 span both header rows; 责任单位 spans 牵头单位 | 配合单位.
    table.cell(0, 0).merge(table.cell(1, 0)).text = "工作任务"
    table.cell(0, 1).merge(table.cell(1, 1)).text = "完成时限"
    table.cell(0, 2).merge(table.cell(0, 3)).text = "责任单位"
    table.cell(1, 2).text = "牵头单位"
    table.cell(1, 3).text = "配合单位"
    # No 序号 column: a task cell merged over two rows is one task with two deadlines.
    table.cell(2, 0).merge(table.cell(3, 0)).text = "校车安全管理。春秋两季联合检查。"
    table.cell(2, 1).text = "2025年3月"
    table.cell(2, 2).text = "总务处"
    table.cell(3, 1).text = "2025年9月"
    table.cell(3, 3).text = "交警中队"
    # The table goes on after a page break as a second table without a header.
    document.add_paragraph("")
    rest = document.add_table(rows=1, cols=4)
    for column, text in enumerate(["食堂安全检查。每周一次。", "长期坚持", "总务处", "市场监管所"]):
        rest.cell(0, column).text = text
    plan = import_plan(_bytes(document), "分工.docx")
    assert plan.plan_title == "某某中学2025年安全工作责任分工"
    assert [(t.title, t.content) for t in plan.tasks] == [
        ("校车安全管理", "春秋两季联合检查。"),
        ("食堂安全检查", "每周一次。"),
    ]
    bus, canteen = plan.tasks
    assert _deadlines(bus) == [("2025-03-31", "", "date"), ("2025-09-30", "", "date")]
    assert (bus.lead_units, bus.cooperating_units) == (["总务处"], ["交警中队"])
    assert _deadlines(canteen) == [(None, "长期坚持", "ongoing")]
    assert (canteen.lead_units, canteen.cooperating_units) == (["总务处"], ["市场监管所"])


def test_it_takes_a_bold_title_after_a_plain_number():
    document = docx.Document()
    document.add_paragraph("2025年安全工作计划")
    document.add_paragraph("二、主要任务")
    paragraph = document.add_paragraph("1. ")
    paragraph.add_run("消防安全").bold = True
    paragraph.add_run("开展消防检查，整改隐患。（牵头单位：总务处）")
    paragraph = document.add_paragraph("2．")
    paragraph.add_run("用电安全：").bold = True
    paragraph.add_run("排查私拉乱接。")
    plan = import_plan(_bytes(document), "计划.docx")
    assert [(t.title, t.content) for t in plan.tasks] == [
        ("消防安全", "开展消防检查，整改隐患。"),
        ("用电安全", "排查私拉乱接。"),
    ]
    assert plan.tasks[0].lead_units == ["总务处"]


def test_it_ignores_a_sub_header_that_leaves_no_task_column():
    # Found by fuzzing: the row under the header names 领域 over the task column.
    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    for column, text in enumerate(["序号", "工作任务", "责任单位"]):
        table.cell(0, column).text = text
    for column, text in enumerate(["", "领域", ""]):
        table.cell(1, column).text = text
    for column, text in enumerate(["1", "开展检查。", "安全股"]):
        table.cell(2, column).text = text
    plan = import_plan(_bytes(document), "清单.docx")
    assert [(t.title, t.responsible_units) for t in plan.tasks] == [("开展检查", ["安全股"])]


def test_it_reads_a_plan_numbered_by_word_lists_only():
    # Every number comes from Word's list numbering; the section names still decide.
    document = docx.Document()
    document.add_paragraph("某某小学2025年安全工作计划", style="Title")
    document.add_paragraph("指导思想", style="List Number")
    document.add_paragraph("坚持安全第一、预防为主、综合治理，确保师生平安，建设平安校园。")
    document.add_paragraph("主要任务", style="List Number")
    document.add_paragraph("开展消防检查。每月一次。（牵头单位：总务处）", style="List Number 2")
    document.add_paragraph(
        "开展防溺水教育。暑假前开展。（牵头单位：德育处）", style="List Number 2"
    )
    document.add_paragraph("保障措施", style="List Number")
    document.add_paragraph("加强领导。成立领导小组，校长任组长。", style="List Number 2")
    plan = import_plan(_bytes(document), "计划.docx")
    assert plan.plan_title == "某某小学2025年安全工作计划"
    assert [(t.title, t.lead_units) for t in plan.tasks] == [
        ("开展消防检查", ["总务处"]),
        ("开展防溺水教育", ["德育处"]),
    ]
