"""The three registers' rules through the services: the legal vice-principal's phone
encrypted and masked, dates in order, activities added and taken back with every refusal
(404 out of scope, 403 without the right, 409 retired, a Chinese message for bad input,
nothing half-written); police rooms' duty hours; counsellors' certificates; due dates."""

from __future__ import annotations

import pytest
from django.db import connection

from xiaoan.core import history, registers
from xiaoan.core.errors import Conflict, Forbidden, Invalid, NotFound
from xiaoan.core.models import DueDate
from xiaoan.lawsafety import rules, services
from xiaoan.lawsafety.models import LegalActivity, LegalVicePrincipal
from xiaoan.lawsafety.registers import COUNSELLORS, LEGAL_VICE_PRINCIPALS, POLICE_ROOMS
from xiaoan.lawsafety.tests.support import (
    MASKED,
    PHONE,
    SCHOOL_A,
    SCHOOL_B,
    activity,
    days,
    make_counsellor,
    make_principal,
    make_room,
)

pytestmark = pytest.mark.django_db


def test_it_stores_the_phone_encrypted_and_masks_it_in_the_change_log(persona, units):
    officer = persona("school_a_officer")
    item = make_principal(officer, units[SCHOOL_A], phone="138 7100 1234")
    item.refresh_from_db()
    assert item.phone == PHONE
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM lawsafety_legalviceprincipal WHERE id = %s", [item.pk])
        assert cursor.fetchone()[0].startswith("sm4gcm:")
    registers.update(LEGAL_VICE_PRINCIPALS, officer, item.pk, {"phone": "0711-3209999"})
    text = str([(c.old, c.new) for e in history.entries_for(item) for c in e.changes])
    assert PHONE not in text and MASKED in text
    assert registers.field_display(item, "phone") == MASKED


def test_it_refuses_a_wrong_phone_and_dates_out_of_order(persona, units):
    officer = persona("school_a_officer")
    with pytest.raises(Invalid) as phone:
        make_principal(officer, units[SCHOOL_A], phone="12345")
    assert "phone" in phone.value.fields
    with pytest.raises(Invalid) as term:
        make_principal(officer, units[SCHOOL_A], appointed_on=days(-10), term_until=days(-20))
    assert "term_until" in term.value.fields
    with pytest.raises(Invalid) as future:
        make_principal(officer, units[SCHOOL_A], appointed_on=days(5))
    assert "appointed_on" in future.value.fields
    with pytest.raises(Invalid) as kind:
        make_principal(officer, units[SCHOOL_A], employer_kind="army")
    assert "employer_kind" in kind.value.fields
    assert LegalVicePrincipal.objects.count() == 0


def test_it_refuses_outside_the_scope_and_without_the_right(persona, units):
    with pytest.raises(Invalid) as refused:
        make_principal(persona("school_a_officer"), units[SCHOOL_B])
    assert "unit" in refused.value.fields
    for make in (make_principal, make_room, make_counsellor):
        with pytest.raises(Forbidden):
            make(persona("auditor"), units[SCHOOL_A])


def test_it_warns_30_days_before_the_term_ends(persona, units):
    officer = persona("school_a_officer")
    item = make_principal(officer, units[SCHOOL_A], term_until=days(20))
    row = DueDate.objects.get(object_id=item.pk, content_type=LEGAL_VICE_PRINCIPALS.content_type())
    assert row.due_on == days(20) and row.warn_on == days(-10)
    registers.retire(LEGAL_VICE_PRINCIPALS, officer, item.pk, reason="调离")
    assert not DueDate.objects.filter(pk=row.pk).exists()


def test_it_records_activities_and_keeps_the_last_date(persona, units):
    officer = persona("school_a_officer")
    item = make_principal(officer, units[SCHOOL_A])
    first = activity(officer, item, held_on=days(-3))
    activity(officer, item, held_on=days(-1), kind="patrol", topic="校门巡查", audience=None)
    item.refresh_from_db()
    assert item.last_activity_on == days(-1)
    reasons = [e.reason for e in history.entries_for(item)]
    assert any("登记活动" in (r or "") for r in reasons)
    services.remove_activity(officer, item.pk, first.pk)
    item.refresh_from_db()
    assert item.last_activity_on == days(-1) and item.activities.count() == 1


def test_it_refuses_a_bad_activity_and_writes_nothing(persona, units):
    officer = persona("school_a_officer")
    item = make_principal(officer, units[SCHOOL_A], appointed_on=days(-30))
    cases = [
        ({"held_on": days(1)}, "held_on"),
        ({"held_on": days(-31)}, "held_on"),  # before the appointment
        ({"held_on": None}, "held_on"),
        ({"kind": "party"}, "kind"),
        ({"topic": "  "}, "topic"),
        ({"audience": -1}, "audience"),
    ]
    for fields, name in cases:
        with pytest.raises(Invalid) as refused:
            activity(officer, item, **fields)
        assert name in refused.value.fields
        assert all("\u4e00" <= ch <= "\u9fff" for ch in refused.value.fields[name][0][:2])
    assert LegalActivity.objects.count() == 0


def test_it_refuses_activities_out_of_scope_without_the_right_and_when_retired(persona, units):
    officer = persona("school_a_officer")
    item = make_principal(officer, units[SCHOOL_A])
    other = make_principal(persona("district_officer"), units[SCHOOL_B], name="王丽")
    with pytest.raises(NotFound):
        activity(officer, other)
    with pytest.raises(Forbidden):
        activity(persona("auditor"), item)
    done = activity(officer, item)
    with pytest.raises(NotFound):
        services.remove_activity(officer, item.pk, 999999)
    with pytest.raises(NotFound):
        services.remove_activity(officer, other.pk, done.pk)
    registers.retire(LEGAL_VICE_PRINCIPALS, officer, item.pk, reason="调离")
    with pytest.raises(Conflict):
        activity(officer, item)
    with pytest.raises(Conflict):
        services.remove_activity(officer, item.pk, done.pk)
    assert LegalActivity.objects.count() == 1


def test_semesters_are_spring_and_autumn(settings):
    import datetime as dt

    assert rules.semester(dt.date(2026, 3, 5)) == (dt.date(2026, 2, 1), dt.date(2026, 7, 31))
    assert rules.semester(dt.date(2026, 10, 1)) == (dt.date(2026, 8, 1), dt.date(2027, 1, 31))
    assert rules.semester(dt.date(2027, 1, 20)) == (dt.date(2026, 8, 1), dt.date(2027, 1, 31))
    assert rules.semester(dt.date(2026, 8, 10))[0] == dt.date(2026, 8, 1)
    assert "秋季" in rules.semester_label(dt.date(2026, 10, 1))


def test_the_counsellor_rule_follows_the_enrolment_and_the_settings(settings):
    from django.core.exceptions import ImproperlyConfigured

    assert rules.required_counsellors(None) == 1
    assert rules.required_counsellors(980) == 1
    assert rules.required_counsellors(1860) == 2
    settings.XIAOAN_PUPILS_PER_COUNSELLOR = 500
    assert rules.required_counsellors(1860) == 4
    settings.XIAOAN_PUPILS_PER_COUNSELLOR = 0
    settings.XIAOAN_MIN_FULL_TIME_COUNSELLORS = 2
    assert rules.required_counsellors(5000) == 2
    settings.XIAOAN_PUPILS_PER_COUNSELLOR = "many"
    with pytest.raises(ImproperlyConfigured):
        rules.required_counsellors(100)


def test_it_checks_the_police_rooms_duty_hours(persona, units):
    officer = persona("school_a_officer")
    room = make_room(officer, units[SCHOOL_A], duty_hours="7：00 至 19：00")
    assert room.duty_hours == "7:00–19:00"
    for bad in ("全天", "19:00-7:00", "7:00-25:00", "7:70-19:00"):
        with pytest.raises(Invalid) as refused:
            make_room(officer, units[SCHOOL_A], duty_hours=bad, code=bad)
        assert "duty_hours" in refused.value.fields
    with pytest.raises(Invalid) as phone:
        make_room(officer, units[SCHOOL_A], phone="110")
    assert "phone" in phone.value.fields
    registers.retire(POLICE_ROOMS, officer, room.pk, reason="撤并")
    with pytest.raises(Conflict):
        registers.update(POLICE_ROOMS, officer, room.pk, {"officers": "王警官"})


def test_it_checks_the_counsellors_certificate_and_warns_before_it_ends(persona, units):
    officer = persona("school_a_officer")
    with pytest.raises(Invalid) as refused:
        make_counsellor(officer, units[SCHOOL_A], qualification="")
    assert "qualification" in refused.value.fields
    with pytest.raises(Invalid) as hours:
        make_counsellor(officer, units[SCHOOL_A], hours_per_week=80)
    assert "hours_per_week" in hours.value.fields
    item = make_counsellor(officer, units[SCHOOL_A], valid_until=days(10))
    row = DueDate.objects.get(object_id=item.pk, content_type=COUNSELLORS.content_type())
    assert row.warn_on == days(-20)
    with pytest.raises(Invalid) as dated:
        make_counsellor(officer, units[SCHOOL_A], name="马俊", code="", qualification="")
    assert "valid_until" in dated.value.fields
    part = make_counsellor(
        officer,
        units[SCHOOL_A],
        name="马俊",
        employment="part_time",
        code="",
        qualification="",
        valid_until=None,
    )
    assert part.get_employment_display() == "兼职"


def test_it_fills_the_demo_once(demo):
    from xiaoan.lawsafety.demo import load_lawsafety
    from xiaoan.lawsafety.models import Counsellor, PoliceRoom

    made = load_lawsafety()
    assert made["v"] == 9 and made["r"] >= 8 and made["c"] >= 10 and made["a"] >= 17
    assert load_lawsafety() == {"v": 0, "a": 0, "r": 0, "c": 0}
    assert not LegalVicePrincipal.objects.filter(unit__name="涂家垴镇中心小学").exists()
    assert not PoliceRoom.objects.filter(unit__name=SCHOOL_B).exists()
    assert Counsellor.objects.filter(unit__name=SCHOOL_A, employment="full_time").count() == 1
