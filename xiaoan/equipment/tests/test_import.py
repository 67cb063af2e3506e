"""一台一档's Excel import: good sheets (a school's own headers too), every row checked
first with a per-row report, nothing written when a row is wrong, re-import by 使用登记证编号
updates rather than duplicates."""

from __future__ import annotations

import datetime as dt

import pytest

from xiaoan.core.errors import Forbidden
from xiaoan.core.register_sheets import import_items
from xiaoan.equipment.models import Equipment
from xiaoan.equipment.registers import EQUIPMENT
from xiaoan.equipment.tests.support import (
    SCHOOL_A,
    SCHOOL_B,
    certificate,
    days,
    make,
    sheet,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def operators(units):
    """School A's operator certificates the sheets name."""
    school = units[SCHOOL_A]
    return {
        code: certificate(school, code, name=name, kind=kind)
        for name, code, kind in [
            ("张三", "T1", "special_equipment"),
            ("李四", "T2", "special_equipment"),
            ("王五", "N-001", "special_equipment"),
            ("赵六", "T6", "special_equipment"),
            ("王五", "G1-9", "boiler"),
        ]
    }


def run(persona, rows, header=None, name="school_a_officer", **kw):
    return import_items(EQUIPMENT, persona(name), sheet(rows, header), **kw)


GOOD = [
    [
        SCHOOL_A, "宿舍楼电梯", "电梯", "梯11鄂GA0231(24)", "通达电梯",
        "2025/12/1", "合格", "2026年12月1日", "张三 T1；李四 T2",
    ],
    [
        SCHOOL_A, "食堂锅炉", "boiler", "锅11鄂GA0015(21)", "热力中心",
        dt.date(2025, 6, 2), "基本符合要求", dt.date(2027, 6, 1), "",
    ],
    [SCHOOL_A, "叉车", "场（厂）内专用机动车辆", "", "", "", "", "2027-01-15", "王五：N-001"],
]  # fmt: skip


def test_it_imports_good_rows(persona):
    result = run(persona, GOOD)
    assert result.ok and result.created == 3, result.errors
    lift = Equipment.objects.get(code="梯11鄂GA0231(24)")
    assert lift.kind == "elevator" and lift.last_inspected_on == dt.date(2025, 12, 1)
    assert lift.next_inspection_on == dt.date(2026, 12, 1)
    assert sorted(c.code for c in lift.operators.all()) == ["T1", "T2"]
    assert Equipment.objects.get(code="锅11鄂GA0015(21)").conclusion == "conditional"
    forklift = Equipment.objects.get(name="叉车")
    assert forklift.kind == "vehicle" and forklift.operators.get().code == "N-001"


def test_it_reads_a_schools_own_headers(persona):
    header = ["学校", "名称", "设备种类", "登记证编号", "下次检验日期", "操作人员", "型号"]
    rows = [[SCHOOL_A, "1号电梯", "电梯", "梯1", "2027-03-01", "赵六 T6", "TKJ1000"]]
    result = run(persona, rows, header)
    assert result.ok, result.errors
    item = Equipment.objects.get()
    assert (item.code, item.model_spec) == ("梯1", "TKJ1000")
    assert item.operators.get().name == "赵六"


def test_it_updates_on_reimport_by_registration_code(persona):
    assert run(persona, GOOD).created == 3
    rows = [list(r) for r in GOOD]
    rows[0][1] = "宿舍楼1号电梯"  # renamed: same registration code, same elevator
    rows[0][5], rows[0][7] = "2026-11-20", "2027-11-20"  # a new inspection
    rows[2][4] = "叉车维保公司"  # no code: matched by name
    result = run(persona, rows)
    assert result.ok and (result.created, result.updated, result.unchanged) == (0, 2, 1)
    assert Equipment.objects.count() == 3
    lift = Equipment.objects.get(code="梯11鄂GA0231(24)")
    assert lift.name == "宿舍楼1号电梯" and lift.next_inspection_on == dt.date(2027, 11, 20)
    assert Equipment.objects.get(name="叉车").maintainer == "叉车维保公司"


@pytest.mark.parametrize(
    "change,column",
    [
        ({2: "飞船"}, "设备类别"),
        ({7: "明年"}, "下次定期检验日期"),
        ({7: None}, "下次定期检验日期"),
        ({6: "良好"}, "检验结论"),
        ({5: None}, "上次定期检验日期"),  # a conclusion without its date
        ({5: "2026-01-01", 7: "2025-01-01"}, "下次定期检验日期"),
        ({0: SCHOOL_B}, "所属单位"),
        ({8: "无名氏"}, "作业人员"),
        ({8: "王五"}, "作业人员"),  # two certificates of 王五: ambiguous
        ({1: None}, "名称"),
    ],
)
def test_a_wrong_row_writes_nothing(persona, change, column):
    rows = [list(r) for r in GOOD]
    for index, value in change.items():
        rows[1][index] = value
    result = run(persona, rows)
    assert not result.ok and result.created == 0
    assert [(e.row, e.column) for e in result.errors][:1] == [(3, column)], result.errors
    assert not Equipment.objects.exists()


def test_a_registration_code_twice_in_the_sheet_is_refused(persona):
    rows = [list(GOOD[0]), list(GOOD[0])]
    rows[1][1] = "另一台"
    result = run(persona, rows)
    assert not result.ok and result.errors[0].row == 3 and "重复" in result.errors[0].message
    assert not Equipment.objects.exists()


def test_a_dry_run_writes_nothing(persona):
    result = run(persona, GOOD, dry_run=True)
    assert result.ok and not Equipment.objects.exists()


def test_it_refuses_people_who_may_not_add(persona):
    for name in ("auditor", "school_b_teacher"):
        with pytest.raises(Forbidden):
            run(persona, GOOD, name=name)


def test_it_does_not_let_a_row_change_another_schools_item(persona, units):
    make(persona("district_officer"), units[SCHOOL_B], code="梯X")
    rows = [[SCHOOL_B, "电梯", "电梯", "梯X", "", "", "", str(days(30)), ""]]
    result = run(persona, rows)
    assert not result.ok and result.errors[0].column == "所属单位"


def test_the_same_sheet_again_changes_nothing(persona):
    from xiaoan.equipment.models import Equipment as Model

    assert run(persona, GOOD).created == 3
    lift = Model.objects.get(code="梯11鄂GA0231(24)")
    entries = lift.history.count()
    again = run(persona, GOOD)
    assert again.ok and (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert lift.history.count() == entries


def test_it_resolves_operators_by_name_number_or_the_exports_writing(persona, operators):
    rows = [list(GOOD[0]), list(GOOD[1])]
    rows[0][8] = "张三（T1）\nT2"
    rows[1][8] = "G1-9"  # the boiler: a boiler operator's certificate by its number
    result = run(persona, rows)
    assert result.ok, result.errors
    boiler = Equipment.objects.get(kind="boiler")
    assert list(boiler.operators.all()) == [operators["G1-9"]]


def test_an_unknown_or_unfit_operator_writes_nothing(persona, units):
    certificate(units[SCHOOL_B], "B-1", name="孙七")
    for cell, words in [
        ("孙七", "找不到"),  # another school's
        ("T1", "锅炉作业"),  # the boiler row: a general certificate does not fit
    ]:
        rows = [list(GOOD[0]), list(GOOD[1])]
        rows[1][8] = cell
        result = run(persona, rows)
        assert not result.ok and result.created == 0
        assert result.errors[0].row == 3 and words in result.errors[0].message, result.errors
        assert not Equipment.objects.exists()


def test_an_empty_operators_cell_keeps_them(persona):
    assert run(persona, GOOD).created == 3
    rows = [list(r) for r in GOOD]
    rows[0][8] = ""
    again = run(persona, rows)
    assert again.ok and again.unchanged == 3
    lift = Equipment.objects.get(code="梯11鄂GA0231(24)")
    assert lift.operators.count() == 2
