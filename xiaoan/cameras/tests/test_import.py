"""Importing camera points: every row checked first, nothing written when one is wrong, the
name made by the rule, re-import by name updates, the export re-imports unchanged."""

from __future__ import annotations

import io

import pytest

from xiaoan.cameras.models import Camera
from xiaoan.cameras.registers import CAMERAS
from xiaoan.cameras.tests.support import CAMERA_HEADER, SCHOOL_A, SCHOOL_B, camera, sheet
from xiaoan.core.register_sheets import import_items, write

pytestmark = pytest.mark.django_db


def test_it_imports_good_rows_with_aliases(persona):
    rows = [
        [SCHOOL_A, "南校门", "朝南", "", "校门", "是", "是", "正常"],
        [SCHOOL_A, "宿舍楼", "朝东", f"{SCHOOL_A}-1号宿舍-朝东", "宿舍", "否", "否", "故障"],
    ]
    header = ["学校", "位置", "方向", "名称", "覆盖部位", "联网上级平台", "联网公安", "状态"]
    result = import_items(CAMERAS, persona("school_a_officer"), sheet(rows, header))
    assert result.ok, result.errors
    assert result.created == 2
    dorm = Camera.objects.get(key_area="dormitory")
    assert dorm.name == f"{SCHOOL_A}-1号宿舍-朝东" and dorm.status == "faulty"
    assert Camera.objects.get(key_area="gate").police_connected is True


def test_it_writes_nothing_when_a_row_is_wrong(persona):
    rows = [
        [SCHOOL_A, "南校门", "朝南", "", "校门", "是", "正常"],
        [SCHOOL_A, "北门", "朝北", "北门摄像头", "校门", "是", "正常"],
        [SCHOOL_A, "操场", "朝北", "", "操场", "是", "正常"],
        [SCHOOL_B, "校门", "朝北", "", "校门", "是", "正常"],
    ]
    result = import_items(CAMERAS, persona("school_a_officer"), sheet(rows, CAMERA_HEADER))
    assert not result.ok and not Camera.objects.exists()
    by_row = {(e.row, e.column) for e in result.errors}
    assert (3, "点位名称") in by_row
    assert (4, "重点部位") in by_row
    assert (5, "所属单位") in by_row


def test_it_updates_on_re_import_and_keeps_its_export(persona, units):
    officer = persona("school_a_officer")
    item = camera(officer, units[SCHOOL_A])
    out = io.BytesIO()
    write(CAMERAS, [item], out)
    again = import_items(CAMERAS, officer, out.getvalue())
    assert again.ok and (again.created, again.updated, again.unchanged) == (0, 0, 1)
    rows = [[SCHOOL_A, "南校门", "朝南", item.name, "校门", "否", "故障"]]
    changed = import_items(CAMERAS, officer, sheet(rows, CAMERA_HEADER))
    assert changed.ok and changed.updated == 1
    item.refresh_from_db()
    assert item.status == "faulty" and not item.platform_connected
