"""Two people issue the last bottle at the same moment (PostgreSQL: SQLite serialises all
writers, so the race cannot happen there): exactly one issue is posted, the other is refused
with 409, and the balance is zero, never -1."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

SCHOOL_A = "梁子湖高级中学"


@pytest.fixture
def demo_after_flush(django_db_blocker):
    """A transactional test empties the database when it ends; put the demo back."""
    yield
    from xiaoan.orgs.demo import load_demo

    with django_db_blocker.unblock():
        load_demo()


def _race(bodies, users, url="/api/chemical-movements/"):
    from rest_framework.test import APIClient

    barrier = threading.Barrier(len(bodies))
    answers: list = [None] * len(bodies)

    def run(index: int) -> None:
        client = APIClient()
        client.force_authenticate(users[index])
        try:
            barrier.wait(timeout=10)
            answers[index] = client.post(url, bodies[index], format="json")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(bodies))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises all writers")
def test_it_gives_the_last_bottle_to_exactly_one_of_two_racing_issues(
    demo_after_flush, transactional_db
):
    from xiaoan.accounts.models import User
    from xiaoan.chemicals import services
    from xiaoan.chemicals.models import Balance, StockMovement
    from xiaoan.chemicals.registers import CHEMICALS, STORAGES
    from xiaoan.core import registers
    from xiaoan.orgs.models import Unit

    officer = User.objects.get(username="school_a_officer")
    head = User.objects.get(username="school_a_head")
    school = Unit.objects.get(name=SCHOOL_A)
    storage = registers.create(
        STORAGES,
        officer,
        {
            "unit": school,
            "name": "专柜",
            "kind": "cabinet",
            "keeper_one": officer,
            "keeper_two": head,
        },
    )
    acid = registers.create(CHEMICALS, officer, {"unit": school, "name": "浓硫酸", "spec": "500mL"})
    services.record_movement(
        officer, chemical=acid.pk, storage=storage.pk, kind="receipt", quantity="1"
    )
    body = {
        "chemical": acid.pk,
        "storage": storage.pk,
        "kind": "issue",
        "quantity": "1",
        "recipient_name": "王老师",
        "purpose": "实验",
    }
    answers = _race([body, body], [officer, head])
    codes = sorted(a.status_code for a in answers)
    assert codes == [201, 409], [a.content[:300] for a in answers]
    refused = next(a for a in answers if a.status_code == 409).json()["error"]
    assert refused["code"] == "conflict" and "库存不足" in refused["message"]
    assert Balance.objects.get(chemical=acid, storage=storage).quantity == Decimal("0")
    assert StockMovement.objects.filter(chemical=acid, kind="issue").count() == 1
    assert services.reconcile() == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises all writers")
def test_it_creates_one_balance_row_for_racing_first_receipts(demo_after_flush, transactional_db):
    from xiaoan.accounts.models import User
    from xiaoan.chemicals import services
    from xiaoan.chemicals.models import Balance
    from xiaoan.chemicals.registers import CHEMICALS, STORAGES
    from xiaoan.core import registers
    from xiaoan.orgs.models import Unit

    officer = User.objects.get(username="school_a_officer")
    head = User.objects.get(username="school_a_head")
    school = Unit.objects.get(name=SCHOOL_A)
    storage = registers.create(
        STORAGES,
        officer,
        {
            "unit": school,
            "name": "专柜",
            "kind": "cabinet",
            "keeper_one": officer,
            "keeper_two": head,
        },
    )
    acid = registers.create(CHEMICALS, officer, {"unit": school, "name": "浓盐酸", "spec": "500mL"})
    body = {"chemical": acid.pk, "storage": storage.pk, "kind": "receipt", "quantity": "2"}
    answers = _race([body] * 4, [officer, head, officer, head])
    assert [a.status_code for a in answers] == [201] * 4, [a.content[:300] for a in answers]
    assert Balance.objects.get(chemical=acid, storage=storage).quantity == Decimal("8")
    assert services.reconcile() == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises all writers")
def test_it_posts_a_retried_issue_once_when_the_retries_race(demo_after_flush, transactional_db):
    from xiaoan.accounts.models import User
    from xiaoan.chemicals import services
    from xiaoan.chemicals.models import Balance, StockMovement
    from xiaoan.chemicals.registers import CHEMICALS, STORAGES
    from xiaoan.core import registers
    from xiaoan.orgs.models import Unit

    officer = User.objects.get(username="school_a_officer")
    head = User.objects.get(username="school_a_head")
    school = Unit.objects.get(name=SCHOOL_A)
    storage = registers.create(
        STORAGES,
        officer,
        {
            "unit": school,
            "name": "专柜",
            "kind": "cabinet",
            "keeper_one": officer,
            "keeper_two": head,
        },
    )
    acid = registers.create(CHEMICALS, officer, {"unit": school, "name": "冰醋酸", "spec": "500mL"})
    services.record_movement(
        officer, chemical=acid.pk, storage=storage.pk, kind="receipt", quantity="5"
    )
    body = {
        "chemical": acid.pk,
        "storage": storage.pk,
        "kind": "use",
        "quantity": "1",
        "purpose": "实验",
        "idempotency_key": "same-tap",
    }
    answers = _race([body] * 3, [officer] * 3)
    assert sorted(a.status_code for a in answers) == [200, 200, 201], [
        a.content[:300] for a in answers
    ]
    assert len({a.json()["id"] for a in answers}) == 1
    assert Balance.objects.get(chemical=acid, storage=storage).quantity == Decimal("4")
    assert StockMovement.objects.filter(chemical=acid, kind="use").count() == 1
