"""The demo fills the register (once), and the dashboard counts buildings and 危房."""

from __future__ import annotations

import pytest

from xiaoan.buildings.demo import load_buildings
from xiaoan.buildings.models import BuildingFile
from xiaoan.buildings.tests.support import SCHOOL_A, days, make
from xiaoan.hazards.models import Hazard
from xiaoan.reports.services import dashboard

pytestmark = pytest.mark.django_db


def test_the_demo_is_idempotent_and_shows_a_dangerous_building(units):
    made = load_buildings()
    assert made == BuildingFile.objects.count() > 5
    assert load_buildings() == 0
    assert Hazard.objects.filter(level="major", subject_id__isnull=False).count() == 1
    assert BuildingFile.objects.filter(is_high_rise=True).exists()


def test_the_dashboard_counts_buildings_and_dangerous_ones(persona, units):
    officer = persona("school_a_officer")
    make(officer, units[SCHOOL_A])
    make(
        officer,
        units[SCHOOL_A],
        name="旧楼",
        code="OLD",
        appraisal_grade="D",
        appraised_on=days(-9),
    )
    board = dashboard(persona("district_officer"), units["梁子湖区教育局"].pk)
    figures = {f.key: f.value for f in board.sections_by_key["buildings"].figures}
    assert figures["total"] == 2 and figures["dangerous"] == 1
    school = dashboard(officer, units[SCHOOL_A].pk)
    assert {f.key: f.value for f in school.sections_by_key["buildings"].figures}["dangerous"] == 1
