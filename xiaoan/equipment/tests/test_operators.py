"""Operators as certificates through the services: the kind each equipment kind needs, the
re-check when an item's kind or unit changes, and the change log."""

from __future__ import annotations

import pytest
from django.utils import timezone

from xiaoan.certificates import holders
from xiaoan.core import history, registers
from xiaoan.core.errors import Invalid
from xiaoan.equipment import operators
from xiaoan.equipment.registers import EQUIPMENT
from xiaoan.equipment.tests.support import SCHOOL_A, SCHOOL_B, certificate, days, make

pytestmark = pytest.mark.django_db


def test_each_kind_needs_its_certificate_kind():
    assert operators.fitting_kind("boiler") == "boiler"
    for kind in ("elevator", "pressure_vessel", "pressure_pipe", "crane", "vehicle"):
        assert operators.fitting_kind(kind) == "special_equipment"


def test_it_links_operators_and_logs_the_change(persona, units):
    officer = persona("school_a_officer")
    ticket = certificate(units[SCHOOL_A], "G1", name="王五", kind="boiler")
    item = make(officer, units[SCHOOL_A], kind="boiler", code="锅1", operators=[ticket])
    assert list(item.operators.all()) == [ticket]
    assert history.entries_for(item)[0].reason == "作业人员：王五（G1）"


@pytest.mark.parametrize("why", ["other school", "retired", "unfit kind"])
def test_it_refuses_certificates_that_do_not_fit(persona, units, why):
    officer = persona("district_officer")
    ticket = {
        "other school": lambda: certificate(units[SCHOOL_B], "T1"),
        "retired": lambda: certificate(units[SCHOOL_A], "T1", retired_at=timezone.now()),
        "unfit kind": lambda: certificate(units[SCHOOL_A], "T1", kind="boiler"),
    }[why]()
    with pytest.raises(Invalid) as error:
        make(officer, units[SCHOOL_A], operators=[ticket.pk])
    assert "operators" in error.value.fields


def test_a_kind_or_unit_change_rechecks_the_kept_operators(persona, units):
    officer = persona("district_officer")
    ticket = certificate(units[SCHOOL_A], "T1")
    item = make(officer, units[SCHOOL_A], operators=[ticket.pk])
    with pytest.raises(Invalid) as error:
        registers.update(EQUIPMENT, officer, item.pk, {"kind": "boiler"})
    assert "锅炉作业" in error.value.fields["operators"][0]
    with pytest.raises(Invalid) as error:
        registers.update(EQUIPMENT, officer, item.pk, {"unit": units[SCHOOL_B]})
    assert "不属于本单位" in error.value.fields["operators"][0]
    registers.update(EQUIPMENT, officer, item.pk, {"kind": "crane"})  # still fits
    assert item.operators.get() == ticket


def test_the_status_marks_expired_and_expiring_certificates(units):
    today = timezone.localdate()
    school = units[SCHOOL_A]
    assert holders.status(certificate(school, "A", valid_until=days(31)), today) == "valid"
    assert holders.status(certificate(school, "B", valid_until=days(30)), today) == "expiring"
    assert holders.status(certificate(school, "C", valid_until=days(-1)), today) == "expired"
    assert holders.status(certificate(school, "D", valid_until=None), today) == "valid"
    assert holders.status(certificate(school, "E", valid_from=days(3)), today) == "not_yet"
