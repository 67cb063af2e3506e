"""The fire asset register's own rules through its services: names, types per kind, dates,
the natural key, retiring, due dates warned 30 days ahead."""

from __future__ import annotations

import pytest

from xiaoan.core import registers
from xiaoan.core.errors import Conflict, Forbidden, Invalid, NotFound
from xiaoan.core.models import DueDate
from xiaoan.fireassets.registers import FIRE_ASSETS
from xiaoan.fireassets.tests.support import SCHOOL_A, SCHOOL_B, data, days, make, place

pytestmark = pytest.mark.django_db


def test_it_names_a_numbered_extinguisher_after_its_kind_and_code(persona, units):
    asset = make(persona("school_a_officer"), units[SCHOOL_A])
    assert asset.name == "灭火器 MHQ-01" and asset.history.count() == 1
    named = make(persona("school_a_officer"), units[SCHOOL_A], code="X", name="楼道灭火器")
    assert named.name == "楼道灭火器"


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"asset_type": "smoke"}, "asset_type"),  # a detector's type on an extinguisher
        ({"asset_type": ""}, "asset_type"),  # an extinguisher must say its agent
        ({"kind": "detector", "asset_type": ""}, "asset_type"),
        ({"produced_on": days(3)}, "produced_on"),
        ({"produced_on": days(-10), "expires_on": days(-20)}, "expires_on"),
        ({"last_serviced_on": days(2)}, "last_serviced_on"),
        ({"last_serviced_on": days(-5), "next_service_on": days(-6)}, "next_service_on"),
        ({"kind": "rocket"}, "kind"),
    ],
)
def test_it_refuses_what_does_not_fit(persona, units, fields, field):
    with pytest.raises(Invalid) as caught:
        make(persona("school_a_officer"), units[SCHOOL_A], **fields)
    assert field in caught.value.fields


def test_it_takes_a_station_and_a_hydrant_without_agent(persona, units):
    officer = persona("school_a_officer")
    station = make(officer, units[SCHOOL_A], kind="station", code="WXZ", asset_type="")
    hydrant = make(officer, units[SCHOOL_A], kind="hydrant", code="XHS", asset_type="outdoor")
    assert station.name == "微型消防站 WXZ" and hydrant.get_asset_type_display() == "室外消火栓"


def test_it_keeps_one_code_per_unit(persona, units):
    officer = persona("school_a_officer")
    make(officer, units[SCHOOL_A])
    with pytest.raises(Invalid):
        make(officer, units[SCHOOL_A])
    make(persona("district_officer"), units[SCHOOL_B])  # another school may use it


def test_it_refuses_out_of_scope_units_places_and_people(persona, units):
    with pytest.raises(Invalid) as caught:
        make(persona("school_a_officer"), units[SCHOOL_B])
    assert "unit" in caught.value.fields
    with pytest.raises(Invalid) as caught:
        make(persona("school_a_officer"), units[SCHOOL_A], place=place(units[SCHOOL_B]))
    assert "place" in caught.value.fields
    with pytest.raises(Forbidden):
        make(persona("auditor"), units[SCHOOL_A])
    other = make(persona("district_officer"), units[SCHOOL_B])
    with pytest.raises(NotFound):
        registers.update(FIRE_ASSETS, persona("school_a_officer"), other.pk, {"capacity": "5kg"})


def test_it_retires_never_deletes_and_then_refuses_changes(persona, units):
    officer = persona("school_a_officer")
    asset = make(officer, units[SCHOOL_A])
    assert DueDate.objects.filter(object_id=asset.pk).count() == 1
    registers.retire(FIRE_ASSETS, officer, asset.pk, reason="已报废送回收")
    assert not DueDate.objects.filter(object_id=asset.pk, content_type=FIRE_ASSETS.content_type())
    with pytest.raises(Conflict):
        registers.update(FIRE_ASSETS, officer, asset.pk, {"capacity": "5kg"})


def test_expiry_and_service_are_due_dates_warned_30_days_ahead(persona, units):
    from xiaoan.core import register_due
    from xiaoan.notifications.models import Notification

    officer = persona("school_a_officer")
    asset = make(officer, units[SCHOOL_A], expires_on=days(25), next_service_on=days(60))
    rows = {r.key: r for r in registers.due_rows(FIRE_ASSETS, asset)}
    assert rows["expires_on"].warn_on == days(-5)
    assert rows["next_service_on"].warn_on == days(30)
    sent = register_due.daily()
    assert sent["due_soon"] == 1
    note = Notification.objects.filter(recipient=officer).latest("pk")
    assert "消防器材" in note.title and asset.name in note.body
    assert register_due.daily()["due_soon"] == 0  # once per date


def test_the_api_shape_names_the_subject(persona, units):
    asset = make(persona("school_a_officer"), units[SCHOOL_A], **{"note": "走廊"})
    assert registers.subject_token(asset) == f"fireassets:{asset.pk}"
    assert data(units[SCHOOL_A])["kind"] == "extinguisher"
