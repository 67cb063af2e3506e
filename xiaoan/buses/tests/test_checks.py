"""The daily pre-trip check through its service: every item answered, a reason for a
failure, a hazard raised once while open, the bus's last check kept, retries idempotent."""

from __future__ import annotations

import pytest
from django.utils import timezone

from xiaoan.buses.models import BusCheck
from xiaoan.buses.registers import BUSES
from xiaoan.buses.services import record_check
from xiaoan.buses.tests.support import SCHOOL_A, SCHOOL_B, all_ok, check, jpeg, make
from xiaoan.core import registers
from xiaoan.core.errors import Forbidden, Invalid
from xiaoan.hazards.models import Hazard

pytestmark = pytest.mark.django_db


@pytest.fixture
def bus(persona, units):
    return make(persona("school_a_officer"), units[SCHOOL_A])


def test_an_all_clear_check_is_kept_on_the_bus(persona, bus):
    done = check(persona("school_a_officer"), bus)
    bus.refresh_from_db()
    assert done.result == "ok" and done.hazard is None and done.unit_id == bus.unit_id
    assert bus.last_checked_on == timezone.localdate() and bus.checked_today
    assert bus.last_check_result == "ok" and not Hazard.objects.exists()


def test_a_failed_item_raises_one_hazard_while_it_is_open(persona, bus):
    officer = persona("school_a_officer")
    first = check(officer, bus, note="左后轮胎压不足", tyres="failed")
    hazard = first.hazard
    assert hazard is not None and hazard.subject_id == bus.pk
    assert "鄂G12345" in hazard.description and "轮胎" in hazard.description
    assert hazard.domain == "school_bus"
    second = check(officer, bus, note="应急锤缺失", doors="failed")
    assert second.hazard_id == hazard.pk and Hazard.objects.count() == 1
    assert first.failed_labels() == ["轮胎"]
    bus.refresh_from_db()
    assert bus.last_check_result == "failed" and bus.open_hazard_id == hazard.pk


def test_it_refuses_an_unanswered_item_a_failure_without_reason_and_a_bad_photo(persona, bus):
    officer = persona("school_a_officer")
    partial = all_ok()
    partial.pop("brakes")
    partial["lights"] = "maybe"
    with pytest.raises(Invalid) as caught:
        record_check(officer, bus.pk, partial)
    assert {"item-brakes", "item-lights"} <= set(caught.value.fields)
    assert "还有 2 项未选择结果" in caught.value.message
    with pytest.raises(Invalid) as caught:
        record_check(officer, bus.pk, all_ok(brakes="failed"), note=" ")
    assert "note" in caught.value.fields
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(Invalid) as caught:
        record_check(officer, bus.pk, all_ok(), photo=SimpleUploadedFile("x.jpg", b"not"))
    assert "photo" in caught.value.fields
    assert not BusCheck.objects.exists() and not Hazard.objects.exists()
    bus.refresh_from_db()
    assert bus.last_checked_on is None


def test_it_keeps_a_photo(persona, bus):
    done = record_check(persona("school_a_officer"), bus.pk, all_ok(), photo=jpeg())
    assert done.photo.name.startswith("buses/")


def test_it_refuses_other_schools_retired_buses_and_people_without_the_right(persona, units, bus):
    officer = persona("school_a_officer")
    other = make(persona("district_officer"), units[SCHOOL_B])
    with pytest.raises(Invalid) as caught:
        check(officer, other)
    assert "bus" in caught.value.fields
    with pytest.raises(Invalid):
        record_check(officer, "abc", all_ok())
    with pytest.raises(Forbidden):
        check(persona("auditor"), bus)
    registers.retire(BUSES, officer, bus.pk, reason="报废")
    with pytest.raises(Invalid):
        check(officer, bus)
    assert not BusCheck.objects.exists()


def test_a_retry_with_the_same_key_is_recorded_once(persona, bus):
    from xiaoan.core.idempotency import IdempotencyMismatch

    officer = persona("school_a_officer")
    first = record_check(officer, bus.pk, all_ok(), idempotency_key="k1", fingerprint="f")
    again = record_check(officer, bus.pk, all_ok(), idempotency_key="k1", fingerprint="f")
    assert again.pk == first.pk and again.replayed and BusCheck.objects.count() == 1
    with pytest.raises(IdempotencyMismatch):
        record_check(officer, bus.pk, all_ok(), idempotency_key="k1", fingerprint="other")
