"""`xiaoan bench import`: time the importer on a generated 100-page plan.

The plan is a responsibility list of `tasks` rows (400 by default: four rows of about
250 characters fill an A4 page), written as a .docx table and an .xlsx sheet with merged
cells and as the same table exported to text. The target is under 2 s for each.
"""

from __future__ import annotations

import io
import statistics
import time
from collections.abc import Callable

from .importer import import_plan

TARGET_SECONDS = 2.0
_SENTENCES = [
    "对照《湖北省学校安全条例》，督促各级各类学校建立校园安全主体责任体系，",
    "健全完善全过程校园安全管理制度，做到安全责任、管理、投入、培训和应急处置“五到位”，",
    "定期开展消防、燃气、用电、校舍、实验室危化品和食品安全隐患排查整治，",
    "建立问题清单、措施清单、责任清单，实行挂牌督办、整改销号管理，",
    "持续提升校园安全管理水平，确保隐患动态清零。",
]
_DEADLINES = [
    "2024年12月",
    "2025.6",
    "2026年底前",
    "上半年 6月30日 下半年12月31日",
    "防溺水：2026.10 防欺凌：2026.12",
    "立整立改 长期坚持",
    "",
]
_UNITS = [
    "安全股，梁子湖高中、各中心学校、梧桐湖教办、全区中小学幼儿园",
    "安全股、基教股、体卫艺股，梁子湖高中、各中心学校",
    "后勤办、发规股，全区中小学幼儿园",
]
HEADER = ["领域", "序号", "工作任务", "完成时限", "责任单位"]


def _rows(tasks: int) -> list[list[str]]:
    rows = []
    for index in range(tasks):
        title = f"第{index + 1}项重点工作专项治理。"
        body = "".join(_SENTENCES[(index + k) % len(_SENTENCES)] for k in range(5))
        rows.append(
            [
                "教育" if index % 10 == 0 else "",
                str(index + 1),
                f"<p>{title}{body}</p>",
                _DEADLINES[index % len(_DEADLINES)],
                _UNITS[index % len(_UNITS)],
            ]
        )
    return rows


def plan_text(tasks: int) -> bytes:
    lines = ["# 某区教育系统安全生产治本攻坚三年行动2025年责任清单", "", "\t".join(HEADER)]
    lines.extend("\t".join(row) for row in _rows(tasks))
    return "\n".join(lines).encode()


def plan_docx(tasks: int) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("某区教育系统安全生产治本攻坚三年行动2025年责任清单", style="Title")
    rows = _rows(tasks)
    table = document.add_table(rows=len(rows) + 1, cols=len(HEADER))
    for column, text in enumerate(HEADER):
        table.cell(0, column).text = text
    for index, row in enumerate(rows, start=1):
        cells = table.rows[index].cells
        for column, text in enumerate(row):
            if column == 2:
                title, _, rest = text.removeprefix("<p>").removesuffix("</p>").partition("。")
                paragraph = cells[2].paragraphs[0]
                paragraph.add_run(title + "。").bold = True
                paragraph.add_run(rest)
            elif text:
                cells[column].text = text
    # 领域 merged down each group of ten rows: the XML carries vMerge like a real list.
    for start in range(1, len(rows) + 1, 10):
        end = min(start + 9, len(rows))
        if end > start:
            table.cell(start, 0).merge(table.cell(end, 0)).text = "教育"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def plan_xlsx(tasks: int) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["某区教育系统安全生产治本攻坚三年行动2025年责任清单"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    sheet.append(HEADER)
    for row in _rows(tasks):
        sheet.append(row)
    for start in range(3, tasks + 3, 10):
        end = min(start + 9, tasks + 2)
        if end > start:
            sheet.merge_cells(start_row=start, start_column=1, end_row=end, end_column=1)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def measure(tasks: int, runs: int, out: Callable[[str], None]) -> dict[str, float]:
    results: dict[str, float] = {}
    for label, filename, make in (
        ("docx", "plan.docx", plan_docx),
        ("xlsx", "plan.xlsx", plan_xlsx),
        ("text", "plan.txt", plan_text),
    ):
        data = make(tasks)
        timings = []
        count = 0
        for _ in range(runs):
            started = time.perf_counter()
            plan = import_plan(data, filename)
            timings.append(time.perf_counter() - started)
            count = len(plan.tasks)
        median = statistics.median(timings)
        results[label] = median
        verdict = "OK" if median < TARGET_SECONDS else "SLOW"
        out(
            f"import {label}: {count} tasks, {len(data) / 1024:.0f} KiB, "
            f"median {median * 1000:.0f} ms, max {max(timings) * 1000:.0f} ms "
            f"over {runs} runs (target < {TARGET_SECONDS:.0f} s) {verdict}"
        )
    return results
