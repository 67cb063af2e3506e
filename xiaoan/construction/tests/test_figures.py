"""校园施工项目 on the dashboard (counters equal to counts of the records, kept as inspections
are submitted), on the home page (the qualification's due date), and in `xiaoan demo`."""

from __future__ import annotations

import pytest

from xiaoan.construction import services
from xiaoan.construction.models import ConstructionProject
from xiaoan.construction.tests.support import SCHOOL_A, SCHOOL_B, days, inspect, make
from xiaoan.core.todos import todos_for
from xiaoan.inspections.tests.support import done
from xiaoan.reports.services import dashboard

pytestmark = pytest.mark.django_db
DISTRICT = "梁子湖区教育局"


def figures(user, unit):
    board = dashboard(user, unit.pk)
    section = next(s for s in board.sections if s.key == "construction_projects")
    return section, {f.key: f for f in section.figures}


def test_the_dashboard_counts_equal_the_records(persona, units, checklist):
    officer, district = persona("school_a_officer"), persona("district_officer")
    a, b = units[SCHOOL_A], units[SCHOOL_B]
    checked = make(officer, a, name="已查")
    make(officer, a, name="无围挡", segregated=False)
    make(officer, a, name="未开工", starts_on=days(5), ends_on=days(50))
    make(officer, a, name="资质过期", qualification_valid_until=days(-2))
    make(district, b, name="东沟无协议", agreement_signed=False, agreement_signed_on=None)
    make(district, b, name="东沟已完工", starts_on=days(-60), ends_on=days(-1))
    today = days(0)
    live = ConstructionProject.objects.filter(retired_at__isnull=True)
    section, found = figures(district, units[DISTRICT])
    assert (
        found["in_progress"].value
        == live.filter(services.status_condition("in_progress", today)).count()
        == 4
    )
    assert found["unsafe"].value == live.filter(services.unsafe(today)).count() == 2
    assert found["expired"].value == live.filter(services.qualification_expired(today)).count() == 1
    assert found["uninspected"].value == live.filter(services.uninspected(today)).count() == 4
    assert sum(v.get("unsafe", 0) for v in section.branches.values()) == 2
    # An inspection submitted on the site recounts its school.
    done(persona, inspect(officer, checked, checklist))
    _section, found = figures(district, units[DISTRICT])
    assert found["uninspected"].value == live.filter(services.uninspected(today)).count() == 3
    _section, mine = figures(officer, a)
    assert mine["unsafe"].value == 1 and mine["uninspected"].value == 2
    teacher = dashboard(persona("school_b_teacher"), b.pk)
    assert "construction_projects" not in {s.key for s in teacher.sections}


def test_an_expiring_qualification_is_a_home_page_to_do(persona, units):
    make(persona("school_a_officer"), units[SCHOOL_A], qualification_valid_until=days(10))
    todos = {t.key: t for t in todos_for(persona("school_a_officer"))}
    assert todos["construction_projects.due"].count == 1
    assert "construction_projects.due" not in {
        t.key for t in todos_for(persona("school_b_teacher"))
    }


def test_the_demo_loads_projects_once(persona, units):
    from xiaoan.construction.demo import load_construction

    assert load_construction() == 4
    assert load_construction() == 0
    assert ConstructionProject.objects.filter(services.unsafe(days(0))).count() == 1
