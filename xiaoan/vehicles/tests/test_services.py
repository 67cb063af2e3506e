"""校园车辆's services: plates kept in one form, access rules, violations recorded at the
gate and the automatic blacklist (default rule, a school's own rule, lifting with a
reason, history kept), and every refusal."""

from __future__ import annotations

import pytest

from xiaoan.core import registers
from xiaoan.core.errors import Conflict, Forbidden, Invalid, NotFound
from xiaoan.core.models import DueDate
from xiaoan.notifications.models import Notification
from xiaoan.vehicles import services
from xiaoan.vehicles.models import (
    DEFAULT_THRESHOLD,
    DEFAULT_WINDOW_DAYS,
    Blacklisting,
    CampusVehicle,
    Violation,
    hours_valid,
)
from xiaoan.vehicles.registers import CAMPUS_VEHICLES
from xiaoan.vehicles.tests.support import SCHOOL_A, SCHOOL_B, days, make

pytestmark = pytest.mark.django_db


def test_it_keeps_the_plate_in_one_form_and_one_per_unit(persona, units):
    officer = persona("school_a_officer")
    car = make(officer, units[SCHOOL_A], name="鄂g·a1234")
    assert car.name == "鄂GA1234" and car.may_enter()
    with pytest.raises(Invalid) as refused:
        make(officer, units[SCHOOL_A], name="鄂G A1234", owner="别人")
    assert "车牌" in str(refused.value.fields)
    # Another school may hold the same plate (a parent's car at two schools).
    other = make(persona("district_officer"), units[SCHOOL_B], name="鄂GA1234")
    assert other.pk != car.pk


def test_it_refuses_bad_fields_and_requires_a_date_for_visitors(persona, units):
    officer = persona("school_a_officer")
    for fields, field in (
        ({"name": "A1"}, "name"),
        ({"allowed_hours": "7点到9点"}, "allowed_hours"),
        ({"allowed_hours": "09:00-07:00"}, "allowed_hours"),
        ({"vehicle_class": "visitor"}, "valid_until"),
        ({"vehicle_class": "car"}, "vehicle_class"),
    ):
        with pytest.raises(Invalid) as refused:
            make(officer, units[SCHOOL_A], **fields)
        assert field in refused.value.fields, fields
    assert CampusVehicle.objects.count() == 0
    assert hours_valid("07:00-08:30、16:30-18:00") and not hours_valid("25:00-26:00")
    with pytest.raises(Invalid):
        make(officer, units[SCHOOL_B])  # outside the officer's school
    with pytest.raises(Forbidden):
        make(persona("auditor"), units[SCHOOL_A])


def test_it_keeps_the_pass_validity_as_a_due_date(persona, units):
    officer = persona("school_a_officer")
    car = make(officer, units[SCHOOL_A], vehicle_class="visitor", valid_until=days(5))
    row = DueDate.objects.get(object_id=car.pk, key="valid_until")
    assert row.due_on == days(5) and row.warn_on == days(-10)
    expired = make(officer, units[SCHOOL_A], name="鄂GB0001", valid_until=days(-1))
    assert not expired.may_enter()
    registers.retire(CAMPUS_VEHICLES, officer, car.pk, reason="访问结束")
    assert not DueDate.objects.filter(object_id=car.pk, key="valid_until").exists()


def test_it_records_violations_and_blacklists_at_the_default_rule(persona, units):
    officer, head = persona("school_a_officer"), persona("school_a_head")
    car = make(officer, units[SCHOOL_A])
    assert (DEFAULT_THRESHOLD, DEFAULT_WINDOW_DAYS) == (3, 180)
    # One outside the window does not count.
    services.record_violation(officer, car.pk, kind="parking", occurred_on=days(-200))
    for n in range(DEFAULT_THRESHOLD - 1):
        done = services.record_violation(officer, car.pk, kind="speeding")
        assert not done.blacklisted, n
    last = services.record_violation(officer, car.pk, kind="ebike_indoors", note="楼道充电")
    car.refresh_from_db()
    assert last.blacklisted and car.blacklisted and not car.may_enter()
    stay = Blacklisting.objects.get(vehicle=car)
    assert (stay.violations, stay.threshold, stay.window_days) == (3, 3, 180)
    # The head (who may change the register at the school) is told; the officer acted.
    told = Notification.objects.filter(title__contains="鄂GA1234")
    assert head.pk in set(told.values_list("recipient_id", flat=True))
    assert officer.pk not in set(told.values_list("recipient_id", flat=True))
    assert "自动列入黑名单" in car.history.first().history_change_reason
    # A fourth violation while blacklisted adds no second stay.
    services.record_violation(officer, car.pk, kind="parking")
    assert Blacklisting.objects.filter(vehicle=car).count() == 1


def test_it_lifts_with_a_reason_and_counts_afresh(persona, units):
    officer, head = persona("school_a_officer"), persona("school_a_head")
    car = make(officer, units[SCHOOL_A])
    for _n in range(3):
        services.record_violation(officer, car.pk, kind="speeding")
    with pytest.raises(Forbidden):
        services.lift_blacklist(officer, car.pk, reason="已教育")  # not the head's right
    with pytest.raises(Invalid):
        services.lift_blacklist(head, car.pk, reason=" ")
    lifted = services.lift_blacklist(head, car.pk, reason="已接受安全教育")
    assert not lifted.blacklisted and lifted.may_enter()
    stay = Blacklisting.objects.get(vehicle=car)
    assert stay.lifted_by == head and stay.lift_reason == "已接受安全教育"
    with pytest.raises(Conflict):
        services.lift_blacklist(head, car.pk, reason="再解除")
    # The violations before the lifting no longer count.
    services.record_violation(officer, car.pk, kind="parking")
    car.refresh_from_db()
    assert not car.blacklisted
    services.record_violation(officer, car.pk, kind="parking")
    assert services.record_violation(officer, car.pk, kind="parking").blacklisted
    assert Blacklisting.objects.filter(vehicle=car).count() == 2


def test_a_school_sets_its_own_rule(persona, units):
    officer, head = persona("school_a_officer"), persona("school_a_head")
    with pytest.raises(Forbidden):
        services.set_rule(officer, units[SCHOOL_A].pk, threshold=1, window_days=30)
    with pytest.raises(NotFound):
        services.set_rule(head, units[SCHOOL_B].pk, threshold=1, window_days=30)
    with pytest.raises(Invalid) as refused:
        services.set_rule(head, units[SCHOOL_A].pk, threshold=0, window_days=9999)
    assert set(refused.value.fields) == {"threshold", "window_days"}
    services.set_rule(head, units[SCHOOL_A].pk, threshold=1, window_days=30)
    car = make(officer, units[SCHOOL_A])
    assert services.rule_for(car.unit) == (1, 30)
    assert services.record_violation(officer, car.pk, kind="parking").blacklisted
    other = make(persona("district_officer"), units[SCHOOL_B])
    assert services.rule_for(other.unit) == (3, 180)


def test_it_refuses_violations_out_of_scope_retired_or_wrong(persona, units):
    officer = persona("school_a_officer")
    car = make(officer, units[SCHOOL_A])
    other = make(persona("district_officer"), units[SCHOOL_B], name="鄂GB9999")
    with pytest.raises(NotFound):
        services.record_violation(officer, other.pk, kind="parking")
    with pytest.raises(Forbidden):
        services.record_violation(persona("auditor"), car.pk, kind="parking")
    with pytest.raises(Forbidden):
        services.record_violation(persona("school_b_teacher"), car.pk, kind="parking")
    for kwargs, field in (
        ({"kind": "honking"}, "kind"),
        ({"kind": "other"}, "note"),
        ({"kind": "parking", "occurred_on": days(1)}, "occurred_on"),
    ):
        with pytest.raises(Invalid) as refused:
            services.record_violation(officer, car.pk, **kwargs)
        assert field in refused.value.fields
    registers.retire(CAMPUS_VEHICLES, officer, car.pk, reason="调离")
    with pytest.raises(Conflict):
        services.record_violation(officer, car.pk, kind="parking")
    assert Violation.objects.count() == 0


def test_the_gate_search_finds_plates_however_typed(persona, units):
    officer = persona("school_a_officer")
    make(officer, units[SCHOOL_A], name="鄂GA1234")
    make(officer, units[SCHOOL_A], name="鄂GA12345")
    make(persona("district_officer"), units[SCHOOL_B], name="鄂GA1239")
    found = services.find_by_plate(officer, "鄂g a1234")
    assert [v.name for v in found] == ["鄂GA1234", "鄂GA12345"]
    assert services.find_by_plate(officer, "a") == []
    assert services.find_by_plate(persona("auditor"), "A12") == []
