"""The register import through buildings: rows checked first, per-row Chinese report,
nothing written when a row is wrong, re-import updates, garbage and huge files refused."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from xiaoan.buildings.models import BuildingFile
from xiaoan.buildings.registers import BUILDINGS
from xiaoan.buildings.tests.support import SCHOOL_A, SCHOOL_B, make, sheet
from xiaoan.core.errors import Forbidden, Invalid
from xiaoan.core.register_sheets import import_items, template_response

pytestmark = pytest.mark.django_db


def run(persona, rows, header=None, name="school_a_officer", **kw):
    return import_items(BUILDINGS, persona(name), sheet(rows, header), **kw)


def test_it_imports_good_rows_with_dates_in_any_usual_form(persona):
    result = run(
        persona,
        [
            [SCHOOL_A, "1号教学楼", "JX-01", "教学楼", 5, 19.8, "B", "2024/5/1"],
            [
                SCHOOL_A,
                "学生宿舍",
                "SS-01",
                "dormitory",
                9,
                "29.7",
                "C级（局部危房）",
                dt.date(2024, 6, 1),
            ],
            [SCHOOL_A, "食堂", "", "食堂", 2, 9, "", ""],
        ],
    )
    assert result.ok and result.created == 3
    dorm = BuildingFile.objects.get(code="SS-01")
    assert (
        dorm.is_high_rise
        and dorm.appraisal_grade == "C"
        and dorm.appraised_on == dt.date(2024, 6, 1)
    )
    assert BuildingFile.objects.get(code="JX-01").appraised_on == dt.date(2024, 5, 1)


def test_it_updates_on_reimport_by_code_or_name(persona):
    rows = [
        [SCHOOL_A, "1号教学楼", "JX-01", "教学楼", 5, 19.8, "", ""],
        [SCHOOL_A, "食堂", "", "食堂", 2, 9, "", ""],
    ]
    assert run(persona, rows).created == 2
    rows[0][1] = "一号教学楼"  # renamed: same code, same building
    rows[1][4] = 3  # one more floor, matched by name
    again = run(persona, rows)
    assert again.ok and again.created == 0 and again.updated == 2
    assert BuildingFile.objects.count() == 2
    assert BuildingFile.objects.get(code="JX-01").name == "一号教学楼"
    assert BuildingFile.objects.get(name="食堂").floors_above == 3


def test_it_writes_nothing_when_one_row_is_wrong(persona):
    result = run(
        persona,
        [
            [SCHOOL_A, "1号教学楼", "JX-01", "教学楼", 5, 19.8, "", ""],
            [SCHOOL_A, "2号教学楼", "JX-02", "教学楼", "五", 19.8, "", ""],
        ],
    )
    assert not result.ok and BuildingFile.objects.count() == 0
    assert [(e.row, e.column) for e in result.errors] == [(3, "地上层数")]
    assert "不是整数" in result.errors[0].message


@pytest.mark.parametrize(
    "row,column,words",
    [
        ([SCHOOL_B, "楼", "A", "教学楼", 3, 9, "", ""], "所属单位", "找不到单位"),
        (["不存在的学校", "楼", "A", "教学楼", 3, 9, "", ""], "所属单位", "找不到单位"),
        ([SCHOOL_A, "", "A", "教学楼", 3, 9, "", ""], "名称", "不能为空"),
        ([SCHOOL_A, "楼", "A", "城堡", 3, 9, "", ""], "用途", "不是可选值"),
        ([SCHOOL_A, "楼", "A", "教学楼", 3, "高", "", ""], "建筑高度（米）", "不是数字"),
        ([SCHOOL_A, "楼", "A", "教学楼", 3, 9, "E", ""], "安全鉴定等级", "不是可选值"),
        ([SCHOOL_A, "楼", "A", "教学楼", 3, 9, "B", "明天"], "鉴定日期", "不是日期"),
        ([SCHOOL_A, "楼", "A", "教学楼", 3, 9, "B", ""], "鉴定日期", "须填写鉴定日期"),
        ([SCHOOL_A, "楼", "A", "教学楼", 0, 9, "", ""], "地上层数", ""),
        ([SCHOOL_A, "楼" * 101, "A", "教学楼", 3, 9, "", ""], "名称", "100"),
    ],
)
def test_it_reports_each_wrong_cell_in_chinese(persona, row, column, words):
    result = run(persona, [row])
    assert not result.ok and BuildingFile.objects.count() == 0
    assert any(e.column == column and words in e.message for e in result.errors), result.errors


def test_it_refuses_duplicates_within_the_sheet(persona):
    result = run(
        persona,
        [
            [SCHOOL_A, "1号楼", "A", "教学楼", 3, 9, "", ""],
            [SCHOOL_A, "2号楼", "A", "教学楼", 3, 9, "", ""],
        ],
    )
    assert [(e.row, e.column) for e in result.errors] == [(3, "编号")]
    assert "第 2 行" in result.errors[0].message


def test_it_refuses_rows_updating_what_the_person_may_not_change(persona, units):
    make(persona("district_officer"), units[SCHOOL_B], name="东沟楼", code="DG")
    result = run(
        persona, [[SCHOOL_B, "东沟楼", "DG", "教学楼", 3, 9, "", ""]], name="school_a_officer"
    )
    assert not result.ok


def test_it_dry_runs_without_writing(persona):
    result = run(persona, [[SCHOOL_A, "1号楼", "A", "教学楼", 3, 9, "", ""]], dry_run=True)
    assert result.ok and BuildingFile.objects.count() == 0


def test_it_fills_the_unit_chosen_when_the_sheet_has_none(persona, units):
    user = persona("school_a_officer")
    header = ["名称", "用途", "地上层数"]
    result = import_items(
        BUILDINGS, user, sheet([["图书馆", "教学楼", 3]], header), default_unit=units[SCHOOL_A]
    )
    assert result.ok and BuildingFile.objects.get().unit == units[SCHOOL_A]
    # A unit chosen where the person may not add is no default.
    refused = import_items(
        BUILDINGS, user, sheet([["食堂", "食堂", 2]], header), default_unit=units[SCHOOL_B]
    )
    assert not refused.ok and refused.errors[0].column == "所属单位"
    missing = import_items(
        BUILDINGS,
        persona("district_officer"),
        sheet([["楼", "教学楼", 3]], ["名称", "用途", "地上层数"]),
    )
    assert not missing.ok and missing.errors[0].column == "所属单位"


def test_it_refuses_garbage_and_headerless_and_huge_files(persona, settings):
    user = persona("school_a_officer")
    with pytest.raises(Invalid, match="无法读取"):
        import_items(BUILDINGS, user, b"PK\x03\x04 not really a workbook")
    with pytest.raises(Invalid, match="找不到表头"):
        import_items(BUILDINGS, user, sheet([["a", "b"]], ["甲", "乙"]))
    with pytest.raises(Invalid, match="缺少必需的列"):
        import_items(BUILDINGS, user, sheet([["楼"]], ["名称"]))
    empty = import_items(BUILDINGS, user, sheet([]))
    assert not empty.ok and "没有数据行" in empty.errors[0].message
    settings.XIAOAN_IMPORT_MAX_BYTES = 1000
    with pytest.raises(Invalid, match="文件过大"):
        import_items(BUILDINGS, user, b"x" * 2000)


def test_it_refuses_people_who_may_add_nowhere(persona):
    with pytest.raises(Forbidden):
        import_items(BUILDINGS, persona("auditor"), sheet([]))


def test_it_reads_back_its_own_template_and_export(persona, units):
    from openpyxl import load_workbook

    template = template_response(BUILDINGS)
    book = load_workbook(io.BytesIO(b"".join(template.streaming_content)))
    headers = [c.value for c in next(book.active.iter_rows(min_row=2, max_row=2))]
    assert "名称" in headers and "所属单位" in headers and "高层建筑" in headers
    make(persona("school_a_officer"), units[SCHOOL_A], height="30", floors_above=9)
    from xiaoan.core.register_sheets import export_response

    exported = b"".join(export_response(BUILDINGS, BuildingFile.objects.all()).streaming_content)
    building = BuildingFile.objects.get()
    entries = building.history.count()
    again = import_items(BUILDINGS, persona("school_a_officer"), exported)
    # Its own export read back: the same building, nothing changed, no history churn.
    assert again.ok and again.unchanged == 1 and again.updated == again.created == 0
    assert building.history.count() == entries


def test_it_handles_many_rows_in_few_queries(persona, django_assert_max_num_queries):
    rows = [[SCHOOL_A, f"楼{n}", f"C{n}", "教学楼", 3, 9, "", ""] for n in range(200)]
    user = persona("school_a_officer")
    book = sheet(rows)
    from xiaoan.core.register_sheets import check_rows, read_rows

    with django_assert_max_num_queries(12):
        result, plans = check_rows(BUILDINGS, user, read_rows(BUILDINGS, book))
    assert result.ok and len(plans) == 200


def test_it_limits_the_rows_of_one_import(persona, monkeypatch):
    from xiaoan.core import register_sheets

    monkeypatch.setattr(register_sheets, "MAX_ROWS", 3)
    rows = [[SCHOOL_A, f"楼{n}", f"C{n}", "教学楼", 3, 9, "", ""] for n in range(5)]
    with pytest.raises(Invalid, match="最多导入"):
        run(persona, rows)


def test_it_ignores_blank_rows_and_a_title_line(persona):
    book = Workbook()
    ws = book.active
    ws.append(["楼栋档案"])
    ws.append(["所属单位", "名称*", "用途", "层数"])
    ws.append([SCHOOL_A, "1号楼", "教学楼", 4])
    ws.append([None, None, None, None])
    out = io.BytesIO()
    book.save(out)
    result = import_items(BUILDINGS, persona("school_a_officer"), out.getvalue())
    assert result.ok and result.created == 1
