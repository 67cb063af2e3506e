"""Importing certificates: every row checked first (the ID check digit among the rules),
nothing written when a row is wrong, re-import by (unit, kind, number) updates, and an
exported sheet with masked ID numbers re-imports without losing them."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from xiaoan.certificates.models import Certificate
from xiaoan.certificates.registers import CERTIFICATES
from xiaoan.certificates.tests.support import ID_A, ID_B, SCHOOL_A, SCHOOL_B, make, sheet
from xiaoan.core.register_sheets import import_items, write

pytestmark = pytest.mark.django_db
WELD = "特种作业操作证（焊接与热切割作业）"


def test_it_imports_good_rows_with_aliases(persona):
    officer = persona("school_a_officer")
    rows = [
        [SCHOOL_A, "张三", ID_A, "焊工", WELD, "T-1", "应急局", "2030-01-01"],
        [SCHOOL_A, "王阿姨", "", "食堂从业人员", "健康证", "JK-1", "卫健局", "2026/12/31"],
    ]
    header = ["学校", "持证人", "身份证号码", "工种", "证书名称", "证号", "发证单位", "到期日期"]
    result = import_items(CERTIFICATES, officer, sheet(rows, header))
    assert result.ok, result.errors
    assert result.created == 2
    first = Certificate.objects.get(code="T-1")
    assert first.id_number == ID_A and first.kind == "welding" and first.post == "welder"


def test_it_writes_nothing_when_a_row_is_wrong(persona):
    officer = persona("school_a_officer")
    rows = [
        [SCHOOL_A, "张三", ID_A, "焊工", WELD, "T-1"],
        [SCHOOL_A, "李四", ID_A[:17] + ("1" if ID_A[17] != "1" else "2"), "焊工", WELD, "T-2"],
        [SCHOOL_A, "王五", "", "焊工", "驾照", "T-3"],
        [SCHOOL_B, "赵六", "", "焊工", WELD, "T-4"],
        [SCHOOL_A, "张三", "", "焊工", WELD, "T-1"],
    ]
    result = import_items(CERTIFICATES, officer, sheet(rows))
    assert not result.ok and Certificate.objects.count() == 0
    by_row = {(e.row, e.column) for e in result.errors}
    assert (3, "身份证号") in by_row
    assert (4, "证书类别") in by_row
    assert (5, "所属单位") in by_row
    assert (6, "证书编号") in by_row  # the same kind and number twice


def test_it_updates_by_unit_kind_and_number_on_re_import(persona, units):
    officer = persona("school_a_officer")
    make(officer, units[SCHOOL_A], code="T-1", issuer="旧")
    rows = [[SCHOOL_A, "张师傅", ID_A, "焊工", WELD, "T-1", "新发证机关", "2031-01-01"]]
    result = import_items(CERTIFICATES, officer, sheet(rows))
    assert result.ok and (result.created, result.updated) == (0, 1)
    assert Certificate.objects.get(code="T-1").issuer == "新发证机关"
    # Same number, another kind: another certificate.
    rows = [[SCHOOL_A, "张师傅", ID_A, "电工", "特种作业操作证（电工作业）", "T-1"]]
    assert import_items(CERTIFICATES, officer, sheet(rows)).created == 1


def test_it_re_imports_its_own_export_with_masked_numbers(persona, units):
    officer = persona("school_a_officer")
    item = make(officer, units[SCHOOL_A], id_number=ID_B)
    out = io.BytesIO()
    write(CERTIFICATES, [item], out)
    book = load_workbook(io.BytesIO(out.getvalue()))
    assert ID_B not in str([c.value for row in book.active.iter_rows() for c in row])
    result = import_items(CERTIFICATES, officer, out.getvalue())
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)  # the mask kept it
    item.refresh_from_db()
    assert item.id_number == ID_B
    # A masked number that is not this item's is refused, not stored.
    rows = [[SCHOOL_A, "新人", "420702********9999", "焊工", WELD, "NEW-1"]]
    refused = import_items(CERTIFICATES, officer, sheet(rows))
    assert not refused.ok and refused.errors[0].column == "身份证号"
