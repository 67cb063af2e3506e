"""Inspections on the home page's to-dos: counted for the people who must act, each count
against the records it stands for."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from xiaoan.core.todos import todos_for
from xiaoan.inspections import services
from xiaoan.inspections.choices import InspectionKind
from xiaoan.inspections.tests.support import SCHOOL_A, checklist, make  # noqa: F401

pytestmark = pytest.mark.django_db


def planned(persona, who) -> tuple[int, int]:
    """(count, late) of the person's 待开展的检查 (a list with nothing in it is not shown)."""
    todo = next((t for t in todos_for(persona(who)) if t.key == "inspections.planned"), None)
    return (todo.count, todo.late) if todo else (0, 0)


def test_it_counts_a_schools_self_checks_for_the_school(persona, units, checklist):  # noqa: F811
    today = timezone.localdate()
    # Organised by the district (as its schedule would), carried out by the school.
    make(
        persona,
        units,
        checklist,
        who="district_officer",
        scheduled_on=today,
        due_on=today + dt.timedelta(days=3),
    )
    make(
        persona,
        units,
        checklist,
        scheduled_on=today - dt.timedelta(days=9),
        due_on=today - dt.timedelta(days=1),
    )
    make(persona, units, checklist, scheduled_on=today + dt.timedelta(days=30))  # not yet
    assert planned(persona, "school_a_officer") == (2, 1)
    # A self-check of the district's school is the school's, not the district officer's.
    assert planned(persona, "district_officer") == (0, 0)


def test_it_counts_what_the_organiser_carries_out_and_the_invited_expert(
    persona,
    units,
    checklist,  # noqa: F811
):
    today = timezone.localdate()
    visit = make(
        persona,
        units,
        checklist,
        who="district_officer",
        kind=InspectionKind.SUPERVISION,
        scheduled_on=today + dt.timedelta(days=2),
    )
    assert planned(persona, "district_officer") == (1, 0)
    assert planned(persona, "expert") == (0, 0)
    services.invite(persona("district_officer"), visit.pk, user=persona("expert"))
    assert planned(persona, "expert") == (1, 0)
    # The school is not asked to carry out its superior's supervision.
    assert planned(persona, "school_a_officer") == (0, 0)
