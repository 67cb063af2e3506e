"""Importing construction projects: every row checked first, nothing written when a row is
wrong, 是/否 read for the flags, and the exported sheet re-imports unchanged."""

from __future__ import annotations

import io

import pytest

from xiaoan.construction.models import ConstructionProject
from xiaoan.construction.registers import PROJECTS
from xiaoan.construction.tests.support import SCHOOL_A, SCHOOL_B, make, sheet
from xiaoan.core.register_sheets import import_items, write

pytestmark = pytest.mark.django_db
BASE = [SCHOOL_A, "围墙", "东墙", "太和建筑队", "孙工", "138"]


def test_it_imports_good_rows(persona):
    officer = persona("school_a_officer")
    rows = [
        [*BASE, "2030-01-01", "2030/2/1", "是", "是", "2029年12月20日"],
        [SCHOOL_A, "跑道", "田径场", "体建公司", "郑工", "139", "2030-03-01", "2030-05-01", "否"],
    ]
    result = import_items(PROJECTS, officer, sheet(rows))
    assert result.ok, result.errors
    assert result.created == 2
    wall = ConstructionProject.objects.get(name="围墙")
    assert (
        wall.segregated and wall.agreement_signed and str(wall.agreement_signed_on) == "2029-12-20"
    )
    again = import_items(PROJECTS, officer, sheet(rows))
    assert again.ok and again.unchanged == 2


def test_it_writes_nothing_when_a_row_is_wrong(persona):
    officer = persona("school_a_officer")
    rows = [
        [*BASE, "2030-01-01", "2030-02-01"],
        [SCHOOL_A, "跑道", "田径场", "体建公司", "郑工", "139", "2030-03-01", "2030-01-01"],
        [SCHOOL_B, "厕所", "东侧", "建筑队", "孙工", "137", "2030-01-01", "2030-02-01"],
        [SCHOOL_A, "外墙", "教学楼", "装饰公司", "吴工", "136", "不是日期", "2030-02-01"],
        [SCHOOL_A, "", "食堂", "某公司", "李工", "135", "2030-01-01", "2030-02-01", "也许"],
    ]
    result = import_items(PROJECTS, officer, sheet(rows))
    assert not result.ok and ConstructionProject.objects.count() == 0
    by_row = {(e.row, e.column) for e in result.errors}
    assert (3, "计划完工日期") in by_row
    assert (4, "所属单位") in by_row
    assert (5, "开工日期") in by_row
    assert (6, "硬质围挡隔离") in by_row


def test_the_export_reimports_unchanged(persona, units):
    officer = persona("school_a_officer")
    project = make(officer, units[SCHOOL_A])
    out = io.BytesIO()
    write(PROJECTS, ConstructionProject.objects.filter(pk=project.pk), out)
    result = import_items(PROJECTS, officer, out.getvalue())
    assert result.ok, result.errors
    assert result.unchanged == 1 and ConstructionProject.objects.count() == 1
