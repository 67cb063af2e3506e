"""The migrations that make the catalogue and the storages register items keep every row:
ids, units, names, notes (now `note`) and the retired state (an entry stopped without a
time takes its last change's time); balances and movements keep pointing at the same rows,
and a storage holding controlled stock gets its stocktake due date."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("chemicals", "0001_initial")]
AFTER = [("chemicals", "0004_stocktake_due")]


@pytest.fixture
def demo_after_flush(django_db_blocker):
    """A transactional test empties the database when it ends; put the demo back."""
    yield
    from xiaoan.orgs.demo import load_demo

    with django_db_blocker.unblock():
        load_demo()


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


def _leaf() -> str:
    executor = MigrationExecutor(connection)
    return max(name for app, name in executor.loader.graph.leaf_nodes() if app == "chemicals")


# On SQLite the flush after a transactional test meets the audit trail's DELETE trigger.
@pytest.mark.skipif(connection.vendor != "postgresql", reason="flushing needs TRUNCATE")
def test_it_keeps_the_catalogue_and_storages_rows(demo_after_flush, transactional_db):
    old = _migrate(BEFORE)
    Unit = old.get_model("orgs", "Unit")
    User = old.get_model("accounts", "User")
    Chemical = old.get_model("chemicals", "Chemical")
    Storage = old.get_model("chemicals", "Storage")
    Balance = old.get_model("chemicals", "Balance")
    StockMovement = old.get_model("chemicals", "StockMovement")
    school = Unit.objects.get(name="梁子湖高级中学")
    officer = User.objects.get(username="school_a_officer")
    head = User.objects.get(username="school_a_head")
    storage = Storage.objects.create(
        unit=school, name="旧专柜", kind="cabinet", keeper_one=officer, keeper_two=head
    )
    cyanide = Chemical.objects.create(
        unit=school, name="氰化钾", spec="100g", is_toxic=True, controlled=True, notes="剧毒"
    )
    stopped_at = timezone.now() - dt.timedelta(days=3)
    stopped = Chemical.objects.create(
        unit=school, name="旧试剂", spec="1L", is_active=False, retire_reason="不再使用"
    )
    Chemical.objects.filter(pk=stopped.pk).update(updated_at=stopped_at)
    received_on = timezone.localdate() - dt.timedelta(days=40)
    StockMovement.objects.create(
        unit=school,
        chemical=cyanide,
        storage=storage,
        kind="receipt",
        quantity=2,
        occurred_on=received_on,
        status="posted",
        balance_after=2,
        posted_at=timezone.now(),
        actor=officer,
        second_signer=head,
    )
    balance = Balance.objects.create(unit=school, chemical=cyanide, storage=storage, quantity=2)

    new = _migrate(AFTER)
    NewChemical = new.get_model("chemicals", "Chemical")
    NewStorage = new.get_model("chemicals", "Storage")
    kept = NewChemical.objects.get(pk=cyanide.pk)
    assert (kept.unit_id, kept.name, kept.spec, kept.note) == (school.pk, "氰化钾", "100g", "剧毒")
    assert kept.retired_at is None and kept.code == ""
    gone = NewChemical.objects.get(pk=stopped.pk)
    assert gone.retired_at == stopped_at and gone.retire_reason == "不再使用"
    room = NewStorage.objects.get(pk=storage.pk)
    assert (room.name, room.keeper_one_id, room.keeper_two_id) == ("旧专柜", officer.pk, head.pk)
    moved = new.get_model("chemicals", "Balance").objects.get(pk=balance.pk)
    assert (moved.chemical_id, moved.storage_id) == (cyanide.pk, storage.pk)
    # Controlled stock never counted: a month after its receipt.
    from xiaoan.chemicals.rules import add_month

    assert room.next_stocktake_on == add_month(received_on)
    due = new.get_model("core", "DueDate").objects.get(
        content_type__app_label="chemicals", content_type__model="storage", object_id=storage.pk
    )
    assert due.due_on == room.next_stocktake_on
    _migrate([("chemicals", _leaf())])
