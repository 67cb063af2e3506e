"""The bus register's own rules through its services: plates, seats, the licence's due
date, drivers and escorts linked to certificates of the right kind and school, retiring."""

from __future__ import annotations

import pytest

from xiaoan.buses.crew import DRIVERS, ESCORTS, has_valid
from xiaoan.buses.models import Bus
from xiaoan.buses.registers import BUSES
from xiaoan.buses.tests.support import SCHOOL_A, SCHOOL_B, cert, days, make
from xiaoan.core import registers
from xiaoan.core.errors import Conflict, Forbidden, Invalid, NotFound
from xiaoan.core.models import DueDate

pytestmark = pytest.mark.django_db


def test_it_reads_the_plate_names_the_bus_after_it_and_keeps_stops_as_lines(persona, units):
    bus = make(
        persona("school_a_officer"), units[SCHOOL_A], plate=" 鄂g·a1234 ", stops="甲、乙\n丙"
    )
    assert bus.plate == "鄂GA1234" and bus.name == "鄂GA1234"
    assert bus.stop_list() == ["甲", "乙", "丙"] and bus.history.count() == 1


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"plate": "12345"}, "plate"),
        ({"plate": ""}, "plate"),
        ({"seats": 0}, "seats"),
        ({"seats": 120}, "seats"),
        ({"permit_valid_until": None}, "permit_valid_until"),  # a number without its date
    ],
)
def test_it_refuses_what_does_not_fit(persona, units, fields, field):
    with pytest.raises(Invalid) as caught:
        make(persona("school_a_officer"), units[SCHOOL_A], **fields)
    assert field in caught.value.fields
    assert not Bus.objects.exists()


def test_it_keeps_one_plate_per_unit(persona, units):
    officer = persona("school_a_officer")
    make(officer, units[SCHOOL_A])
    with pytest.raises(Invalid) as caught:
        make(officer, units[SCHOOL_A], plate="鄂G·12345")
    assert "该车牌号" in caught.value.message or "plate" in str(caught.value.fields)
    make(persona("district_officer"), units[SCHOOL_B])  # another school may register it


def test_it_refuses_out_of_scope_units_and_people(persona, units):
    with pytest.raises(Invalid) as caught:
        make(persona("school_a_officer"), units[SCHOOL_B])
    assert "unit" in caught.value.fields
    with pytest.raises(Forbidden):
        make(persona("auditor"), units[SCHOOL_A])
    other = make(persona("district_officer"), units[SCHOOL_B])
    with pytest.raises(NotFound):
        registers.update(BUSES, persona("school_a_officer"), other.pk, {"seats": 20})


def test_it_links_drivers_and_escorts_of_the_right_kind_and_school(persona, units):
    officer = persona("school_a_officer")
    school = units[SCHOOL_A]
    driver = cert(officer, school, "张国庆", "D-1")
    escort = cert(officer, school, "王秀英", "Z-1", escort=True)
    bus = make(officer, school, drivers=[driver.pk], escorts=[escort])
    assert list(bus.drivers.all()) == [driver] and list(bus.escorts.all()) == [escort]
    assert "驾驶人" in bus.history.order_by("-history_id").first().history_change_reason
    # An escort's certificate is no driving licence, and the other way round.
    with pytest.raises(Invalid) as caught:
        registers.update(BUSES, officer, bus.pk, {"drivers": [escort.pk]})
    assert "须持“机动车驾驶证”" in caught.value.fields["drivers"][0]
    with pytest.raises(Invalid) as caught:
        registers.update(BUSES, officer, bus.pk, {"escorts": [driver.pk]})
    assert "escorts" in caught.value.fields
    # Another school's certificate, an unknown id.
    elsewhere = cert(persona("district_officer"), units[SCHOOL_B], "李四", "D-9")
    for ids in ([elsewhere.pk], [999999], ["x"]):
        with pytest.raises(Invalid):
            registers.update(BUSES, officer, bus.pk, {"drivers": ids})
    bus.refresh_from_db()
    assert list(bus.drivers.all()) == [driver]  # nothing half-written
    # Absent keeps them; an empty list clears.
    registers.update(BUSES, officer, bus.pk, {"seats": 30})
    assert bus.drivers.count() == 1
    registers.update(BUSES, officer, bus.pk, {"escorts": []})
    assert bus.escorts.count() == 0


def test_a_retired_certificate_is_refused_and_an_expired_one_is_no_valid_driver(persona, units):
    officer = persona("school_a_officer")
    school = units[SCHOOL_A]
    expired = cert(officer, school, "李卫东", "D-2", valid_until=days(-1))
    gone = cert(officer, school, "退休", "D-3")
    from xiaoan.certificates.registers import CERTIFICATES

    registers.retire(CERTIFICATES, officer, gone.pk, reason="已离职")
    with pytest.raises(Invalid) as caught:
        make(officer, school, drivers=[gone.pk])
    assert "已注销" in caught.value.fields["drivers"][0]
    bus = make(officer, school, drivers=[expired.pk])
    rows = Bus.objects.filter(pk=bus.pk)
    assert not rows.filter(has_valid(DRIVERS)).exists()
    assert not rows.filter(has_valid(ESCORTS)).exists()
    valid = cert(officer, school, "张国庆", "D-4")
    registers.update(BUSES, officer, bus.pk, {"drivers": [expired.pk, valid.pk]})
    assert rows.filter(has_valid(DRIVERS)).exists()


def test_the_licence_is_a_due_date_warned_30_days_ahead(persona, units):
    from xiaoan.core import register_due
    from xiaoan.notifications.models import Notification

    officer = persona("school_a_officer")
    bus = make(officer, units[SCHOOL_A], permit_valid_until=days(20))
    (row,) = registers.due_rows(BUSES, bus)
    assert row.key == "permit_valid_until" and row.warn_on == days(-10)
    assert register_due.daily()["due_soon"] == 1
    note = Notification.objects.filter(recipient=officer).latest("pk")
    assert "校车" in note.title and bus.name in note.body
    assert register_due.daily()["due_soon"] == 0  # once per date


def test_it_retires_never_deletes_and_then_refuses_changes(persona, units):
    officer = persona("school_a_officer")
    bus = make(officer, units[SCHOOL_A])
    registers.retire(BUSES, officer, bus.pk, reason="车辆报废")
    assert not DueDate.objects.filter(object_id=bus.pk, content_type=BUSES.content_type())
    with pytest.raises(Conflict):
        registers.update(BUSES, officer, bus.pk, {"seats": 20})
    assert Bus.objects.filter(pk=bus.pk).exists()
    assert registers.subject_token(bus) == f"buses:{bus.pk}"
