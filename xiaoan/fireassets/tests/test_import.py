"""A school's own extinguisher sheet: numbered, not named, headers in their words; every
row checked first, nothing written when one is wrong, re-import updates."""

from __future__ import annotations

import datetime as dt

import pytest

from xiaoan.core.errors import Invalid
from xiaoan.core.register_sheets import import_items
from xiaoan.fireassets.models import FireAsset
from xiaoan.fireassets.registers import FIRE_ASSETS
from xiaoan.fireassets.tests.support import SCHOOL_A, SCHOOL_B, place, sheet
from xiaoan.hazards.models import Hazard

pytestmark = pytest.mark.django_db


def run(persona, rows, header=None, name="school_a_officer", **kw):
    return import_items(FIRE_ASSETS, persona(name), sheet(rows, header), **kw)


def test_it_imports_a_sheet_without_names_in_the_schools_words(persona, units):
    place(units[SCHOOL_A], "实验楼")
    header = [
        "所属单位",
        "器材类别",
        "器材编号",
        "灭火剂类型",
        "规格",
        "楼栋",
        "放置位置",
        "报废期限",
    ]
    rows = [
        [SCHOOL_A, "灭火器", "MHQ-1", "干粉", "4kg", "实验楼", "一楼东", "2030/5/1"],
        [SCHOOL_A, "灭火器", "MHQ-2", "泡沫", "6L", "实验楼", "一楼西", "2030年5月1日"],
        [SCHOOL_A, "火灾探测器", "YG-1", "烟感", "", "实验楼", "走廊", ""],
        [SCHOOL_A, "微型消防站", "WXZ", "", "", "", "门卫室旁", ""],
    ]
    result = run(persona, rows, header)
    assert result.ok and result.created == 4, result.errors
    first = FireAsset.objects.get(code="MHQ-1")
    assert first.name == "灭火器 MHQ-1" and first.expires_on == dt.date(2030, 5, 1)
    assert first.place.name == "实验楼" and first.position == "一楼东"
    assert FireAsset.objects.get(code="YG-1").asset_type == "smoke"


def test_a_wrong_row_writes_nothing_and_is_reported(persona):
    rows = [
        [SCHOOL_A, "灭火器", "MHQ-1", "干粉", "4kg", "一楼", "2030-01-01"],
        [SCHOOL_A, "灭火器", "MHQ-2", "烟感", "4kg", "二楼", "2030-01-01"],  # wrong type
        [SCHOOL_B, "灭火器", "MHQ-3", "干粉", "4kg", "三楼", "2030-01-01"],  # not theirs
        [SCHOOL_A, "灭火器", "MHQ-1", "干粉", "4kg", "一楼", "2030-01-01"],  # twice
        [SCHOOL_A, "火箭", "MHQ-4", "干粉", "4kg", "一楼", "2030-01-01"],  # no such kind
    ]
    result = run(persona, rows)
    assert not result.ok and sorted({e.row for e in result.errors}) == [3, 4, 5, 6]
    assert not FireAsset.objects.exists()
    with pytest.raises(Invalid):
        run(persona, [[SCHOOL_A, "", "", "", "", "", ""]], header=["所属单位", "规格"])


def test_reimport_updates_by_code(persona):
    rows = [[SCHOOL_A, "灭火器", "MHQ-1", "干粉", "4kg", "一楼", "2030-01-01"]]
    assert run(persona, rows).created == 1
    rows[0][4] = "5kg"
    again = run(persona, rows)
    assert again.updated == 1 and again.created == 0
    assert FireAsset.objects.get().capacity == "5kg"


def test_an_imported_expired_extinguisher_is_a_hazard_once(persona):
    rows = [[SCHOOL_A, "灭火器", "OLD-1", "干粉", "4kg", "一楼", "2020-01-01"]]
    assert run(persona, rows).ok
    assert Hazard.objects.get().subject == FireAsset.objects.get()
    assert run(persona, rows).unchanged == 1 and Hazard.objects.count() == 1
    rows[0][4] = "5kg"  # updated, still expired: its hazard was raised for that date
    assert run(persona, rows).updated == 1 and Hazard.objects.count() == 1
