"""The bus register's Excel import: devices as 是/否, drivers and escorts by name or
certificate number among the unit's certificates, every row checked first with a per-row
report, nothing written when a row is wrong, re-import by plate updates; export renders
the crew as "姓名（证号）"."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from xiaoan.buses.models import Bus
from xiaoan.buses.registers import BUSES
from xiaoan.buses.tests.support import SCHOOL_A, SCHOOL_B, cert, sheet
from xiaoan.core.errors import Forbidden
from xiaoan.core.register_sheets import export_response, import_items

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def crew(persona, units):
    officer = persona("school_a_officer")
    school = units[SCHOOL_A]
    return {
        "D1": cert(officer, school, "张国庆", "D1"),
        "D2": cert(officer, school, "李卫东", "D2"),
        "Z1": cert(officer, school, "王秀英", "Z1", escort=True),
        "Z2": cert(officer, school, "王秀英", "Z2", escort=True),
    }


def run(persona, rows, header=None, name="school_a_officer", **kw):
    return import_items(BUSES, persona(name), sheet(rows, header), **kw)


GOOD = [
    [SCHOOL_A, "鄂GA1001", 45, "本校", "2027-03-01", "是", "是", "否", "张国庆", "王秀英（Z1）"],
    [SCHOOL_A, "鄂GA1002", 35, "安达校车公司", dt.date(2026, 12, 1), "否", "否", "否", "D2", ""],
]  # fmt: skip


def test_it_imports_good_rows(persona, crew):
    result = run(persona, GOOD)
    assert result.ok and result.created == 2, result.errors
    first = Bus.objects.get(plate="鄂GA1001")
    assert (first.has_monitoring, first.has_face_recognition, first.has_infrared) == (
        True,
        True,
        False,
    )
    assert first.permit_valid_until == dt.date(2027, 3, 1) and first.name == "鄂GA1001"
    assert list(first.drivers.all()) == [crew["D1"]] and list(first.escorts.all()) == [crew["Z1"]]
    second = Bus.objects.get(plate="鄂GA1002")
    assert list(second.drivers.all()) == [crew["D2"]] and not second.escorts.exists()


def test_it_updates_on_reimport_by_plate_and_the_same_sheet_changes_nothing(persona):
    assert run(persona, GOOD).created == 2
    again = run(persona, GOOD)
    assert again.ok and (again.created, again.updated, again.unchanged) == (0, 0, 2)
    rows = [list(r) for r in GOOD]
    rows[1][7] = "是"  # infrared fitted since
    rows[1][1] = "鄂G·A1002"  # the plate as a school may write it: the same bus
    result = run(persona, rows)
    assert result.ok and (result.created, result.updated) == (0, 1)
    assert Bus.objects.count() == 2 and Bus.objects.get(plate="鄂GA1002").has_infrared


@pytest.mark.parametrize(
    "change,column",
    [
        ({1: "123"}, "车牌号"),
        ({2: 300}, "核定载客人数"),
        ({4: "明年"}, "许可有效期至"),
        ({0: SCHOOL_B}, "所属单位"),
        ({8: "无名氏"}, "驾驶人"),
        ({8: "王秀英"}, "驾驶人"),  # an escort is no driver
        ({9: "王秀英"}, "随车照管员"),  # two escorts of that name: ambiguous
        ({9: "张国庆"}, "随车照管员"),  # a driver is no escort
    ],
)
# Errors name the register's own header, whatever the school's sheet called the column.
def test_a_wrong_row_writes_nothing(persona, change, column):
    rows = [list(r) for r in GOOD]
    for index, value in change.items():
        rows[1][index] = value
    result = run(persona, rows)
    assert not result.ok and result.created == 0
    assert [(e.row, e.column) for e in result.errors][:1] == [(3, column)], result.errors
    assert not Bus.objects.exists()


def test_a_plate_twice_in_the_sheet_is_refused(persona):
    rows = [list(GOOD[0]), list(GOOD[0])]
    result = run(persona, rows)
    assert not result.ok and "重复" in result.errors[0].message
    assert not Bus.objects.exists()


def test_it_refuses_people_who_may_not_add(persona):
    for name in ("auditor", "school_b_teacher"):
        with pytest.raises(Forbidden):
            run(persona, GOOD, name=name)


def test_the_export_writes_devices_and_crew_and_reads_back_unchanged(persona):
    assert run(persona, GOOD).created == 2
    user = persona("school_a_officer")
    response = export_response(BUSES, BUSES.queryset(user))
    exported = b"".join(response.streaming_content)
    rows = list(load_workbook(io.BytesIO(exported)).active.iter_rows(values_only=True))
    header = next(r for r in rows if "车牌号" in r)
    first = dict(zip(header, next(r for r in rows if "鄂GA1001" in r), strict=False))
    assert first["人脸识别"] == "是" and first["红外生命探测"] == "否"
    assert first["驾驶人"] == "张国庆（D1）" and first["随车照管员"] == "王秀英（Z1）"
    again = import_items(BUSES, user, exported)
    assert again.ok and again.unchanged == 2 and again.updated == again.created == 0
