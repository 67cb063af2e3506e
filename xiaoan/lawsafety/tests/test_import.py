"""Importing the three registers: good sheets with aliases, bad sheets refused row by row
with nothing written, re-imports updating by 编号 (or name), and an exported sheet with the
masked phone re-importing without losing it."""

from __future__ import annotations

import io

import pytest

from xiaoan.core.register_sheets import import_items, write
from xiaoan.lawsafety.models import Counsellor, LegalVicePrincipal, PoliceRoom
from xiaoan.lawsafety.registers import COUNSELLORS, LEGAL_VICE_PRINCIPALS, POLICE_ROOMS
from xiaoan.lawsafety.tests.support import PHONE, SCHOOL_A, SCHOOL_B, make_principal, sheet

pytestmark = pytest.mark.django_db
LVP_HEADER = [
    "学校",
    "姓名",
    "聘书编号",
    "单位类别",
    "工作单位",
    "电话",
    "聘任时间",
    "聘期至",
]


def test_it_imports_legal_vice_principals_with_aliases(persona):
    rows = [
        [SCHOOL_A, "陈志刚", "FZ-1", "派出所", "梁子派出所", PHONE, "2024-09-01", "2027/8/31"],
        [SCHOOL_A, "王丽", "FZ-2", "检察院", "区检察院", "", "2025年3月1日", None],
    ]
    result = import_items(
        LEGAL_VICE_PRINCIPALS, persona("school_a_officer"), sheet(LVP_HEADER, rows)
    )
    assert result.ok, result.errors
    assert result.created == 2
    first = LegalVicePrincipal.objects.get(code="FZ-1")
    assert first.phone == PHONE and first.employer_kind == "police_station"


def test_it_writes_nothing_when_a_row_is_wrong(persona):
    rows = [
        [SCHOOL_A, "陈志刚", "FZ-1", "派出所", "梁子派出所", PHONE, "2024-09-01", "2027-08-31"],
        [SCHOOL_A, "李四", "FZ-2", "部队", "某部", "", "2024-09-01", None],
        [SCHOOL_A, "王五", "FZ-3", "法院", "法院", "123", "2024-09-01", None],
        [SCHOOL_B, "赵六", "FZ-4", "法院", "法院", "", "2024-09-01", None],
        [SCHOOL_A, "钱七", "FZ-5", "法院", "法院", "", "2024-09-01", "2023-01-01"],
    ]
    result = import_items(
        LEGAL_VICE_PRINCIPALS, persona("school_a_officer"), sheet(LVP_HEADER, rows)
    )
    assert not result.ok and LegalVicePrincipal.objects.count() == 0
    by_row = {(e.row, e.column) for e in result.errors}
    assert (3, "派出单位类别") in by_row
    assert (4, "联系电话") in by_row
    assert (5, "所属单位") in by_row
    assert (6, "聘期至") in by_row


def test_it_re_imports_its_own_export_with_the_masked_phone(persona, units):
    officer = persona("school_a_officer")
    item = make_principal(officer, units[SCHOOL_A], code="FZ-9")
    out = io.BytesIO()
    write(LEGAL_VICE_PRINCIPALS, [item], out)
    assert PHONE.encode() not in out.getvalue()
    result = import_items(LEGAL_VICE_PRINCIPALS, officer, out.getvalue())
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)
    item.refresh_from_db()
    assert item.phone == PHONE


def test_it_imports_police_rooms_and_refuses_bad_rows(persona):
    officer = persona("school_a_officer")
    header = ["单位", "警务室", "地点", "派出所", "民警", "值班时间", "上学值守", "放学值守"]
    good = [[SCHOOL_A, "校园警务室", "正门", "梁子派出所", "张警官", "7:00~19:00", "是", "否"]]
    result = import_items(POLICE_ROOMS, officer, sheet(header, good))
    assert result.ok, result.errors
    room = PoliceRoom.objects.get()
    assert room.duty_hours == "7:00–19:00" and room.staffed_arrival and not room.staffed_dismissal
    bad = [
        [SCHOOL_A, "二号", "北门", "梁子派出所", "李警官", "19:00-7:00", "是", "是"],
        [SCHOOL_A, "三号", "", "梁子派出所", "李警官", "7:00-19:00", "是", "是"],
    ]
    refused = import_items(POLICE_ROOMS, officer, sheet(header, bad))
    assert not refused.ok and PoliceRoom.objects.count() == 1
    by_row = {(e.row, e.column) for e in refused.errors}
    assert (2, "值守时间") in by_row and (3, "位置") in by_row


def test_it_imports_counsellors_and_updates_by_name_without_a_number(persona):
    officer = persona("school_a_officer")
    header = ["学校", "教师姓名", "专职/兼职", "证书名称", "证号", "有效期至", "周课时"]
    rows = [
        [SCHOOL_A, "孙晓梅", "专职", "心理健康教育教师资格证（B证）", "B-1", "2030-06-30", 16],
        [SCHOOL_A, "马俊", "兼职", "", "", None, 4],
    ]
    result = import_items(COUNSELLORS, officer, sheet(header, rows))
    assert result.ok and result.created == 2, result.errors
    again = [[SCHOOL_A, "马俊", "专职", "", "", None, 12]]
    result = import_items(COUNSELLORS, officer, sheet(header, again))
    assert result.ok and result.updated == 1, result.errors
    assert Counsellor.objects.get(name="马俊").employment == "full_time"
    bad = [[SCHOOL_A, "何静", "临时", "", "", None, 99]]
    refused = import_items(COUNSELLORS, officer, sheet(header, bad))
    by_row = {(e.row, e.column) for e in refused.errors}
    assert (2, "专兼职") in by_row and Counsellor.objects.count() == 2
