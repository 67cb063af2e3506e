"""To-dos kept as rollup counters (xiaoan.core.todos.Counted): the counts agree with the
records, move with every write, are handed only to the units' own people, and all of them
together cost one read of the rollup rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xiaoan.buses.services import record_check
from xiaoan.buses.tests.support import all_ok, cert
from xiaoan.buses.tests.support import make as make_bus
from xiaoan.core.todos import _counted, own_units, todos_for
from xiaoan.events.tests.support import days
from xiaoan.events.tests.support import make as make_event

pytestmark = pytest.mark.django_db
SCHOOL_A = "梁子湖高级中学"


def counts(user) -> dict[str, tuple[int, int]]:
    return {t.key: (t.count, t.late) for t in todos_for(user)}


def test_the_counters_follow_the_records(persona, units):
    officer = persona("school_a_officer")
    school = units[SCHOOL_A]
    driver = cert(officer, school, "张国庆", "D-1")
    escort = cert(officer, school, "王秀英", "Z-1", escort=True)
    crewed = make_bus(officer, school, plate="鄂GA0001", drivers=[driver], escorts=[escort])
    make_bus(officer, school, plate="鄂GA0002", drivers=[driver])
    make_event(
        officer, school, name="开学典礼", kind="term_start", starts_on=days(0), ends_on=days(0)
    )
    make_event(officer, school, starts_on=days(3), ends_on=days(3))
    make_event(
        officer, school, name="研学", kind="study_tour", starts_on=days(20), ends_on=days(21)
    )
    mine = counts(officer)
    assert mine["buses.unchecked"] == (2, 0)
    assert mine["buses.crew"] == (1, 1)  # no escort on the second bus
    assert mine["events.signoff"] == (2, 1)  # within 7 days; the opening is today
    record_check(officer, crewed.pk, all_ok())
    assert counts(officer)["buses.unchecked"] == (1, 0)
    # The district's officer supervises the schools: none of it is handed to them.
    theirs = counts(persona("district_officer"))
    assert not {"buses.unchecked", "buses.crew", "events.signoff"} & set(theirs)
    assert not {"buses.unchecked", "events.signoff"} & set(counts(persona("auditor")))


def test_they_cost_one_read_together(persona, units):
    officer = persona("school_a_officer")
    make_bus(officer, units[SCHOOL_A])
    make_event(officer, units[SCHOOL_A])
    from xiaoan.core.todos import COUNTED

    todos_for(officer)  # the apps' to-dos declared
    for todo in COUNTED:
        own_units(officer, todo.perm)  # the person's units, read once per page anyway
    with CaptureQueriesContext(connection) as seen:
        found = {t.key for t in _counted(officer)}
    assert {"buses.unchecked", "events.signoff"} <= found
    assert len(seen.captured_queries) == 1, [q["sql"] for q in seen.captured_queries]
