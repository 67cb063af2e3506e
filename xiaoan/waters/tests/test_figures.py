"""重点水域 on the dashboard (figures equal to counts of the records, the ranking) and on the
home page (unpatrolled waters in season)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from xiaoan.core.todos import todos_for
from xiaoan.reports import rollups
from xiaoan.reports.figures import Branch, Scope
from xiaoan.waters.figures import water_section
from xiaoan.waters.models import Water, WaterPatrol, unpatrolled
from xiaoan.waters.registers import WATERS
from xiaoan.waters.tests.support import BUREAU, DECEMBER, JULY, SCHOOL_A, SCHOOL_B, make, patrol

pytestmark = pytest.mark.django_db


def test_the_dashboard_figures_equal_the_records(persona, units, client_for):
    officer, district = persona("school_a_officer"), persona("district_officer")
    a = make(officer, units[SCHOOL_A])
    make(officer, units[SCHOOL_A], name="无标志", has_signs=False, sign_count=0)
    make(district, units[SCHOOL_B], name="河沟", has_signs=False, sign_count=0)
    patrol(officer, a, problem=True, findings="护栏缺口")
    schools = [units[SCHOOL_A], units[SCHOOL_B]]
    branches = tuple(Branch(s.pk, s.path, s.name, s.kind) for s in schools)
    scope = Scope(district, units[BUREAU], True, timezone.localdate(), branches)
    section = water_section(scope)
    figures = {f.key: f.value for f in section.figures}
    assert figures["total"] == Water.objects.count() == 3
    assert figures["no_signs"] == Water.objects.filter(has_signs=False).count() == 2
    today = timezone.localdate()
    assert figures["unpatrolled"] == Water.objects.filter(unpatrolled(today)).count()
    assert figures["problems"] == WaterPatrol.objects.filter(problem=True).count() == 1
    assert section.branches[units[SCHOOL_A].path]["no_signs"] == 1
    assert section.branches[units[SCHOOL_B].path]["no_signs"] == 1
    page = client_for("district_officer").get(reverse("reports:dashboard"))
    assert page.status_code == 200 and "重点水域" in page.content.decode()
    assert water_section(Scope(persona("expert"), units[SCHOOL_A], False, today)) is None


def test_the_counters_count_unpatrolled_waters_in_season_only(persona, units):
    officer = persona("school_a_officer")
    make(officer, units[SCHOOL_A])
    done = make(officer, units[SCHOOL_A], name="巡过")
    Water.objects.filter(pk=done.pk).update(last_patrolled_on=JULY)
    rows = Water.objects.all()
    july = WATERS.counters(JULY)
    december = WATERS.counters(DECEMBER)
    assert rows.filter(july["unpatrolled"]).count() == 1
    assert rows.filter(december["unpatrolled"]).count() == 0


def test_unpatrolled_waters_are_a_home_to_do_in_season(persona, units, monkeypatch):
    officer = persona("school_a_officer")
    make(officer, units[SCHOOL_A])
    make(persona("district_officer"), units[SCHOOL_B], name="河沟")
    # July: the nightly recount finds both waters unpatrolled in season.
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: JULY)
    rollups.reconcile(WATERS.tally_kind)
    [todo] = [t for t in todos_for(officer) if t.key == "waters.unpatrolled"]
    assert todo.count == 1 and "unpatrolled=true" in todo.url
    district = [t for t in todos_for(persona("district_officer")) if t.key == "waters.unpatrolled"]
    assert not district  # a bureau's officer is not handed every school's waters
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: DECEMBER)
    assert not [t for t in todos_for(officer) if t.key == "waters.unpatrolled"]
