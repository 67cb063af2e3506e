"""危房: appraisal C or D raises one major hazard linked to the building, on the 动态清零
board until closed through its loop; a re-appraisal to A/B closes nothing."""

from __future__ import annotations

import pytest

from xiaoan.buildings.models import BuildingFile
from xiaoan.buildings.registers import BUILDINGS
from xiaoan.buildings.tests.support import SCHOOL_A, days, make
from xiaoan.core import registers
from xiaoan.hazards.choices import HazardLevel, HazardStatus
from xiaoan.hazards.models import Hazard
from xiaoan.reports.models import Rollup

pytestmark = pytest.mark.django_db


def test_it_raises_one_major_hazard_for_a_c_grade(persona, units):
    officer = persona("school_a_officer")
    building = make(officer, units[SCHOOL_A], appraisal_grade="C", appraised_on=days(-30))
    hazard = Hazard.objects.get()
    assert hazard.level == HazardLevel.MAJOR and hazard.status == HazardStatus.CONFIRMED
    assert hazard.subject == building and hazard.unit == units[SCHOOL_A]
    assert hazard.is_supervised
    assert building.danger_hazard == hazard
    counters = Rollup.objects.get(kind="hazards", unit=units[SCHOOL_A]).own
    assert counters.get("open_major") == 1
    # Saved again (another field, same appraisal): nothing new.
    registers.update(BUILDINGS, officer, building.pk, {"exits": 3})
    registers.update(BUILDINGS, officer, building.pk, {"appraisal_grade": "D"})
    assert Hazard.objects.count() == 1


def test_it_raises_nothing_for_a_or_b(persona, units):
    make(persona("school_a_officer"), units[SCHOOL_A], appraisal_grade="B", appraised_on=days(-3))
    assert not Hazard.objects.exists()


def test_a_reappraisal_to_b_does_not_close_the_hazard(persona, units):
    officer = persona("school_a_officer")
    building = make(officer, units[SCHOOL_A], appraisal_grade="D", appraised_on=days(-60))
    registers.update(
        BUILDINGS, officer, building.pk, {"appraisal_grade": "B", "appraised_on": days(-1)}
    )
    hazard = Hazard.objects.get()
    assert hazard.is_open and hazard.level == HazardLevel.MAJOR
    assert Rollup.objects.get(kind="hazards", unit=units[SCHOOL_A]).own.get("open_major") == 1


def test_it_raises_again_only_for_a_new_appraisal_after_closure(persona, units):
    officer = persona("school_a_officer")
    building = make(officer, units[SCHOOL_A], appraisal_grade="C", appraised_on=days(-90))
    first = Hazard.objects.get()
    # A new C appraisal while the first hazard is open: still one.
    registers.update(BUILDINGS, officer, building.pk, {"appraised_on": days(-40)})
    assert Hazard.objects.count() == 1
    Hazard.objects.filter(pk=first.pk).update(status=HazardStatus.CLOSED)
    registers.update(BUILDINGS, officer, building.pk, {"appraised_on": days(-2)})
    assert Hazard.objects.count() == 2
    building.refresh_from_db()
    assert building.danger_hazard != first


def test_the_import_raises_it_too(persona):
    from xiaoan.buildings.tests.support import sheet
    from xiaoan.core.register_sheets import import_items

    rows = [[SCHOOL_A, "旧教学楼", "OLD", "教学楼", 3, 10, "D", "2025-01-05"]]
    result = import_items(BUILDINGS, persona("school_a_officer"), sheet(rows))
    assert result.ok and Hazard.objects.get().subject == BuildingFile.objects.get()
    assert import_items(BUILDINGS, persona("school_a_officer"), sheet(rows)).unchanged == 1
    rows[0][4] = 4  # one more floor: updated, still one hazard
    assert import_items(BUILDINGS, persona("school_a_officer"), sheet(rows)).updated == 1
    assert Hazard.objects.count() == 1
