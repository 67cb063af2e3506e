"""家校交通安全责任书 on the dashboard (this semester only), the to-dos and the demo."""

from __future__ import annotations

import pytest
from django.db.models import F, Sum

from xiaoan.core.todos import todos_for
from xiaoan.reports.services import dashboard
from xiaoan.traffic.models import TrafficAgreement
from xiaoan.traffic.tests.support import SCHOOL_A, SCHOOL_B, days, make

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(persona, units):
    officer, district = persona("school_a_officer"), persona("district_officer")
    make(officer, units[SCHOOL_A], name="高一(1)班", pupils=50, returned=50, returned_by=days(3))
    make(officer, units[SCHOOL_A], name="高一(2)班", pupils=40, returned=30, returned_by=days(3))
    make(district, units[SCHOOL_B], name="一年级(1)班", pupils=30, returned=15)
    # Another semester: not this semester's figures.
    make(officer, units[SCHOOL_A], name="高一(1)班", semester="2000-2001学年第一学期")


def figures(user, unit=None):
    board = dashboard(user, unit.pk if unit else None)
    section = board.sections_by_key.get("traffic_agreements")
    return board, ({f.key: f for f in section.figures} if section else None)


def test_the_dashboard_sums_pupils_and_returned_per_scope(persona, units, items):
    from xiaoan.traffic.tests.support import current

    rows = TrafficAgreement.objects.filter(semester=current())
    sums = rows.aggregate(p=Sum("pupils"), r=Sum("returned"))
    board, found = figures(persona("district_officer"))
    assert found["classes"].value == rows.count() == 3
    assert found["pupils"].value == sums["p"] == 120
    assert found["share"].value == round(100 * sums["r"] / sums["p"], 1) == 79.2
    assert found["share"].bad
    assert found["below"].value == rows.filter(returned__lt=F("pupils")).count() == 2
    ranked = board.sections_by_key["traffic_agreements"].branches
    shares = sorted(v["share"] for v in ranked.values() if v["share"] is not None)
    assert shares == [50.0, 88.9]  # 东沟 15/30; 梁子湖 80/90
    _board, school = figures(persona("school_a_officer"), units[SCHOOL_A])
    assert (school["classes"].value, school["pupils"].value) == (2, 90)
    assert school["share"].value == 88.9 and "incomplete=true" in school["below"].url


def test_the_dashboard_leaves_it_out_for_those_who_may_not_see_it(persona, units, items):
    _board, found = figures(persona("school_b_teacher"), units[SCHOOL_B])
    assert found is None


def test_classes_missing_agreements_are_todos_until_all_are_back(persona, units, items):
    todo = {t.key: t for t in todos_for(persona("school_a_officer"))}["traffic_agreements.due"]
    # The complete class has nothing due; the other is due in three days.
    assert (todo.count, todo.late) == (1, 0)
    assert "traffic_agreements.due" not in {t.key for t in todos_for(persona("auditor"))}


def test_the_demo_fills_the_register_once(db):
    from xiaoan.traffic.demo import load_traffic

    assert load_traffic() == TrafficAgreement.objects.count() == 5
    assert load_traffic() == 0
