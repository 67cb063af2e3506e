"""重点水域 rules through the services: the owner's fields checked, linked schools within
the owner's subtree, patrols moving the last patrol on, a problem raising one hazard, the
season's 14-day rule."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from xiaoan.core import history, registers
from xiaoan.core.errors import Conflict, Forbidden, Invalid, NotFound
from xiaoan.waters.models import Water, WaterPatrol, in_season, unpatrolled
from xiaoan.waters.registers import WATERS
from xiaoan.waters.tests.support import (
    BUREAU,
    DECEMBER,
    JULY,
    SCHOOL_A,
    SCHOOL_B,
    days,
    make,
    patrol,
)

pytestmark = pytest.mark.django_db


def test_it_checks_signs_phone_and_coordinates(persona, units):
    officer = persona("school_a_officer")
    for fields, name in (
        ({"has_signs": True, "sign_count": 0}, "sign_count"),
        ({"has_signs": False, "sign_count": 3}, "has_signs"),
        ({"contact_phone": "call me"}, "contact_phone"),
        ({"latitude": Decimal("91"), "longitude": Decimal("114")}, "latitude"),
        ({"latitude": Decimal("30.1")}, "longitude"),
        ({"kind": "sea"}, "kind"),
    ):
        with pytest.raises(Invalid) as refused:
            make(officer, units[SCHOOL_A], **fields)
        assert name in refused.value.fields, fields
    assert not Water.objects.exists()
    ok = make(officer, units[SCHOOL_A], latitude=Decimal("30.1"), longitude=Decimal("114.6"))
    assert ok.latitude == Decimal("30.1")


def test_it_links_schools_within_the_owners_subtree(persona, units):
    district, officer = persona("district_officer"), persona("school_a_officer")
    water = make(district, units[BUREAU], schools=[units[SCHOOL_A], units[SCHOOL_B]])
    assert {s.name for s in water.schools.all()} == {SCHOOL_A, SCHOOL_B}
    with pytest.raises(Invalid) as refused:
        make(officer, units[SCHOOL_A], name="另一处", schools=[units[SCHOOL_A], units[SCHOOL_B]])
    assert "schools" in refused.value.fields and SCHOOL_B in refused.value.fields["schools"][0]
    assert Water.objects.count() == 1  # nothing half-written
    own = make(officer, units["政教处"], name="校内池塘", schools=[units[SCHOOL_A]])
    assert list(own.schools.all()) == [units[SCHOOL_A]]
    registers.update(WATERS, district, water.pk, {"note": "改备注"})
    assert water.schools.count() == 2  # left alone when the data names none
    registers.update(WATERS, district, water.pk, {"schools": []})
    assert water.schools.count() == 0
    # Links are no history fields: the change log says who changed them, to what.
    reasons = [e.reason for e in history.entries_for(water)]
    assert reasons[0] == "关联学校：无" and reasons[1] == ""  # the note's change
    assert reasons[2] in (f"关联学校：{SCHOOL_A}、{SCHOOL_B}", f"关联学校：{SCHOOL_B}、{SCHOOL_A}")


def test_it_refuses_outside_the_scope_without_the_right_and_once_retired(persona, units):
    officer = persona("school_a_officer")
    with pytest.raises(Invalid) as outside:
        make(officer, units[SCHOOL_B])
    assert "unit" in outside.value.fields
    with pytest.raises(Forbidden):
        make(persona("auditor"), units[SCHOOL_A])
    other = make(persona("district_officer"), units[SCHOOL_B])
    with pytest.raises(NotFound):
        registers.update(WATERS, officer, other.pk, {"note": "x"})
    item = make(officer, units[SCHOOL_A])
    registers.retire(WATERS, officer, item.pk, reason="已填埋")
    with pytest.raises(Conflict):
        registers.update(WATERS, officer, item.pk, {"note": "x"})


def test_it_keeps_the_history(persona, units):
    officer = persona("school_a_officer")
    item = make(officer, units[SCHOOL_A])
    registers.update(WATERS, officer, item.pk, {"contact_person": "赵村长"})
    changes = [(str(c.field), c.new) for e in history.entries_for(item) for c in e.changes]
    assert any("赵村长" in str(new) for _f, new in changes)


def test_a_patrol_moves_the_last_patrol_on(persona, units):
    officer = persona("school_a_officer")
    water = make(officer, units[SCHOOL_A])
    patrol(officer, water, patrolled_on=days(-3))
    patrol(officer, water, patrolled_on=days(-10))  # an older one logged late
    water.refresh_from_db()
    assert water.last_patrolled_on == days(-3)
    assert WaterPatrol.objects.filter(water=water).count() == 2


def test_a_patrol_is_refused_with_reasons_and_nothing_written(persona, units):
    officer = persona("school_a_officer")
    water = make(officer, units[SCHOOL_A])
    for fields, name in (
        ({"patrolled_on": days(1)}, "patrolled_on"),
        ({"patrolled_on": None}, "patrolled_on"),
        ({"patroller": " "}, "patroller"),
        ({"problem": True, "findings": ""}, "findings"),
        ({"signs_ok": False, "findings": ""}, "findings"),
        ({"raise_hazard": True}, "raise_hazard"),
    ):
        with pytest.raises(Invalid) as refused:
            patrol(officer, water, **fields)
        assert name in refused.value.fields, fields
    assert not WaterPatrol.objects.exists()
    other = make(persona("district_officer"), units[SCHOOL_B])
    with pytest.raises(NotFound):
        patrol(officer, other)
    with pytest.raises(Forbidden):
        patrol(persona("auditor"), water)
    registers.retire(WATERS, officer, water.pk, reason="已填埋")
    with pytest.raises(Conflict):
        patrol(officer, water)


def test_a_problem_raises_one_hazard_while_it_is_open(persona, units):
    from xiaoan.hazards.models import Hazard

    officer = persona("school_a_officer")
    water = make(officer, units[SCHOOL_A])
    first = patrol(officer, water, signs_ok=False, findings="警示牌倒伏", raise_hazard=True)
    assert first.problem and first.hazard is not None
    hazard = Hazard.objects.get()
    assert hazard.domain == "drowning" and hazard.subject_id == water.pk
    assert hazard.unit_id == units[SCHOOL_A].pk and "警示牌倒伏" in hazard.description
    second = patrol(officer, water, problem=True, findings="护栏缺口", raise_hazard=True)
    assert second.hazard_id == hazard.pk and Hazard.objects.count() == 1
    patrol(officer, water, problem=True, findings="水位上涨")  # logged, no hazard asked
    assert Hazard.objects.count() == 1


def test_the_season_and_the_14_day_rule():
    assert in_season(JULY) and not in_season(DECEMBER)
    assert in_season(dt.date(2026, 5, 1)) and in_season(dt.date(2026, 9, 30))
    assert not in_season(dt.date(2026, 4, 30)) and not in_season(dt.date(2026, 10, 1))


def test_the_unpatrolled_counter_follows_the_season(persona, units):
    officer = persona("school_a_officer")
    never = make(officer, units[SCHOOL_A], name="从未巡查")
    recent = make(officer, units[SCHOOL_A], name="刚巡查")
    stale = make(officer, units[SCHOOL_A], name="久未巡查")
    Water.objects.filter(pk=recent.pk).update(last_patrolled_on=JULY - dt.timedelta(days=14))
    Water.objects.filter(pk=stale.pk).update(last_patrolled_on=JULY - dt.timedelta(days=15))
    due = set(Water.objects.filter(unpatrolled(JULY)).values_list("name", flat=True))
    assert due == {never.name, stale.name}
    assert not Water.objects.filter(unpatrolled(DECEMBER)).exists()
    never.refresh_from_db()
    assert never.due_patrol(JULY) and not never.due_patrol(DECEMBER)


def test_it_fills_the_demo_once(demo):
    from xiaoan.hazards.models import Hazard
    from xiaoan.waters.demo import load_waters

    assert load_waters() == 2
    assert load_waters() == 0
    assert Water.objects.get(name="梁子湖太和段").schools.count() == 2
    assert WaterPatrol.objects.filter(problem=True).count() == 1
    assert Hazard.objects.filter(domain="drowning").count() == 1
