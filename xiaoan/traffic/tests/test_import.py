"""Importing 交通安全责任书, the main way schools fill it (one row per class): every row
checked first, nothing written when a row is wrong, re-import by class and semester
updates, and an exported sheet re-imports unchanged."""

from __future__ import annotations

import io

import pytest

from xiaoan.core.register_sheets import import_items, write
from xiaoan.traffic.models import TrafficAgreement
from xiaoan.traffic.registers import TRAFFIC_AGREEMENTS
from xiaoan.traffic.tests.support import SCHOOL_A, SCHOOL_B, make, sheet

pytestmark = pytest.mark.django_db
SEM = "2026-2027学年第一学期"


def test_it_imports_good_rows_with_aliases(persona):
    officer = persona("school_a_officer")
    header = ["学校", "学年学期", "年级", "班级名称", "人数", "已回收", "截止日期"]
    rows = [
        [SCHOOL_A, SEM, "高一", "高一(1)班", 50, 50, "2026-09-30"],
        [SCHOOL_A, SEM, "高一", "高一(2)班", 48, 40, "2026/9/30"],
    ]
    result = import_items(TRAFFIC_AGREEMENTS, officer, sheet(rows, header))
    assert result.ok, result.errors
    assert result.created == 2
    second = TrafficAgreement.objects.get(name="高一(2)班")
    assert second.share == 83 and second.open_due_on is not None


def test_it_writes_nothing_when_a_row_is_wrong(persona):
    officer = persona("school_a_officer")
    rows = [
        [SCHOOL_A, SEM, "高一", "高一(1)班", 50, 50],
        [SCHOOL_A, "2026年秋季", "高一", "高一(2)班", 50, 50],
        [SCHOOL_A, SEM, "高一", "高一(3)班", 50, 60],
        [SCHOOL_B, SEM, "一年级", "一年级(1)班", 30, 30],
        [SCHOOL_A, SEM, "高一", "高一(1)班", 50, 49],
        [SCHOOL_A, SEM, "高一", "高一(4)班", "四十", 40],
    ]
    result = import_items(TRAFFIC_AGREEMENTS, officer, sheet(rows))
    assert not result.ok and TrafficAgreement.objects.count() == 0
    by_row = {(e.row, e.column) for e in result.errors}
    assert (3, "学期") in by_row
    assert (4, "已回收责任书") in by_row
    assert (5, "所属单位") in by_row
    assert (6, "班级") in by_row  # the same class and semester twice
    assert (7, "班级学生数") in by_row


def test_it_updates_by_class_and_semester_and_re_imports_its_export(persona, units):
    officer = persona("school_a_officer")
    item = make(officer, units[SCHOOL_A], semester=SEM, returned=10)
    rows = [[SCHOOL_A, SEM, "高一", "高一(1)班", 50, 50]]
    result = import_items(TRAFFIC_AGREEMENTS, officer, sheet(rows))
    assert result.ok and (result.created, result.updated) == (0, 1)
    item.refresh_from_db()
    assert item.returned == 50 and item.share == 100
    out = io.BytesIO()
    write(TRAFFIC_AGREEMENTS, [item], out)
    again = import_items(TRAFFIC_AGREEMENTS, officer, out.getvalue())
    assert again.ok, again.errors
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
