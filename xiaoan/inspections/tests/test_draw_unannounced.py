"""Unannounced draws (暗访): the pick is recorded and reproducible, and the drawn inspections
stay invisible to the picked schools' own people until they are submitted."""

from __future__ import annotations

import datetime as dt

import pytest

from xiaoan.core.errors import Forbidden, Invalid
from xiaoan.inspections import schedules
from xiaoan.inspections.choices import InspectionKind, InspectionStatus
from xiaoan.inspections.models import Inspection, UnannouncedDraw
from xiaoan.inspections.tests.support import SCHOOL_A, checklist, done

pytestmark = pytest.mark.django_db
__all__ = ["checklist"]

DISTRICT = "梁子湖区教育局"


def draw(persona, units, checklist, who="district_officer", **kwargs) -> UnannouncedDraw:
    values = {"organiser": units[DISTRICT], "count": 3, "checklist": checklist, "seed": 20260301}
    values.update(kwargs)
    return schedules.create_draw(persona(who), **values)


def test_it_records_a_reproducible_draw(persona, units, checklist):
    first = draw(persona, units, checklist)
    assert first.population == sorted(first.population)
    assert len(first.population) == 12  # the district's schools, not the district itself
    assert units[DISTRICT].pk not in first.population
    assert len(first.picked) == 3 and set(first.picked) <= set(first.population)
    assert schedules.verify(first).ok
    # The same candidates and seed pick the same schools, whenever it is run again.
    second = draw(persona, units, checklist)
    assert second.picked == first.picked
    assert schedules.pick(first.population, first.count, first.seed) == first.picked
    other = draw(persona, units, checklist, seed=7)
    assert other.seed == 7 and schedules.verify(other).ok


def test_it_notices_a_tampered_record(persona, units, checklist):
    record = draw(persona, units, checklist)
    others = [pk for pk in record.population if pk not in record.picked]
    record.picked = sorted([*record.picked[:-1], others[0]])
    assert not schedules.verify(record).ok


def test_it_chooses_a_seed_when_none_is_given(persona, units, checklist):
    record = draw(persona, units, checklist, seed=None)
    assert record.seed >= 0 and schedules.verify(record).ok


def test_it_creates_one_unannounced_inspection_per_picked_school(persona, units, checklist):
    record = draw(persona, units, checklist, due_on=dt.date.today() + dt.timedelta(days=7))
    made = Inspection.objects.filter(schedule_key=record.key())
    assert sorted(made.values_list("unit_id", flat=True)) == record.picked
    assert {i.kind for i in made} == {InspectionKind.UNANNOUNCED}
    assert {i.organiser_id for i in made} == {units[DISTRICT].pk}
    assert all(i.period == f"{i.scheduled_on:%Y-%m}" for i in made)
    assert all(i.history.count() == 1 for i in made)


def test_it_hides_drawn_inspections_from_the_target_until_submitted(persona, units, checklist):
    record = draw(persona, units, checklist, count=12)  # every school: School A is picked
    visit = Inspection.objects.get(schedule_key=record.key(), unit=units[SCHOOL_A])
    for who in ("school_a_head", "school_a_officer"):
        assert not Inspection.objects.restrict(persona(who)).filter(pk=visit.pk).exists()
        assert not Inspection.objects.restrict(persona(who), "conduct").filter(pk=visit.pk)
    assert Inspection.objects.restrict(persona("district_officer")).filter(pk=visit.pk).exists()
    done(persona, visit, who="district_officer")
    visit.refresh_from_db()
    assert visit.status == InspectionStatus.SUBMITTED
    assert Inspection.objects.restrict(persona("school_a_head")).filter(pk=visit.pk).exists()


def test_it_refuses_bad_draws(persona, units, checklist):
    with pytest.raises(Invalid) as error:
        draw(persona, units, checklist, count=13)
    assert "count" in error.value.fields
    with pytest.raises(Invalid):
        draw(persona, units, checklist, count=0)
    with pytest.raises(Invalid):
        draw(persona, units, checklist, seed=-1)
    with pytest.raises(Invalid):  # the organiser must be one the person may organise for
        draw(persona, units, checklist, who="school_a_head")
    with pytest.raises(Forbidden):  # in view, but may not organise there
        draw(persona, units, checklist, who="auditor")
    assert not UnannouncedDraw.objects.exists()


def test_a_school_cannot_draw_itself(persona, units, checklist):
    with pytest.raises(Invalid):  # nothing below a school to pick from
        draw(persona, units, checklist, who="school_a_head", organiser=units[SCHOOL_A])
    record = draw(
        persona, units, checklist, who="school_a_head", organiser=units[SCHOOL_A],
        unit_kind="department", count=1,
    )  # fmt: skip
    assert units[SCHOOL_A].pk not in record.population


def test_only_people_above_the_picked_units_see_the_draw(persona, units, checklist):
    from xiaoan.accounts.models import Role, RoleAssignment, User

    record = draw(persona, units, checklist)
    # An auditor of the district bureau itself only (not its schools) sees the bureau's
    # inspections but may not learn which schools will be visited.
    clerk = User.objects.create(username="bureau_clerk", name="局办事员")
    RoleAssignment.objects.create(
        user=clerk, role=Role.objects.get(code="auditor"), unit=units[DISTRICT],
        include_descendants=False,
    )  # fmt: skip
    assert not schedules.draws_for(clerk).filter(pk=record.pk).exists()
    assert schedules.draws_for(persona("auditor")).filter(pk=record.pk).exists()
    assert not schedules.draws_for(persona("school_a_head")).exists()
