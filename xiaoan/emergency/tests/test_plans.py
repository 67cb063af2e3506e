"""应急预案: every rule of a plan and its refusals, the default revision date (three years
after approval), the revision due date warned 30 days ahead."""

from __future__ import annotations

import datetime as dt

import pytest

from xiaoan.core import history, registers
from xiaoan.core.errors import Conflict, Forbidden, Invalid, NotFound
from xiaoan.core.models import DueDate
from xiaoan.core.register_due import daily
from xiaoan.emergency.models import EmergencyPlan, years_after
from xiaoan.emergency.registers import PLANS
from xiaoan.emergency.tests.support import SCHOOL_A, SCHOOL_B, days, make_plan

pytestmark = pytest.mark.django_db


def test_it_defaults_the_revision_to_three_years_after_approval(persona, units):
    plan = make_plan(persona("school_a_officer"), units[SCHOOL_A], approved_on=dt.date(2024, 2, 29))
    assert plan.next_revision_on == dt.date(2027, 2, 28)
    row = DueDate.objects.get(object_id=plan.pk, key="next_revision_on")
    assert row.due_on == dt.date(2027, 2, 28) and row.warn_on == dt.date(2027, 1, 29)
    assert history.entries_for(plan)[0].action == "创建"


def test_it_keeps_an_earlier_revision_date_given(persona, units):
    plan = make_plan(persona("school_a_officer"), units[SCHOOL_A], next_revision_on=days(200))
    assert plan.next_revision_on == days(200)


@pytest.mark.parametrize(
    "fields,field",
    [
        ({"kind": "special", "topic": ""}, "topic"),
        ({"kind": "comprehensive", "topic": "fire"}, "topic"),
        ({"approved_on": days(1)}, "approved_on"),
        ({"approved_by": ""}, "approved_by"),
        ({"approved_on": None}, "approved_on"),
        (
            {"approved_on": None, "approved_by": "", "next_revision_on": days(30)},
            "next_revision_on",
        ),
        ({"next_revision_on": days(-100)}, "next_revision_on"),
        (
            {"next_revision_on": years_after(days(-100), 3) + dt.timedelta(days=1)},
            "next_revision_on",
        ),
        ({"approved_on": None, "approved_by": "", "filed": True, "filed_on": days(-1)}, "filed"),
        ({"filed": True}, "filed_on"),
        ({"filed_on": days(-1)}, "filed_on"),
        ({"filed": True, "filed_on": days(1)}, "filed_on"),
        ({"filed": True, "filed_on": days(-101)}, "filed_on"),
        ({"version": ""}, "version"),
        ({"kind": "drill"}, "kind"),
    ],
)
def test_it_refuses_a_plan_breaking_a_rule(persona, units, fields, field):
    with pytest.raises(Invalid) as error:
        make_plan(persona("school_a_officer"), units[SCHOOL_A], **fields)
    assert field in error.value.fields
    assert not EmergencyPlan.objects.exists()


def test_it_accepts_a_draft_and_an_onsite_scheme_without_topic(persona, units):
    officer = persona("school_a_officer")
    draft = make_plan(officer, units[SCHOOL_A], approved_on=None, approved_by="", code="D")
    assert draft.next_revision_on is None
    assert not DueDate.objects.filter(object_id=draft.pk, key="next_revision_on").exists()
    onsite = make_plan(officer, units[SCHOOL_A], kind="onsite", topic="", code="XC")
    filed = make_plan(
        officer, units[SCHOOL_A], code="F", filed=True, filed_on=days(-90), filed_with="区教育局"
    )
    assert onsite.kind == "onsite" and filed.filed


def test_it_revises_in_place_and_moves_the_due_date(persona, units):
    officer, head = persona("school_a_officer"), persona("school_a_head")
    plan = make_plan(officer, units[SCHOOL_A], approved_on=days(-1000))
    registers.update(
        PLANS,
        head,
        plan.pk,
        {"version": "2026版", "approved_on": days(-1), "next_revision_on": None},
    )
    plan.refresh_from_db()
    assert plan.version == "2026版" and plan.next_revision_on == years_after(days(-1), 3)
    assert DueDate.objects.get(object_id=plan.pk, key="next_revision_on").due_on == (
        plan.next_revision_on
    )
    assert {e.who for e in history.entries_for(plan)} == {officer.name, head.name}


def test_it_refuses_people_and_units_out_of_scope(persona, units):
    for name in ("school_b_teacher", "auditor", "expert", "sysadmin"):
        with pytest.raises(Forbidden):
            make_plan(persona(name), units[SCHOOL_A])
    with pytest.raises(Invalid) as error:
        make_plan(persona("school_a_officer"), units[SCHOOL_B])
    assert "unit" in error.value.fields
    other = make_plan(persona("district_officer"), units[SCHOOL_B])
    with pytest.raises(NotFound):
        registers.update(PLANS, persona("school_a_officer"), other.pk, {"version": "x"})
    with pytest.raises(Forbidden):
        registers.update(PLANS, persona("auditor"), other.pk, {"version": "x"})


def test_it_refuses_a_second_plan_with_the_same_code(persona, units):
    officer = persona("school_a_officer")
    make_plan(officer, units[SCHOOL_A])
    with pytest.raises(Invalid):
        make_plan(officer, units[SCHOOL_A], name="另一份")


def test_it_retires_a_plan_and_drops_its_due_date(persona, units):
    officer = persona("school_a_officer")
    plan = make_plan(officer, units[SCHOOL_A])
    registers.retire(PLANS, officer, plan.pk, reason="已被新预案替代")
    assert not DueDate.objects.filter(object_id=plan.pk, key="next_revision_on").exists()
    with pytest.raises(Conflict):
        registers.update(PLANS, officer, plan.pk, {"version": "x"})


def test_it_warns_the_school_thirty_days_before_revision_once(persona, units):
    from xiaoan.notifications.models import Notification

    officer = persona("school_a_officer")
    make_plan(officer, units[SCHOOL_A], approved_on=days(-900), next_revision_on=days(20))
    make_plan(officer, units[SCHOOL_A], code="YA-09", next_revision_on=days(60))
    daily(days(0))
    daily(days(0))
    notes = Notification.objects.filter(recipient=officer)
    assert notes.count() == 1
    assert "火灾事故专项应急预案" in notes.get().body
