"""Importing declarations: every row checked first, nothing written when a row is wrong,
imported as drafts, re-import by (school, year) updates (a verified one goes back to draft),
the same sheet again changes nothing."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from xiaoan.core.register_sheets import import_items, write
from xiaoan.security.choices import PostureStatus
from xiaoan.security.models import SecurityPosture
from xiaoan.security.registers import SECURITY_POSTURES
from xiaoan.security.tests.support import SCHOOL_A, SCHOOL_B, sheet, verified, year

pytestmark = pytest.mark.django_db


def row(school=SCHOOL_A, when=None, **over):
    cells = [school, when or year(), "是", 3, "是", "是", "是", "否", "是", "防盗、防火、防踩踏"]
    for index, value in over.items():
        cells[int(index[1:])] = value
    return cells


def test_it_imports_good_rows_as_drafts(persona):
    district = persona("district_officer")
    result = import_items(SECURITY_POSTURES, district, sheet([row(), row(SCHOOL_B)]))
    assert result.ok, result.errors
    assert result.created == 2
    posture = SecurityPosture.objects.get(unit__name=SCHOOL_A)
    assert posture.status == PostureStatus.DRAFT and posture.name == f"{year()}年度安防建设"
    assert posture.measures == ["theft", "fire", "stampede"] and not posture.escort_noon
    assert posture.guards == 3 and posture.guards_required == 3


def test_it_writes_nothing_when_a_row_is_wrong(persona):
    officer = persona("school_a_officer")
    rows = [
        row(),
        row(c2="也许"),  # not 是/否
        row(c9="防盗、防地震"),  # not one of 七防
        row(SCHOOL_B),  # not the officer's school
        row(c3="三"),  # not a number
        row(),  # the same school and year twice
    ]
    result = import_items(SECURITY_POSTURES, officer, sheet(rows))
    assert not result.ok and SecurityPosture.objects.count() == 0
    by_row = {(e.row, e.column) for e in result.errors}
    assert (3, "封闭式管理") in by_row
    assert (4, "七防措施") in by_row
    assert (5, "所属单位") in by_row
    assert (6, "专职保安（人）") in by_row
    assert any(r == 7 for r, _c in by_row)
    assert all(e.message for e in result.errors)


def test_re_import_updates_and_reopens_a_verified_declaration(persona, units):
    officer, district = persona("school_a_officer"), persona("district_officer")
    posture = verified(officer, district, units[SCHOOL_A], escort_noon=False,
                       measures=["theft", "fire", "stampede"])  # fmt: skip
    same = import_items(SECURITY_POSTURES, officer, sheet([row()]))
    assert same.ok and (same.created, same.updated, same.unchanged) == (0, 0, 1)
    posture.refresh_from_db()
    assert posture.status == PostureStatus.VERIFIED  # the same sheet changes nothing
    changed = import_items(SECURITY_POSTURES, officer, sheet([row(c7="是")]))
    assert changed.ok and changed.updated == 1
    posture.refresh_from_db()
    assert posture.escort_noon and posture.status == PostureStatus.DRAFT


def test_an_export_re_imports_unchanged(persona, units):
    officer = persona("school_a_officer")
    import_items(SECURITY_POSTURES, officer, sheet([row()]))
    out = io.BytesIO()
    write(SECURITY_POSTURES, SecurityPosture.objects.all(), out)
    book = load_workbook(io.BytesIO(out.getvalue()))
    cells = [c for r in book.active.iter_rows(values_only=True) for c in r]
    assert "防盗、防火、防踩踏" in cells and "草稿" in cells
    again = import_items(SECURITY_POSTURES, officer, out.getvalue())
    assert again.ok and again.unchanged == 1, again.errors
