"""大型活动 through the services: the register's rules, the pre-event inspection linked as the
event's subject, and the sign-off with every refusal."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from xiaoan.core import history, registers
from xiaoan.core.errors import Conflict, Forbidden, Invalid, NotFound
from xiaoan.events import services
from xiaoan.events.models import Event
from xiaoan.events.registers import EVENTS
from xiaoan.events.tests.support import (
    SCHOOL_A,
    SCHOOL_B,
    attach_plan,
    days,
    make,
    precheck,
    ready,
)
from xiaoan.hazards.models import Hazard
from xiaoan.inspections.choices import InspectionKind

pytestmark = pytest.mark.django_db


def test_it_refuses_dates_out_of_order_and_an_event_without_a_place(persona, units):
    officer = persona("school_a_officer")
    with pytest.raises(Invalid) as refused:
        make(officer, units[SCHOOL_A], ends_on=days(1), starts_on=days(3))
    assert "ends_on" in refused.value.fields
    with pytest.raises(Invalid) as nowhere:
        make(officer, units[SCHOOL_A], destination="")
    assert "destination" in nowhere.value.fields
    with pytest.raises(Invalid) as other_unit:
        make(officer, units[SCHOOL_B])
    assert "unit" in other_unit.value.fields
    with pytest.raises(Forbidden):
        make(persona("auditor"), units[SCHOOL_A])
    assert not Event.objects.exists()


def test_an_inspection_names_the_event_and_shows_among_its_checks(persona, units, checklist):
    officer = persona("school_a_officer")
    event = make(officer, units[SCHOOL_A])
    inspection = precheck(officer, event, checklist)
    assert inspection.subject == event and inspection.kind == InspectionKind.CAMPAIGN
    assert list(services.prechecks(event)) == [inspection]
    linked = registers.linked_records(EVENTS, officer, event)
    assert linked.inspections == [inspection]
    # A self-check naming the event is linked, but is no pre-event 专项检查.
    precheck(officer, event, checklist, kind=InspectionKind.SELF_CHECK)
    assert services.prechecks(event).count() == 1


def test_it_refuses_the_sign_off_until_plan_and_check_are_done(persona, units, checklist):
    officer, head = persona("school_a_officer"), persona("school_a_head")
    event = make(officer, units[SCHOOL_A])
    with pytest.raises(Conflict) as bare:
        services.sign_off(head, event.pk, note="同意")
    assert "安全工作方案" in str(bare.value.message) and "活动前安全检查" in str(bare.value.message)
    attach_plan(officer, event)
    inspection = precheck(officer, event, checklist)  # created, not submitted yet
    with pytest.raises(Conflict) as unchecked:
        services.sign_off(head, event.pk)
    assert "活动前安全检查" in str(unchecked.value.message)
    assert "安全工作方案" not in str(unchecked.value.message)
    from xiaoan.inspections.tests.support import done

    done(persona, inspection)
    signed = services.sign_off(head, event.pk, note="同意按方案举办")
    assert signed.signed_off_by == head and signed.signed_off_at is not None
    assert signed.signoff_note == "同意按方案举办"
    assert any(e.reason == "签批" for e in history.entries_for(signed))
    with pytest.raises(Conflict) as twice:
        services.sign_off(head, event.pk)
    assert "已签批" in str(twice.value.message)
    # The signed event exports: its sign-off time as the local time, Excel having no zones.
    import io

    from openpyxl import load_workbook

    from xiaoan.core.register_sheets import export_response

    response = export_response(EVENTS, Event.objects.filter(pk=event.pk))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = [c for row in book.active.iter_rows(values_only=True) for c in row]
    local = timezone.localtime(signed.signed_off_at).replace(tzinfo=None, second=0, microsecond=0)
    assert any(
        isinstance(c, dt.datetime) and c.replace(second=0, microsecond=0) == local for c in cells
    )


def test_it_refuses_the_sign_off_while_a_major_hazard_is_open(persona, units, checklist):
    head = persona("school_a_head")
    event = make(persona("school_a_officer"), units[SCHOOL_A])
    ready(persona, event, checklist, s02="fail")
    majors = services.open_major_hazards(event)
    assert majors.count() == 1
    with pytest.raises(Conflict) as refused:
        services.sign_off(head, event.pk)
    assert "重大隐患" in str(refused.value.message)
    Hazard.objects.filter(pk__in=majors.values("pk")).update(status="closed")
    assert services.sign_off(head, event.pk).is_signed_off


def test_it_refuses_the_sign_off_after_the_start_but_allows_it_on_the_day(
    persona, units, checklist
):
    officer, head = persona("school_a_officer"), persona("school_a_head")
    begun = make(officer, units[SCHOOL_A], starts_on=days(-1), ends_on=days(1))
    ready(persona, begun, checklist)
    with pytest.raises(Conflict) as late:
        services.sign_off(head, begun.pk)
    assert "活动已开始" in str(late.value.message)
    today = make(officer, units[SCHOOL_A], name="今天", starts_on=days(0), ends_on=None)
    ready(persona, today, checklist)
    assert services.sign_off(head, today.pk).is_signed_off


def test_it_refuses_the_sign_off_out_of_scope_without_the_right_and_retired(
    persona, units, checklist
):
    officer, head = persona("school_a_officer"), persona("school_a_head")
    event = make(officer, units[SCHOOL_A])
    ready(persona, event, checklist)
    with pytest.raises(Forbidden):
        services.sign_off(officer, event.pk)  # a safety officer prepares, the head signs
    with pytest.raises(NotFound):
        services.sign_off(persona("uni_head"), event.pk)
    with pytest.raises(NotFound):
        services.sign_off(head, 999999)
    registers.retire(EVENTS, officer, event.pk, reason="取消")
    with pytest.raises(Conflict):
        services.sign_off(head, event.pk)
    assert Event.objects.get(pk=event.pk).signed_off_at is None


def test_changing_the_signed_event_withdraws_the_sign_off(persona, units, checklist):
    officer, head = persona("school_a_officer"), persona("school_a_head")
    event = make(officer, units[SCHOOL_A])
    ready(persona, event, checklist)
    services.sign_off(head, event.pk)
    registers.update(EVENTS, officer, event.pk, {"note": "备注而已"})
    assert Event.objects.get(pk=event.pk).is_signed_off
    registers.update(EVENTS, officer, event.pk, {"participants": 3000})
    event.refresh_from_db()
    assert not event.is_signed_off and event.signed_off_by is None


def test_the_district_head_may_sign_off_a_school_event(persona, units, checklist):
    event = make(persona("school_a_officer"), units[SCHOOL_A])
    ready(persona, event, checklist)
    assert services.sign_off(persona("district_head"), event.pk).is_signed_off


def test_the_precheck_link_fills_in_the_inspection_form(persona, units):
    event = make(persona("school_a_officer"), units[SCHOOL_A])
    url = services.precheck_url(event)
    assert "kind=campaign" in url and f"subject=events%3A{event.pk}" in url
    assert f"unit={event.unit_id}" in url and "checklist=" in url  # the built-in CROWD-EVENT
