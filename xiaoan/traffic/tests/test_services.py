"""家校交通安全责任书's rules: the semester's format, one row per class and semester per
school, the share derived, the return date due only while agreements are missing, and
every refusal."""

from __future__ import annotations

import datetime as dt

import pytest

from xiaoan.core import registers
from xiaoan.core.errors import Conflict, Forbidden, Invalid, NotFound
from xiaoan.core.models import DueDate
from xiaoan.traffic.models import TrafficAgreement, normalize_semester, semester_of, share_of
from xiaoan.traffic.registers import TRAFFIC_AGREEMENTS
from xiaoan.traffic.tests.support import SCHOOL_A, SCHOOL_B, current, days, make

pytestmark = pytest.mark.django_db


def test_the_semester_of_a_day_and_its_spellings():
    assert semester_of(dt.date(2026, 9, 1)) == "2026-2027学年第一学期"
    assert semester_of(dt.date(2027, 1, 20)) == "2026-2027学年第一学期"
    assert semester_of(dt.date(2027, 3, 1)) == "2026-2027学年第二学期"
    assert normalize_semester(" 2026—2027 学年度第一学期") == "2026-2027学年第一学期"
    assert (share_of(0, 0), share_of(49, 50), share_of(199, 200), share_of(50, 50)) == (
        0,
        98,
        99,
        100,
    )


def test_it_derives_the_share_and_keeps_one_class_per_semester(persona, units):
    officer = persona("school_a_officer")
    item = make(officer, units[SCHOOL_A], semester="2026–2027学年第一学期", name="高一（1）班")
    assert item.semester == "2026-2027学年第一学期" and item.share == 90
    assert item.name == "高一(1)班"  # as a sheet's cell is read
    with pytest.raises(Invalid) as refused:
        make(officer, units[SCHOOL_A], semester="2026-2027学年第一学期")
    assert "该班级" in str(refused.value.fields)
    make(officer, units[SCHOOL_A], semester="2026-2027学年第二学期")  # next semester
    make(persona("district_officer"), units[SCHOOL_B], semester="2026-2027学年第一学期")
    assert TrafficAgreement.objects.count() == 3


def test_it_refuses_wrong_values(persona, units):
    officer = persona("school_a_officer")
    for fields, field in (
        ({"semester": "2026学年上学期"}, "semester"),
        ({"semester": "2026-2028学年第一学期"}, "semester"),
        ({"pupils": 0}, "pupils"),
        ({"returned": 51}, "returned"),
        ({"pupils": -1}, "pupils"),
        ({"name": ""}, "name"),
    ):
        with pytest.raises(Invalid) as refused:
            make(officer, units[SCHOOL_A], **fields)
        assert field in refused.value.fields, fields
    with pytest.raises(Invalid):
        make(officer, units[SCHOOL_B])
    with pytest.raises(Forbidden):
        make(persona("auditor"), units[SCHOOL_A])
    assert TrafficAgreement.objects.count() == 0


def test_the_return_date_is_due_only_while_agreements_are_missing(persona, units):
    officer = persona("school_a_officer")
    item = make(officer, units[SCHOOL_A], returned_by=days(5))
    assert DueDate.objects.get(object_id=item.pk, key="open_due_on").due_on == days(5)
    registers.update(TRAFFIC_AGREEMENTS, officer, item.pk, {"returned": 50})
    item.refresh_from_db()
    assert item.share == 100 and item.open_due_on is None
    assert not DueDate.objects.filter(object_id=item.pk, key="open_due_on").exists()
    # History keeps each change.
    assert [h.returned for h in item.history.order_by("history_date")] == [45, 50]


def test_it_refuses_changes_out_of_scope_or_retired(persona, units):
    officer = persona("school_a_officer")
    item = make(officer, units[SCHOOL_A])
    other = make(persona("district_officer"), units[SCHOOL_B])
    with pytest.raises(NotFound):
        registers.update(TRAFFIC_AGREEMENTS, officer, other.pk, {"returned": 1})
    with pytest.raises(Forbidden):
        registers.update(TRAFFIC_AGREEMENTS, persona("auditor"), item.pk, {"returned": 1})
    registers.retire(TRAFFIC_AGREEMENTS, officer, item.pk, reason="班级合并")
    with pytest.raises(Conflict):
        registers.update(TRAFFIC_AGREEMENTS, officer, item.pk, {"returned": 50})
    assert current() in item.semester or item.semester == current()
