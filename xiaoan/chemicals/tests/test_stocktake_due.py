"""The monthly stocktake of a storage holding controlled chemicals (xiaoan.chemicals.rules):
the date follows the ledger, feeds the register layer's due dates (warnings, the home
to-do, the list's due filter), and the record pages page their ledgers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from xiaoan.chemicals import services
from xiaoan.chemicals.choices import MovementKind
from xiaoan.chemicals.registers import STORAGES
from xiaoan.chemicals.rules import add_month
from xiaoan.chemicals.tests.support import make_chemical, make_storage, move, move_signed
from xiaoan.core import register_due, registers
from xiaoan.core.models import DueDate
from xiaoan.core.todos import todos_for
from xiaoan.notifications.models import Notification

pytestmark = pytest.mark.django_db


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def test_add_month_keeps_the_day_or_takes_the_months_last():
    assert add_month(dt.date(2026, 1, 15)) == dt.date(2026, 2, 15)
    assert add_month(dt.date(2026, 1, 31)) == dt.date(2026, 2, 28)
    assert add_month(dt.date(2026, 12, 31)) == dt.date(2027, 1, 31)


def test_only_controlled_stock_makes_a_stocktake_due(persona, units):
    storage = make_storage(persona, units)
    ethanol = make_chemical(persona, units)
    move_signed(persona, ethanol, storage, MovementKind.RECEIPT, "5", occurred_on=days(-20))
    storage.refresh_from_db()
    assert storage.next_stocktake_on is None and not DueDate.objects.exists()
    cyanide = make_chemical(persona, units, "氰化钾", controlled=True)
    # Recorded, not yet signed: nothing in the storage yet.
    pending = move(
        persona("school_a_officer"), cyanide, storage, "receipt", "2", occurred_on=days(-40)
    )
    storage.refresh_from_db()
    assert storage.next_stocktake_on is None
    services.confirm_movement(persona("school_a_head"), pending.pk)
    storage.refresh_from_db()
    assert storage.next_stocktake_on == add_month(days(-40))
    row = DueDate.objects.get()
    assert row.due_on == storage.next_stocktake_on and row.label == "盘点"
    assert row.warn_on == row.due_on - dt.timedelta(days=7)


def test_a_stocktake_moves_the_date_and_an_emptied_storage_has_none(persona, units):
    storage = make_storage(persona, units)
    cyanide = make_chemical(persona, units, "氰化钾", controlled=True)
    move_signed(persona, cyanide, storage, MovementKind.RECEIPT, "2", occurred_on=days(-40))
    services.create_stocktake(
        persona("school_a_officer"),
        storage,
        lines=[{"chemical": cyanide.pk, "counted_quantity": "2"}],
        taken_on=days(-3),
    )
    storage.refresh_from_db()
    assert storage.next_stocktake_on == add_month(days(-3))
    assert DueDate.objects.get().due_on == add_month(days(-3))
    move_signed(
        persona,
        cyanide,
        storage,
        MovementKind.WASTE,
        "2",
        disposer_name="鄂州环保处置公司",
        disposer_licence="HW42-001",
    )
    storage.refresh_from_db()
    assert storage.next_stocktake_on is None and not DueDate.objects.exists()


def test_an_edit_through_the_register_keeps_the_date(persona, units):
    storage = make_storage(persona, units)
    cyanide = make_chemical(persona, units, "氰化钾", controlled=True)
    move_signed(persona, cyanide, storage, MovementKind.RECEIPT, "1", occurred_on=days(-10))
    registers.update(STORAGES, persona("school_a_officer"), storage.pk, {"note": "二楼东侧"})
    storage.refresh_from_db()
    assert storage.next_stocktake_on == add_month(days(-10))
    assert DueDate.objects.get().due_on == add_month(days(-10))


def test_an_overdue_stocktake_warns_and_shows_in_the_todos(client_for, persona, units):
    storage = make_storage(persona, units)
    cyanide = make_chemical(persona, units, "氰化钾", controlled=True)
    move_signed(persona, cyanide, storage, MovementKind.RECEIPT, "1", occurred_on=days(-45))
    ran = register_due.daily()
    assert ran["overdue"] == 1
    officer = persona("school_a_officer")
    note = Notification.objects.get(recipient=officer, kind="overdue")
    assert "危化品存放点" in note.title and storage.name in note.body
    todo = next(t for t in todos_for(officer) if t.key == "chemical-storages.due")
    assert todo.count == 1 and todo.late == 1
    assert not [t for t in todos_for(persona("auditor")) if t.key == "chemical-storages.due"]
    listed = client_for("school_a_officer").get(reverse("chemicals:storage_list"), {"due": "soon"})
    assert storage.name in listed.content.decode()
    page = client_for("school_a_officer").get(
        reverse("chemicals:storage_detail", args=[storage.pk])
    )
    assert "已过期" in page.content.decode()


def test_the_ledgers_are_paged(client_for, persona, units, monkeypatch):
    from xiaoan.chemicals.templatetags import ledger

    monkeypatch.setattr(ledger, "LEDGER_PAGE", 3)
    storage = make_storage(persona, units)
    ethanol = make_chemical(persona, units)
    for n in range(7):
        move_signed(persona, ethanol, storage, MovementKind.RECEIPT, "1", purpose=f"第{n}批")
    client = client_for("auditor")
    for address in (
        reverse("chemicals:chemical_detail", args=[ethanol.pk]),
        reverse("chemicals:storage_detail", args=[storage.pk]),
    ):
        first = client.get(address).content.decode()
        assert "第 1 / 3 页，共 7 条" in first and "page=2" in first
        last = client.get(address, {"page": 3}).content.decode()
        assert "第 3 / 3 页" in last and "page=2" in last
        # Balance on the last page's line is the sum of all seven receipts.
        assert ">7</td>" in last
