"""Coverage per unit against counts of the records, the plans' rule as the leader-training
indicator, a person's record and the organiser's to-do."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from xiaoan.accounts.models import Role, RoleAssignment, User
from xiaoan.core import registers
from xiaoan.core.errors import NotFound
from xiaoan.core.todos import todos_for
from xiaoan.indicators.models import Indicator
from xiaoan.indicators.values import school_values
from xiaoan.orgs.models import Unit
from xiaoan.training import services
from xiaoan.training.indicators import leader_training
from xiaoan.training.models import Attendance
from xiaoan.training.registers import TRAININGS
from xiaoan.training.tests.support import (
    DISTRICT,
    SCHOOL_A,
    SCHOOL_B,
    add_person,
    days,
    make_session,
)

pytestmark = pytest.mark.django_db


def holders(root: Unit, role: str) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            unit__path__startswith=root.path,
            pk__in=RoleAssignment.objects.filter(role__code=role).values("user_id"),
        )
    )


def test_it_counts_coverage_per_unit_against_the_records(
    persona, units, django_assert_max_num_queries
):
    district = persona("district_officer")
    root = units[DISTRICT]
    for n in range(3):  # more safety officers at school B, one of them trained
        person = add_person(units[SCHOOL_B], f"b_officer{n}", f"东沟安办{n}")
        RoleAssignment.objects.create(
            user=person, role=Role.objects.get(code="safety_officer"), unit=units[SCHOOL_B]
        )
    session = make_session(district, root, held_on=days(-10))
    trained = [persona("school_a_officer"), User.objects.get(username="b_officer0")]
    services.mark(district, session.pk, users=[p.pk for p in trained])
    old = make_session(district, root, name="往年培训", held_on=days(-400))
    services.mark(district, old.pk, users=[User.objects.get(username="b_officer1").pk])

    start = days(-30)
    with django_assert_max_num_queries(6):
        result = services.coverage(district, root, role="safety_officer", start=start)
    everyone = holders(root, "safety_officer")
    assert result.total.total == len(everyone)
    trained_ids = set(
        Attendance.objects.filter(session__held_on__gte=start).values_list("user_id", flat=True)
    )
    assert result.total.trained == len([p for p in everyone if p.pk in trained_ids]) == 2
    for row in result.rows:
        subtree = [p for p in everyone if p.unit.path.startswith(row.unit.path)]
        if row.unit.pk == root.pk:
            subtree = [p for p in everyone if p.unit_id == root.pk]
        assert row.total == len(subtree), row.unit.name
        assert row.trained == len([p for p in subtree if p.pk in trained_ids]), row.unit.name
    by_unit = {row.unit.name: row for row in result.rows}
    assert (by_unit[SCHOOL_B].total, by_unit[SCHOOL_B].trained, by_unit[SCHOOL_B].share) == (
        3,
        1,
        33,
    )
    untrained = {p["username"] for p in result.untrained}
    assert untrained == {p.username for p in everyone if p.pk not in trained_ids}
    assert "b_officer1" in untrained  # trained last year only: outside the period


def test_it_counts_a_kind_of_person_by_their_position(persona, units):
    officer = persona("school_a_officer")
    guard = add_person(units[SCHOOL_A], "guard1", "保安甲", position="保安")
    add_person(units[SCHOOL_A], "guard2", "保安乙", position="保安队长")
    add_person(units[SCHOOL_A], "cook", "厨师", position="食堂从业人员")
    session = make_session(officer, units[SCHOOL_A])
    services.mark(officer, session.pk, users=[guard.pk])
    result = services.coverage(officer, units[SCHOOL_A], kind="保安")
    assert (result.total.total, result.total.trained) == (2, 1)
    assert [p["username"] for p in result.untrained] == ["guard2"]


def test_it_refuses_coverage_of_a_unit_out_of_scope(persona, units):
    with pytest.raises(NotFound):
        services.coverage(persona("school_a_officer"), units[SCHOOL_B])


def test_it_computes_the_leader_training_indicator_per_school(persona, units):
    district = persona("district_officer")
    year = timezone.localdate().year
    deputy = add_person(units[SCHOOL_A], "deputy", "分管副校长", position="分管安全副校长")
    schools = [units[SCHOOL_A], units[SCHOOL_B]]
    # School A: 王校长 (unit_head), 李安办 (safety_officer), the deputy; one trained.
    assert leader_training(schools, year) == {units[SCHOOL_A].pk: 0}
    session = make_session(district, units[DISTRICT], held_on=dt.date(year, 1, 5))
    services.mark(district, session.pk, users=[deputy.pk])
    assert leader_training(schools, year) == {units[SCHOOL_A].pk: 33}
    services.mark(
        district, session.pk, users=[persona("school_a_head").pk, persona("school_a_officer").pk]
    )
    assert leader_training(schools, year) == {units[SCHOOL_A].pk: 100}
    assert leader_training(schools, year - 1) == (
        {units[SCHOOL_A].pk: 0} if year - 1 >= 2024 else {}
    )
    # The indicator's value on the board is the provider's.
    indicator = Indicator.objects.get(code="leader-training", owner=None)
    from xiaoan.indicators.values import schools_under

    values = school_values([indicator], units[DISTRICT], schools_under(units[DISTRICT]), year)
    assert values[(indicator.pk, units[SCHOOL_A].pk)] == 100
    # A retired session no longer counts.
    registers.retire(TRAININGS, district, session.pk, reason="误登记")
    assert leader_training(schools, year) == {units[SCHOOL_A].pk: 0}


def test_it_shows_a_persons_record_to_them_and_to_managers_in_scope(persona, units):
    officer = persona("school_a_officer")
    head = persona("school_a_head")
    session = make_session(officer, units[SCHOOL_A])
    services.mark(officer, session.pk, users=[head.pk])
    assert services.person_in_scope(head, head.pk) == head
    assert services.person_in_scope(officer, head.pk) == head
    assert list(services.record_of(head).values_list("session_id", flat=True)) == [session.pk]
    with pytest.raises(NotFound):
        services.person_in_scope(persona("uni_security"), head.pk)
    with pytest.raises(NotFound):
        services.person_in_scope(persona("school_b_teacher"), head.pk)


def test_it_puts_a_held_session_without_attendance_on_the_organisers_home(persona, units):
    officer = persona("school_a_officer")
    make_session(officer, units[SCHOOL_A], held_on=days(-2))
    make_session(officer, units[SCHOOL_A], name="下周培训", held_on=days(7))
    done = make_session(officer, units[SCHOOL_A], name="已点名", held_on=days(-3))
    services.mark(officer, done.pk, users=[persona("school_a_head").pk])
    todo = next(t for t in todos_for(persona("school_a_officer")) if t.key == "training.unattended")
    assert todo.count == 1 and "unattended=true" in todo.url
    assert not [t for t in todos_for(persona("school_b_teacher")) if t.key == "training.unattended"]
