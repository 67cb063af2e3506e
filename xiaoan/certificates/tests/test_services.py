"""持证上岗 rules through the register services: ID numbers checked, encrypted and masked,
the holder a user of the unit or a name, dates in order, expiry a due date warned 30 days
ahead."""

from __future__ import annotations

import pytest
from django.db import connection

from xiaoan.certificates import idnumbers
from xiaoan.certificates.models import Certificate
from xiaoan.certificates.registers import CERTIFICATES
from xiaoan.certificates.tests.support import ID_A, SCHOOL_A, SCHOOL_B, data, days, make
from xiaoan.core import history, registers
from xiaoan.core.errors import Forbidden, Invalid
from xiaoan.core.models import DueDate

pytestmark = pytest.mark.django_db


def test_it_checks_the_id_number_check_digit():
    assert idnumbers.is_valid(ID_A)
    wrong = ID_A[:17] + ("0" if ID_A[17] != "0" else "1")
    assert not idnumbers.is_valid(wrong)
    assert not idnumbers.is_valid("420702198013011234")  # month 13
    assert not idnumbers.is_valid("42070219800101123")  # 17 digits
    assert idnumbers.is_valid(idnumbers.make("11010519491231002"))  # check "X"
    assert idnumbers.make("11010519491231002").endswith("X")


def test_it_refuses_a_wrong_id_number_and_reads_a_lower_case_x(persona, units):
    officer = persona("school_a_officer")
    with pytest.raises(Invalid) as refused:
        make(officer, units[SCHOOL_A], id_number=ID_A[:17] + ("0" if ID_A[17] != "0" else "1"))
    assert "id_number" in refused.value.fields
    x_number = idnumbers.make("11010519491231002")
    item = make(officer, units[SCHOOL_A], id_number=x_number.lower(), code="X1")
    item.refresh_from_db()
    assert item.id_number == x_number


def test_it_stores_the_id_number_encrypted_and_finds_it_by_hash(persona, units):
    item = make(persona("school_a_officer"), units[SCHOOL_A])
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM certificates_certificate WHERE id = %s", [item.pk])
        stored = cursor.fetchone()[0]
        cursor.execute(
            "SELECT id_number FROM certificates_historicalcertificate WHERE id = %s", [item.pk]
        )
        in_history = cursor.fetchone()[0]
    assert stored.startswith("sm4gcm:") and ID_A not in stored
    assert in_history.startswith("sm4gcm:")
    assert list(Certificate.objects.filter(id_number_hash__matches=ID_A)) == [item]


def test_it_masks_the_id_number_in_the_change_log(persona, units):
    officer = persona("school_a_officer")
    item = make(officer, units[SCHOOL_A])
    registers.update(
        CERTIFICATES, officer, item.pk, {"id_number": idnumbers.make("42070219920315002")}
    )
    text = str([(c.old, c.new, c.field) for e in history.entries_for(item) for c in e.changes])
    assert ID_A not in text and "420702********" in text
    assert "sm3:" not in text and "sha256:" not in text  # the hash is not shown


def test_it_takes_the_name_of_a_user_of_the_unit(persona, units):
    officer = persona("school_a_officer")
    owner = persona("school_a_owner")
    item = make(officer, units[SCHOOL_A], name="", person=owner, code="U1")
    assert item.name == owner.name
    with pytest.raises(Invalid) as refused:
        make(officer, units[SCHOOL_A], name="", person=persona("school_b_teacher"), code="U2")
    assert "person" in refused.value.fields
    with pytest.raises(Invalid) as nameless:
        make(officer, units[SCHOOL_A], name="", code="U3")
    assert "name" in nameless.value.fields


def test_it_refuses_dates_out_of_order_and_duplicate_numbers(persona, units):
    officer = persona("school_a_officer")
    with pytest.raises(Invalid) as refused:
        make(officer, units[SCHOOL_A], valid_from=days(10), valid_until=days(5))
    assert "valid_until" in refused.value.fields
    make(officer, units[SCHOOL_A])
    with pytest.raises(Invalid):
        make(officer, units[SCHOOL_A])  # same unit, kind and number
    make(officer, units[SCHOOL_A], kind="electrician", post="electrician")  # another kind


def test_it_refuses_outside_the_scope_and_without_the_right(persona, units):
    with pytest.raises(Invalid) as refused:
        make(persona("school_a_officer"), units[SCHOOL_B])
    assert "unit" in refused.value.fields
    with pytest.raises(Forbidden):
        make(persona("auditor"), units[SCHOOL_A])


def test_it_keeps_the_expiry_as_a_due_date_warned_30_days_ahead(persona, units):
    officer = persona("school_a_officer")
    item = make(officer, units[SCHOOL_A], valid_until=days(20))
    row = DueDate.objects.get(object_id=item.pk, content_type=CERTIFICATES.content_type())
    assert row.due_on == days(20) and row.warn_on == days(-10)
    registers.update(CERTIFICATES, officer, item.pk, {"valid_until": None})
    assert not DueDate.objects.filter(object_id=item.pk, key="valid_until").exists()


def test_it_is_valid_only_between_its_dates_and_while_in_use(persona, units):
    item = make(persona("school_a_officer"), units[SCHOOL_A], valid_until=days(10))
    assert item.valid_on(days(0)) and item.valid_on(days(10))
    assert not item.valid_on(days(11)) and not item.valid_on(days(-401))
    registers.retire(CERTIFICATES, persona("school_a_officer"), item.pk, reason="离职")
    item.refresh_from_db()
    assert not item.valid_on(days(0))


def test_it_warns_the_unit_before_expiry(persona, units):
    from xiaoan.core.register_due import daily
    from xiaoan.notifications.models import Notification

    make(persona("school_a_officer"), units[SCHOOL_A], valid_until=days(15))
    first = daily(days(0))
    assert first["due_soon"] == 1 and first["notifications"] >= 1
    officer = persona("school_a_officer")
    assert Notification.objects.filter(recipient=officer).exists()
    assert daily(days(0))["due_soon"] == 0  # once per item and date


def test_data_helper_is_complete(units):
    assert set(data(units[SCHOOL_A])) >= {"unit", "name", "kind", "code", "post"}


def test_it_fills_the_demo_once(demo):
    from xiaoan.certificates.demo import load_certificates

    assert load_certificates() == 6
    assert load_certificates() == 0
    assert Certificate.objects.filter(kind="welding").exists()
