"""The ledger's rules at the service level: posting, refusals, 双人双锁, retiring, and the
database's own constraints as the backstop."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from xiaoan.chemicals import services
from xiaoan.chemicals.choices import MovementKind, MovementStatus
from xiaoan.chemicals.models import Balance, StockMovement
from xiaoan.chemicals.registers import CHEMICALS, STORAGES
from xiaoan.chemicals.tests.support import (
    SCHOOL_A,
    make_chemical,
    make_storage,
    move,
    move_signed,
    school_b_storage,
)
from xiaoan.core import registers
from xiaoan.core.errors import Conflict, Forbidden, Invalid, NotFound

pytestmark = pytest.mark.django_db


def balance(chemical, storage) -> Decimal:
    return services.book_quantity(chemical, storage)


def test_it_posts_an_uncontrolled_receipt_and_issue_at_once(persona, units):
    storage, ethanol = make_storage(persona, units), make_chemical(persona, units)
    officer = persona("school_a_officer")
    received = move(officer, ethanol, storage, MovementKind.RECEIPT, "10")
    issued = move(officer, ethanol, storage, MovementKind.ISSUE, "2.5")
    assert (received.status, issued.status) == (MovementStatus.POSTED, MovementStatus.POSTED)
    assert issued.quantity == Decimal("-2.500") and issued.balance_after == Decimal("7.500")
    assert balance(ethanol, storage) == Decimal("7.500")
    assert services.reconcile() == []


def test_it_refuses_an_issue_beyond_the_balance_and_writes_nothing(persona, units):
    storage, ethanol = make_storage(persona, units), make_chemical(persona, units)
    officer = persona("school_a_officer")
    move(officer, ethanol, storage, MovementKind.RECEIPT, "1")
    before = StockMovement.objects.count()
    with pytest.raises(Conflict) as refused:
        move(officer, ethanol, storage, MovementKind.ISSUE, "1.001")
    assert "库存不足" in str(refused.value.message)
    assert StockMovement.objects.count() == before
    assert balance(ethanol, storage) == Decimal("1")


@pytest.mark.parametrize(
    ("kind", "missing"),
    [
        (MovementKind.ISSUE, {"recipient_name": "", "purpose": ""}),
        (MovementKind.WASTE, {"disposer_name": "", "disposer_licence": ""}),
        (MovementKind.USE, {"purpose": ""}),
        (MovementKind.RETURN, {"recipient_name": ""}),
    ],
)
def test_it_requires_who_and_what_for_per_kind(persona, units, kind, missing):
    storage, ethanol = make_storage(persona, units), make_chemical(persona, units)
    officer = persona("school_a_officer")
    move(officer, ethanol, storage, MovementKind.RECEIPT, "5")
    with pytest.raises(Invalid) as refused:
        move(officer, ethanol, storage, kind, "1", **missing)
    assert set(refused.value.fields) == set(missing)


@pytest.mark.parametrize("qty", ["0", "-1", "0.0001", "abc", "1e12"])
def test_it_refuses_quantities_that_are_not_positive_three_place_amounts(persona, units, qty):
    storage, ethanol = make_storage(persona, units), make_chemical(persona, units)
    with pytest.raises(Invalid) as refused:
        move(persona("school_a_officer"), ethanol, storage, MovementKind.RECEIPT, qty)
    assert "quantity" in refused.value.fields


def test_it_refuses_adjustments_outside_a_stocktake(persona, units):
    storage, ethanol = make_storage(persona, units), make_chemical(persona, units)
    with pytest.raises(Invalid):
        move(persona("school_a_officer"), ethanol, storage, MovementKind.ADJUSTMENT, "1")


def test_it_holds_a_controlled_movement_until_a_second_person_confirms(persona, units):
    storage, cyanide = (
        make_storage(persona, units),
        make_chemical(persona, units, "氰化钾", controlled=True),
    )
    officer, head = persona("school_a_officer"), persona("school_a_head")
    received = move(officer, cyanide, storage, MovementKind.RECEIPT, "3")
    assert received.status == MovementStatus.PENDING and received.needs_second
    assert balance(cyanide, storage) == 0
    with pytest.raises(Forbidden) as own:
        services.confirm_movement(officer, received.pk)
    assert "另一人" in str(own.value.message)
    confirmed = services.confirm_movement(head, received.pk)
    assert confirmed.status == MovementStatus.POSTED
    assert (confirmed.actor, confirmed.second_signer) == (officer, head)
    assert balance(cyanide, storage) == Decimal("3")
    assert [e.action for e in confirmed.events.all()] == ["record", "confirm"]
    with pytest.raises(Conflict):  # confirmed once only
        services.confirm_movement(persona("district_officer"), received.pk)


def test_it_refuses_a_second_signer_without_the_right_in_that_unit(persona, units):
    storage, cyanide = (
        make_storage(persona, units),
        make_chemical(persona, units, "氰化钾", controlled=True),
    )
    received = move(persona("school_a_officer"), cyanide, storage, MovementKind.RECEIPT, "3")
    with pytest.raises(Forbidden):  # sees the ledger, may not sign
        services.confirm_movement(persona("auditor"), received.pk)
    with pytest.raises(NotFound):  # another school's person does not even see it
        services.confirm_movement(persona("uni_security"), received.pk)
    assert balance(cyanide, storage) == 0


def test_it_refuses_to_confirm_an_issue_the_stock_no_longer_covers(persona, units):
    storage, cyanide = (
        make_storage(persona, units),
        make_chemical(persona, units, "氰化钾", controlled=True),
    )
    officer, head = persona("school_a_officer"), persona("school_a_head")
    move_signed(persona, cyanide, storage, MovementKind.RECEIPT, "1")
    first = move(officer, cyanide, storage, MovementKind.ISSUE, "1")
    second = move(officer, cyanide, storage, MovementKind.ISSUE, "1")
    services.confirm_movement(head, first.pk)
    with pytest.raises(Conflict):
        services.confirm_movement(head, second.pk)
    second.refresh_from_db()
    assert second.status == MovementStatus.PENDING and second.balance_after is None
    assert balance(cyanide, storage) == 0
    rejected = services.reject_movement(head, second.pk, note="库存已领完")
    assert rejected.status == MovementStatus.REJECTED
    assert balance(cyanide, storage) == 0 and services.reconcile() == []


def test_it_requires_a_reason_to_reject(persona, units):
    storage, cyanide = (
        make_storage(persona, units),
        make_chemical(persona, units, "氰化钾", controlled=True),
    )
    received = move(persona("school_a_officer"), cyanide, storage, MovementKind.RECEIPT, "3")
    with pytest.raises(Invalid):
        services.reject_movement(persona("school_a_head"), received.pk, note=" ")


def test_it_refuses_a_storage_of_another_unit_and_people_outside_the_unit(persona, units):
    officer = persona("school_a_officer")

    def storage(actor, unit, **fields):
        data = {"unit": unit, "name": "柜", "kind": "cabinet", **fields}
        return registers.create(STORAGES, actor, data)

    with pytest.raises(Invalid) as same:
        storage(officer, units[SCHOOL_A], keeper_one=officer, keeper_two=officer)
    assert "keeper_two" in same.value.fields
    with pytest.raises(Invalid) as outsider:
        storage(
            officer,
            units[SCHOOL_A],
            keeper_one=officer,
            keeper_two=persona("school_b_teacher"),
        )
    assert "keeper_two" in outsider.value.fields
    with pytest.raises(Forbidden):  # sees School B, may not add anywhere
        storage(persona("auditor"), units["东沟镇中心小学"])
    with pytest.raises(Invalid) as elsewhere:  # a unit outside the officer's school
        storage(officer, units["东沟镇中心小学"], keeper_one=officer)
    assert "unit" in elsewhere.value.fields


def test_it_refuses_to_move_a_chemical_into_another_units_storage(persona, units):
    ethanol = make_chemical(persona, units)
    other = school_b_storage(persona, units)
    with pytest.raises(Invalid) as refused:
        move(persona("district_officer"), ethanol, other, MovementKind.RECEIPT, "1")
    assert "storage" in refused.value.fields
    with pytest.raises(NotFound):  # another school's person does not see School A's catalogue
        move(
            persona("uni_security"),
            ethanol,
            make_storage(persona, units),
            MovementKind.RECEIPT,
            "1",
        )


def test_it_retires_only_empty_entries_and_never_deletes(persona, units):
    storage, ethanol = make_storage(persona, units), make_chemical(persona, units)
    officer = persona("school_a_officer")
    move(officer, ethanol, storage, MovementKind.RECEIPT, "2")
    with pytest.raises(Conflict):
        registers.retire(CHEMICALS, officer, ethanol.pk, reason="不再使用")
    with pytest.raises(Conflict):
        registers.retire(STORAGES, officer, storage.pk, reason="搬迁")
    move(officer, ethanol, storage, MovementKind.WASTE, "2")
    with pytest.raises(Invalid):
        registers.retire(CHEMICALS, officer, ethanol.pk, reason="")
    retired = registers.retire(CHEMICALS, officer, ethanol.pk, reason="不再使用")
    assert retired.is_retired and retired.retired_by == officer
    with pytest.raises(Invalid):  # no new movements of a retired chemical
        move(officer, ethanol, storage, MovementKind.RECEIPT, "1")
    with pytest.raises(Forbidden):
        registers.retire(STORAGES, persona("auditor"), storage.pk, reason="搬迁")


def test_it_posts_stocktake_differences_as_explained_adjustments(persona, units):
    storage = make_storage(persona, units)
    ethanol = make_chemical(persona, units)
    acetone = make_chemical(persona, units, "丙酮")
    cyanide = make_chemical(persona, units, "氰化钾", controlled=True)
    officer = persona("school_a_officer")
    for chem in (ethanol, acetone, cyanide):
        move_signed(persona, chem, storage, MovementKind.RECEIPT, "5")
    with pytest.raises(Invalid) as unexplained:
        services.create_stocktake(
            officer, storage, lines=[{"chemical": ethanol.pk, "counted_quantity": "4"}]
        )
    assert "lines.0.reason" in unexplained.value.fields
    stocktake = services.create_stocktake(
        officer,
        storage,
        lines=[
            {"chemical": ethanol.pk, "counted_quantity": "4", "reason": "挥发损耗"},
            {"chemical": acetone.pk, "counted_quantity": "5"},
            {"chemical": cyanide.pk, "counted_quantity": "4", "reason": "账实不符，已上报"},
        ],
    )
    lines = {line.chemical_id: line for line in stocktake.lines.all()}
    assert lines[ethanol.pk].difference == Decimal("-1") and lines[acetone.pk].movement is None
    assert lines[ethanol.pk].movement.status == MovementStatus.POSTED
    assert lines[ethanol.pk].movement.kind == MovementKind.ADJUSTMENT
    assert balance(ethanol, storage) == Decimal("4")
    # A controlled chemical's adjustment waits for the second signature too.
    assert lines[cyanide.pk].movement.status == MovementStatus.PENDING
    assert balance(cyanide, storage) == Decimal("5")
    services.confirm_movement(persona("school_a_head"), lines[cyanide.pk].movement.pk)
    assert balance(cyanide, storage) == Decimal("4")
    assert services.reconcile() == []


def test_it_refuses_a_stocktake_by_someone_without_the_right(persona, units):
    storage, ethanol = make_storage(persona, units), make_chemical(persona, units)
    line = [{"chemical": ethanol.pk, "counted_quantity": "0"}]
    with pytest.raises(Forbidden):
        services.create_stocktake(persona("auditor"), storage.pk, lines=line)
    with pytest.raises(NotFound):
        services.create_stocktake(persona("uni_security"), storage.pk, lines=line)
    with pytest.raises(Invalid):
        services.create_stocktake(persona("school_a_officer"), storage.pk, lines=[])


def test_the_database_refuses_a_negative_balance_and_a_wrongly_signed_movement(persona, units):
    storage, ethanol = make_storage(persona, units), make_chemical(persona, units)
    move(persona("school_a_officer"), ethanol, storage, MovementKind.RECEIPT, "1")
    with pytest.raises(IntegrityError), transaction.atomic():
        Balance.objects.filter(chemical=ethanol).update(quantity=Decimal("-0.001"))
    received = StockMovement.objects.get(chemical=ethanol)
    with pytest.raises(IntegrityError), transaction.atomic():
        StockMovement.objects.filter(pk=received.pk).update(quantity=Decimal("-1"))
    with pytest.raises(IntegrityError), transaction.atomic():
        StockMovement.objects.filter(pk=received.pk).update(second_signer=received.actor)


def test_it_lets_a_superior_with_the_right_sign_and_refuses_a_retired_storage(persona, units):
    storage, cyanide = (
        make_storage(persona, units),
        make_chemical(persona, units, "氰化钾", controlled=True),
    )
    received = move(persona("school_a_officer"), cyanide, storage, MovementKind.RECEIPT, "1")
    signed = services.confirm_movement(persona("district_officer"), received.pk)
    assert signed.second_signer.username == "district_officer"
    move_signed(persona, cyanide, storage, MovementKind.WASTE, "1")
    registers.retire(STORAGES, persona("school_a_head"), storage.pk, reason="实验室改造")
    with pytest.raises(Invalid) as refused:
        move(persona("school_a_officer"), cyanide, storage, MovementKind.RECEIPT, "1")
    assert "storage" in refused.value.fields


def test_the_database_refuses_one_person_holding_both_keys(persona, units):
    storage = make_storage(persona, units)
    with pytest.raises(IntegrityError), transaction.atomic():
        type(storage).objects.filter(pk=storage.pk).update(keeper_two=storage.keeper_one)


def test_it_tells_the_keyholders_a_signature_waits_and_the_recorder_a_send_back(persona, units):
    from xiaoan.notifications.models import Notification

    storage, cyanide = (
        make_storage(persona, units),
        make_chemical(persona, units, "氰化钾", controlled=True),
    )
    officer, head = persona("school_a_officer"), persona("school_a_head")
    received = move(officer, cyanide, storage, MovementKind.RECEIPT, "3")
    asked = Notification.objects.filter(kind="review", url__endswith=f"/movements/{received.pk}/")
    assert [n.recipient for n in asked] == [head]  # not the recorder, who holds the other key
    assert "待复核" in asked[0].title
    services.reject_movement(head, received.pk, note="数量不符")
    told = Notification.objects.get(kind="returned", recipient=officer)
    assert told.body == "数量不符"
