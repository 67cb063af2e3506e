"""Importing vehicles: every row checked first, nothing written when a row is wrong,
re-import by plate updates, and an exported sheet re-imports unchanged."""

from __future__ import annotations

import io

import pytest

from xiaoan.core.register_sheets import import_items, write
from xiaoan.vehicles.models import CampusVehicle
from xiaoan.vehicles.registers import CAMPUS_VEHICLES
from xiaoan.vehicles.tests.support import SCHOOL_A, SCHOOL_B, days, make, sheet

pytestmark = pytest.mark.django_db


def test_it_imports_good_rows_with_aliases(persona):
    officer = persona("school_a_officer")
    header = ["学校", "车牌", "车辆类型", "车主", "手机", "有效期至", "通行时段"]
    rows = [
        [SCHOOL_A, "鄂GA0001", "教职工车辆", "王老师", "139", None, "07:00-19:00"],
        [SCHOOL_A, "鄂GA0002", "服务车辆（送餐、维修等）", "张师傅", "", "2030/1/1", ""],
        [SCHOOL_A, "鄂州E001", "电动自行车", "陈老师", "", None, ""],
    ]
    result = import_items(CAMPUS_VEHICLES, officer, sheet(rows, header))
    assert result.ok, result.errors
    assert result.created == 3
    service = CampusVehicle.objects.get(name="鄂GA0002")
    assert service.vehicle_class == "service" and service.status == "allowed"
    assert str(service.valid_until) == "2030-01-01"


def test_it_writes_nothing_when_a_row_is_wrong(persona):
    officer = persona("school_a_officer")
    rows = [
        [SCHOOL_A, "鄂GA0001", "教职工车辆", "王老师", "", None],
        [SCHOOL_A, "鄂GA0002", "卡车", "某人", "", None],
        [SCHOOL_A, "鄂GA0003", "访客车辆", "访客", "", None],
        [SCHOOL_B, "鄂GA0004", "教职工车辆", "外校", "", None],
        [SCHOOL_A, "鄂GA0001", "教职工车辆", "重复", "", None],
        [SCHOOL_A, "鄂GA0005", "教职工车辆", "", "", None],
        [SCHOOL_A, "鄂GA0006", "教职工车辆", "丙", "", "明天"],
    ]
    result = import_items(CAMPUS_VEHICLES, officer, sheet(rows))
    assert not result.ok and CampusVehicle.objects.count() == 0
    by_row = {(e.row, e.column) for e in result.errors}
    assert (3, "车辆类别") in by_row
    assert (4, "通行有效期至") in by_row
    assert (5, "所属单位") in by_row
    assert (6, "车牌号") in by_row  # the same plate twice
    assert (7, "车主/驾驶人") in by_row and (8, "通行有效期至") in by_row


def test_it_updates_by_plate_and_re_imports_its_export(persona, units):
    officer = persona("school_a_officer")
    car = make(officer, units[SCHOOL_A], vehicle_class="visitor", valid_until=days(10))
    rows = [[SCHOOL_A, "鄂GA1234", "访客车辆", "王老师", "13900000000", "2031-01-01"]]
    result = import_items(CAMPUS_VEHICLES, officer, sheet(rows))
    assert result.ok and (result.created, result.updated) == (0, 1)
    car.refresh_from_db()
    assert car.phone == "13900000000" and str(car.valid_until) == "2031-01-01"
    out = io.BytesIO()
    write(CAMPUS_VEHICLES, [car], out)
    again = import_items(CAMPUS_VEHICLES, officer, out.getvalue())
    assert again.ok, again.errors
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
