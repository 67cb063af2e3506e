"""The boarding-sprinklers indicator computed from the dormitories' building files."""

from __future__ import annotations

from decimal import Decimal

import pytest

from xiaoan.buildings.tests.support import SCHOOL_A, make
from xiaoan.indicators import values
from xiaoan.indicators.models import Indicator

pytestmark = pytest.mark.django_db


def _cell(unit, year=2026):
    board = values.board(unit, year, indicators=[Indicator.objects.get(code="boarding-sprinklers")])
    return board.cells[0]


def test_it_counts_dormitories_with_both_alarm_and_sprinklers(persona, units):
    officer = persona("school_a_officer")
    school = units[SCHOOL_A]  # a boarding school
    assert _cell(school).value is None  # no dormitory on file: missing, not 0
    make(
        officer,
        school,
        name="宿舍A",
        code="SS-A",
        use="dormitory",
        fire_alarm=True,
        sprinklers=True,
    )
    make(officer, school, name="宿舍B", code="SS-B", use="dormitory", fire_alarm=True)
    make(officer, school, name="教学楼", code="JX-9", use="teaching")  # not a dormitory
    assert _cell(school).value == Decimal("50.00")
    district = _cell(units["梁子湖区教育局"])
    assert district.counted == 1 and district.value == Decimal("0.00")  # 0 of 7 meet 100%
