"""Importing waters: every row checked first, linked schools read by name and checked
against the owner's subtree, nothing written when a row is wrong, the export re-imports
unchanged."""

from __future__ import annotations

import io

import pytest

from xiaoan.core.register_sheets import import_items, write
from xiaoan.waters.models import Water
from xiaoan.waters.registers import WATERS
from xiaoan.waters.tests.support import BUREAU, SCHOOL_A, SCHOOL_B, make, sheet

pytestmark = pytest.mark.django_db
TAIHE = "太和镇中心学校"


def test_it_imports_good_rows_with_their_schools(persona):
    rows = [
        [
            BUREAU,
            "梁子湖段",
            "湖泊",
            "沿岸",
            "某村",
            "张",
            "13900000001",
            "是",
            4,
            f"{SCHOOL_A}、{TAIHE}",
        ],
        [SCHOOL_A, "池塘", "池塘", "校东", "某村", "李", "13900000002", "否", 0, SCHOOL_A],
    ]
    result = import_items(WATERS, persona("district_officer"), sheet(rows))
    assert result.ok, result.errors
    assert result.created == 2
    lake = Water.objects.get(name="梁子湖段")
    assert {s.name for s in lake.schools.all()} == {SCHOOL_A, TAIHE} and lake.kind == "lake"


def test_it_writes_nothing_when_a_row_is_wrong(persona):
    rows = [
        [SCHOOL_A, "池塘", "池塘", "校东", "某村", "李", "13900000002", "否", 0, ""],
        [SCHOOL_A, "水库", "海洋", "后山", "某村", "李", "13900000002", "否", 0, ""],
        [SCHOOL_A, "水沟", "沟渠", "后山", "某村", "李", "电话", "否", 0, ""],
        [SCHOOL_B, "河", "河流", "后山", "某村", "李", "13900000002", "否", 0, ""],
    ]
    result = import_items(WATERS, persona("school_a_officer"), sheet(rows))
    assert not result.ok and not Water.objects.exists()
    by_row = {(e.row, e.column) for e in result.errors}
    assert (3, "类型") in by_row
    assert (4, "联系电话") in by_row
    assert (5, "所属单位") in by_row


def test_it_refuses_a_school_outside_the_owner_and_writes_nothing(persona):
    rows = [
        [SCHOOL_A, "池塘", "池塘", "校东", "某村", "李", "13900000002", "否", 0, SCHOOL_A],
        [SCHOOL_A, "鱼塘", "池塘", "校西", "某村", "李", "13900000002", "否", 0, SCHOOL_B],
    ]
    result = import_items(WATERS, persona("school_a_officer"), sheet(rows))
    assert not result.ok and not Water.objects.exists()
    assert SCHOOL_B in str([e.message for e in result.errors])


def test_its_export_re_imports_unchanged(persona, units):
    officer = persona("district_officer")
    item = make(officer, units[BUREAU], schools=[units[SCHOOL_A], units[TAIHE]])
    out = io.BytesIO()
    write(WATERS, [item], out)
    again = import_items(WATERS, officer, out.getvalue())
    assert again.ok, again.errors
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    assert item.schools.count() == 2
