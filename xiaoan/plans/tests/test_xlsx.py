"""Excel sheets built here with openpyxl: a merged title row, group rows merged across the
table, vertically merged cells, a merged 序号 over two rows (one task, two requirements),
and deadlines typed as numbers and dates."""

from __future__ import annotations

import datetime
import io

import pytest
from openpyxl import Workbook

from xiaoan.plans.importer import PlanImportError, import_plan


def _bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def responsibility_sheet() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "责任清单"
    sheet.append(["某区教育局2025年安全生产责任清单"])
    sheet.merge_cells("A1:E1")
    sheet.append(["序号", "工作任务", "完成时限", "牵头单位", "配合单位"])
    sheet.append(["一、消防安全"])
    sheet.merge_cells("A3:E3")
    sheet.append([1, "消防设施全面检查。逐校检查消防设施。", 2025.10, "安全股", "各学校"])
    sheet["C4"].number_format = "0.00"  # typed as 2025.10: October, not January
    sheet.append(
        [2, "电动车充电整治。建设集中充电区。", datetime.datetime(2025, 8, 31), None, None]
    )
    sheet.merge_cells("D4:D5")  # 安全股 leads both
    sheet.append(["二、食品安全"])
    sheet.merge_cells("A6:E6")
    sheet.append([3, "食堂食品安全检查。每月检查一次。", "长期坚持", "后勤办", "市场监管所"])
    # 序号 3 merged over two rows: the second row is one more requirement of task 3.
    sheet.append([None, "落实校长陪餐制度。", "2025年12月", None, None])
    sheet.merge_cells("A7:A8")
    sheet.append([4, "从业人员健康证核查。", None, "后勤办、卫健股", None])
    return _bytes(workbook)


def _deadlines(task):
    return [(d.date.isoformat() if d.date else None, d.label, d.kind) for d in task.deadlines]


def test_it_reads_an_excel_sheet_with_merged_ranges():
    plan = import_plan(responsibility_sheet(), "清单.xlsx")
    assert plan.plan_title == "某区教育局2025年安全生产责任清单"
    assert plan.plan_year == 2025
    assert [(t.seq, t.title, t.domain) for t in plan.tasks] == [
        (1, "消防设施全面检查", "消防安全"),
        (2, "电动车充电整治", "消防安全"),
        (3, "食堂食品安全检查", "食品安全"),
        (4, "从业人员健康证核查", "食品安全"),
    ]
    fire, charging, canteen, health = plan.tasks
    assert _deadlines(fire) == [("2025-10-31", "", "date")]
    assert (fire.lead_units, fire.cooperating_units) == (["安全股"], ["各学校"])
    assert _deadlines(charging) == [("2025-08-31", "", "date")]
    assert charging.lead_units == ["安全股"]  # merged D4:D5
    assert charging.cooperating_units == []
    assert canteen.content == "每月检查一次。\n落实校长陪餐制度。"
    assert _deadlines(canteen) == [(None, "长期坚持", "ongoing"), ("2025-12-31", "", "date")]
    assert (canteen.lead_units, canteen.cooperating_units) == (["后勤办"], ["市场监管所"])
    # The deadline column is filled in most rows: a blank deadline is the one above.
    assert _deadlines(health) == [("2025-12-31", "", "date")]
    assert health.lead_units == ["后勤办", "卫健股"]
    assert health.content == ""


def test_it_reads_every_sheet_of_a_workbook():
    workbook = Workbook()
    first = workbook.active
    first.append(["序号", "工作任务", "责任单位"])
    first.append([1, "开展安全检查。", "安全股"])
    second = workbook.create_sheet("第二部分")
    second.append(["序号", "工作任务", "责任单位"])
    second.append([1, "开展应急演练。", "各学校"])
    plan = import_plan(_bytes(workbook), "清单.xlsx")
    assert [(t.seq, t.title, t.responsible_units) for t in plan.tasks] == [
        (1, "开展安全检查", ["安全股"]),
        (2, "开展应急演练", ["各学校"]),
    ]


def test_it_refuses_a_corrupt_or_empty_workbook():
    with pytest.raises(PlanImportError) as error:
        import_plan(b"PK\x03\x04 broken", "清单.xlsx")
    assert "Excel" in error.value.message
    with pytest.raises(PlanImportError) as error:
        import_plan(_bytes(Workbook()), "空表.xlsx")
    assert "没有在文件中找到工作任务" in error.value.message
