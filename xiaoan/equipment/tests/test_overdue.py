"""An overdue statutory inspection raises one general hazard, linked to the equipment,
through the hazard service, from the registers' daily job: once per item and due date."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core.management import call_command

from xiaoan.core import register_due, registers
from xiaoan.core.choices import SafetyDomain
from xiaoan.core.models import DueDate
from xiaoan.equipment import services
from xiaoan.equipment.registers import EQUIPMENT
from xiaoan.equipment.tests.support import SCHOOL_A, days, make
from xiaoan.hazards import services as hazard_services
from xiaoan.hazards.choices import HazardAction, HazardLevel, HazardStatus
from xiaoan.hazards.models import Hazard, HazardRollup
from xiaoan.notifications.models import Notification

pytestmark = pytest.mark.django_db


def overdue_item(persona, units, **fields):
    return make(
        persona("school_a_officer"),
        units[SCHOOL_A],
        last_inspected_on=days(-380),
        next_inspection_on=days(-15),
        **fields,
    )


def test_the_daily_job_raises_one_general_hazard_through_the_service(persona, units):
    item = overdue_item(persona, units)
    spy = mock.patch.object(
        hazard_services,
        "record_register_finding",
        wraps=hazard_services.record_register_finding,
    )
    with spy as called:
        call_command("registers-daily")
        call_command("registers-daily")
        register_due.daily(days(1))
    assert called.call_count == 1
    hazard = Hazard.objects.get()
    assert hazard.subject == item and hazard.unit == units[SCHOOL_A]
    assert hazard.level == HazardLevel.GENERAL and hazard.status == HazardStatus.CONFIRMED
    assert hazard.domain == SafetyDomain.SPECIAL_EQUIPMENT and not hazard.is_supervised
    assert "定期检验已逾期" in hazard.description and item.name in hazard.description
    # Named as finder: one of the school's keepers of the register (the job is no person).
    assert hazard.finder in (persona("school_a_officer"), persona("school_a_head"))
    actions = list(hazard.events.order_by("pk").values_list("action", flat=True))
    assert actions[:2] == [HazardAction.REPORT, HazardAction.CONFIRM]
    assert HazardRollup.objects.get(unit=units[SCHOOL_A]).own.get("open_major", 0) == 0
    item.refresh_from_db()
    assert item.overdue_hazard == hazard and item.overdue_hazard_for == days(-15)
    # The keepers were told once that it is past.
    notices = Notification.objects.filter(
        recipient=persona("school_a_officer"), kind="overdue"
    ).count()
    assert notices == 1


def test_a_date_not_yet_past_raises_nothing(persona, units):
    make(persona("school_a_officer"), units[SCHOOL_A], next_inspection_on=days(0))
    register_due.daily()
    assert not Hazard.objects.exists()
    # Tomorrow it is past.
    register_due.daily(days(1))
    assert Hazard.objects.count() == 1


def test_a_new_inspection_moves_the_date_and_a_new_lapse_is_a_new_hazard(persona, units):
    officer = persona("school_a_officer")
    item = overdue_item(persona, units)
    register_due.daily()
    first = Hazard.objects.get()
    services.record_inspection(
        officer, item.pk, inspected_on=days(-1), conclusion="passed", next_inspection_on=days(30)
    )
    register_due.daily()
    assert Hazard.objects.count() == 1
    # A year later the new date has passed too: another hazard, for that date.
    register_due.daily(days(31))
    register_due.daily(days(32))
    assert Hazard.objects.count() == 2
    item.refresh_from_db()
    assert item.overdue_hazard != first and item.overdue_hazard_for == days(30)


def test_retired_equipment_raises_nothing(persona, units):
    item = overdue_item(persona, units)
    registers.retire(EQUIPMENT, persona("school_a_officer"), item.pk, reason="已报废")
    register_due.daily()
    assert not Hazard.objects.exists()


def test_the_import_with_a_past_date_is_caught_by_the_next_pass(persona, units):
    from xiaoan.core.register_sheets import import_items
    from xiaoan.equipment.tests.support import sheet

    rows = [[SCHOOL_A, "食堂锅炉", "锅炉", "锅11鄂A01", "", "", "", days(-3)]]
    assert import_items(EQUIPMENT, persona("school_a_officer"), sheet(rows)).ok
    register_due.daily()
    assert Hazard.objects.get().subject.code == "锅11鄂A01"


def test_a_failing_rule_is_tried_again_the_next_day(persona, units):
    overdue_item(persona, units)
    with mock.patch.object(
        hazard_services, "record_register_finding", side_effect=RuntimeError("boom")
    ):
        result = register_due.daily()
    assert result["overdue"] == 1 and not Hazard.objects.exists()
    assert DueDate.objects.get().overdue_for is None
    register_due.daily(days(1))
    assert Hazard.objects.count() == 1
    assert DueDate.objects.get().overdue_for == days(-15)


def test_without_a_keeper_the_last_editor_is_named(persona, units):
    from xiaoan.accounts.models import RoleAssignment

    item = make(
        persona("district_officer"),
        units[SCHOOL_A],
        last_inspected_on=days(-380),
        next_inspection_on=days(-15),
    )
    RoleAssignment.objects.filter(unit__path__startswith=units[SCHOOL_A].path).delete()
    register_due.daily()
    hazard = Hazard.objects.get()
    assert hazard.finder == persona("district_officer") and hazard.subject == item


def test_it_is_shown_on_the_items_page(client_for, persona, units):
    from django.urls import reverse

    item = overdue_item(persona, units)
    register_due.daily()
    page = client_for("school_a_officer").get(reverse("equipment:equipment_detail", args=[item.pk]))
    body = page.content.decode()
    assert Hazard.objects.get().number in body
