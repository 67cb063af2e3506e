"""Property-based tests of the ledger's invariants (hypothesis): over random sequences of
receipts, issues, returns, uses, waste transfers, second signatures (confirm, reject) and
stocktakes — many of them refused — a balance is never negative, always equals the sum of its
posted movements (and the model's own bookkeeping), and a refused step changes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xiaoan.chemicals import services
from xiaoan.chemicals.choices import DIRECTION, RECORDABLE, MovementStatus
from xiaoan.chemicals.models import Balance, StockMovement, StocktakeLine
from xiaoan.chemicals.tests.support import make_chemical, make_storage
from xiaoan.core.errors import ServiceError

pytestmark = pytest.mark.django_db

CHEMICALS = 3  # two ordinary, the last one controlled (双人双锁)
STORAGES = 2
amounts = st.decimals(min_value=Decimal("0.001"), max_value=Decimal("12"), places=3)
counts = st.decimals(min_value=Decimal("0"), max_value=Decimal("12"), places=3)

record = st.tuples(
    st.just("record"),
    st.integers(0, CHEMICALS - 1),
    st.integers(0, STORAGES - 1),
    st.sampled_from([k.value for k in RECORDABLE]),
    amounts,
    st.booleans(),  # recorded by the officer (else by the head)
)
sign = st.tuples(
    st.sampled_from(["confirm", "reject"]),
    st.integers(0, 50),  # which pending movement
    st.booleans(),  # signed by the head (else by the officer: refused for their own)
)
count = st.tuples(
    st.just("stocktake"),
    st.integers(0, STORAGES - 1),
    st.lists(st.tuples(st.integers(0, CHEMICALS - 1), counts, st.booleans()), max_size=3),
)
operations = st.lists(st.one_of(record, record, sign, count), min_size=1, max_size=25)


class Rollback(Exception):
    pass


def snapshot():
    return (
        sorted(Balance.objects.values_list("chemical_id", "storage_id", "quantity")),
        sorted(StockMovement.objects.values_list("pk", "status", "quantity")),
        StocktakeLine.objects.count(),
    )


@pytest.fixture
def ledger(persona, units):
    storages = [make_storage(persona, units, f"专柜{i}") for i in range(STORAGES)]
    chemicals = [make_chemical(persona, units, f"试剂{i}") for i in range(CHEMICALS - 1)]
    chemicals.append(make_chemical(persona, units, "剧毒试剂", controlled=True))
    return persona("school_a_officer"), persona("school_a_head"), chemicals, storages


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=operations)
def test_it_keeps_every_balance_non_negative_and_equal_to_its_movements(ledger, ops):
    officer, head, chemicals, storages = ledger
    try:
        with transaction.atomic():
            run(ops, officer, head, chemicals, storages)
            raise Rollback
    except Rollback:
        pass


def run(ops, officer, head, chemicals, storages):
    expected: dict[tuple[int, int], Decimal] = {}
    for op in ops:
        before = snapshot()
        try:
            apply(op, officer, head, chemicals, storages, expected)
        except ServiceError:
            assert snapshot() == before, f"a refused {op[0]} changed the ledger"
        rows = list(Balance.objects.all())
        assert all(b.quantity >= 0 for b in rows)
        assert services.reconcile(rows) == []
        assert {(b.chemical_id, b.storage_id): b.quantity for b in rows if b.quantity} == {
            k: v for k, v in expected.items() if v
        }


def apply(op, officer, head, chemicals, storages, expected) -> None:
    kind = op[0]
    if kind == "record":
        _k, c, s, what, qty, by_officer = op
        chem, store = chemicals[c], storages[s]
        movement = services.record_movement(
            officer if by_officer else head,
            chemical=chem.pk,
            storage=store.pk,
            kind=what,
            quantity=qty,
            recipient_name="王老师",
            purpose="实验",
            disposer_name="处置公司",
            disposer_licence="HW-1",
        )
        assert movement.status == (
            MovementStatus.PENDING if chem.controlled else MovementStatus.POSTED
        )
        if movement.status == MovementStatus.POSTED:
            key = (chem.pk, store.pk)
            expected[key] = expected.get(key, Decimal(0)) + qty * DIRECTION[what]
    elif kind in ("confirm", "reject"):
        _k, index, by_head = op
        pending = list(StockMovement.objects.filter(status=MovementStatus.PENDING).order_by("pk"))
        if not pending:
            return
        target = pending[index % len(pending)]
        signer = head if by_head else officer
        if kind == "confirm":
            done = services.confirm_movement(signer, target.pk)
            assert done.second_signer_id != done.actor_id
            key = (done.chemical_id, done.storage_id)
            expected[key] = expected.get(key, Decimal(0)) + done.quantity
        else:
            services.reject_movement(signer, target.pk, note="核对有误")
    else:
        _k, s, lines = op
        store = storages[s]
        seen, body = set(), []
        for c, counted, explained in lines:
            if c in seen:
                continue
            seen.add(c)
            body.append(
                {
                    "chemical": chemicals[c].pk,
                    "counted_quantity": counted,
                    "reason": "盘点差异" if explained else "",
                }
            )
        stocktake = services.create_stocktake(officer, store, lines=body)
        for line in stocktake.lines.select_related("movement"):
            if line.movement and line.movement.status == MovementStatus.POSTED:
                key = (line.chemical_id, store.pk)
                expected[key] = expected.get(key, Decimal(0)) + line.difference
