"""Business rules of the hazardous-chemicals ledger (the catalogue and the storages are
registers: their create/update/retire are `xiaoan.core.registers`' services, with the rules
of xiaoan.chemicals.models and .rules). Pages, the API, demo data and tests all come
through here; every function takes the actor first, checks right and scope, and runs in
one transaction.

The ledger's invariant — a balance is never negative and always equals the sum of its
chemical's posted movements in that storage — is kept by `post`, the only writer of
balances: it locks the balance row (`select_for_update`; the row is first created with
INSERT … ON CONFLICT DO NOTHING, so two first receipts cannot both create it), adds the
movement's signed quantity and refuses when the result would be negative. The database's
CHECK on the balance is the backstop if anything else ever tried.

双人双锁: a movement of a controlled chemical (爆炸品, 剧毒, 易制毒, 易制爆) is recorded by its
经办人 and stays 待复核, changing nothing, until a second, different person who holds
`chemicals.confirm_stockmovement` in that unit confirms it from their own account (复核):
only then is it posted. Each signature is a logged-in person's own act — no one types a
colleague's password into their session — and the two signers are stored on the row, which
the database refuses to hold with one person in both places.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.chemicals.choices import (
    DIRECTION,
    QUANTUM,
    RECORDABLE,
    MovementAction,
    MovementKind,
    MovementStatus,
)
from xiaoan.chemicals.models import (
    Balance,
    Chemical,
    StockMovement,
    Stocktake,
    StocktakeLine,
    Storage,
)
from xiaoan.chemicals.rules import refresh_stocktake_due
from xiaoan.core.errors import Conflict, Forbidden, Invalid, NotFound
from xiaoan.core.idempotency import clean_key, replay_of, save_once
from xiaoan.core.ids import record_id
from xiaoan.core.workflow import begin, require_note, workflow_of
from xiaoan.orgs.models import Unit

MAX_QUANTITY = Decimal("999999999.999")


def _flow():
    """The movement workflow, declared in xiaoan.chemicals.workflow."""
    return workflow_of(StockMovement)


# ---------------------------------------------------------------- helpers


def as_quantity(value: Any, field: str = "quantity", *, allow_zero: bool = False) -> Decimal:
    """A quantity as a Decimal of three places; 400 on `field` when it is not one."""
    try:
        amount = Decimal(str(value)).quantize(QUANTUM)
    except (InvalidOperation, ValueError, TypeError):
        raise Invalid(fields={field: [_("请输入数量。")]}) from None
    if not amount.is_finite() or amount < 0 or (amount == 0 and not allow_zero):
        raise Invalid(fields={field: [_("数量须大于 0。")]})
    if amount > MAX_QUANTITY:
        raise Invalid(fields={field: [_("数量过大。")]})
    if Decimal(str(value)) != amount:
        raise Invalid(fields={field: [_("数量最多保留三位小数。")]})
    return amount


def holds_in(actor: Any, unit_id: int, perm: str) -> bool:
    return Unit.objects.with_permission(actor, perm).filter(pk=unit_id).exists()


# ---------------------------------------------------------------- balances


def locked_balance(chemical: Chemical, storage: Storage) -> Balance:
    """The balance row of (chemical, storage), locked until the transaction ends. A missing
    row is inserted with ON CONFLICT DO NOTHING first, so concurrent first movements meet
    on the same row instead of one failing on the unique constraint."""
    rows = Balance.objects.select_for_update().filter(chemical=chemical, storage=storage)
    found = rows.first()
    if found is not None:
        return found
    Balance.objects.bulk_create(
        [Balance(unit_id=chemical.unit_id, chemical=chemical, storage=storage)],
        ignore_conflicts=True,
    )
    return rows.get()


def post(movement: StockMovement) -> Balance:
    """Apply a movement to its balance (the one writer of balances) and note on it the
    balance it leaves; the caller marks it posted. Refuses, changing nothing, when the
    balance would go negative."""
    balance = locked_balance(movement.chemical, movement.storage)
    after = balance.quantity + movement.quantity
    if after < 0:
        raise Conflict(
            _("库存不足：%(chemical)s 在%(storage)s结存 %(have)s，不能出库 %(want)s。")
            % {
                "chemical": movement.chemical,
                "storage": movement.storage.name,
                "have": balance.quantity.normalize(),
                "want": (-movement.quantity).normalize(),
            },
            fields={"quantity": [_("超过结存数量。")]},
        )
    balance.quantity = after
    balance.save(update_fields=["quantity", "updated_at"])
    movement.balance_after = after
    movement.posted_at = timezone.now()
    return balance


def book_quantity(chemical: Any, storage: Any) -> Decimal:
    found = (
        Balance.objects.filter(chemical=chemical, storage=storage)
        .values_list("quantity", flat=True)
        .first()
    )
    return found if found is not None else Decimal("0.000")


def reconcile(balances=None) -> list[tuple[Balance, Decimal]]:
    """Balances that differ from the sum of their posted movements (none, ever): the check
    the property tests and the ledger page run. Two queries, whatever the number of rows."""
    balances = list(balances if balances is not None else Balance.objects.all())
    # SQLite sums decimals in binary floating point: round back to the three places stored
    # (exact while the error stays under half a unit, i.e. for any real ledger).
    sums = {
        (row["chemical_id"], row["storage_id"]): Decimal(row["total"]).quantize(QUANTUM)
        for row in StockMovement.objects.filter(status=MovementStatus.POSTED)
        .filter(chemical_id__in={b.chemical_id for b in balances})
        .values("chemical_id", "storage_id")
        .annotate(total=Sum("quantity"))
        .order_by()
    }
    zero = Decimal("0.000")
    return [
        (b, sums.get((b.chemical_id, b.storage_id)) or zero)
        for b in balances
        if b.quantity != (sums.get((b.chemical_id, b.storage_id)) or zero)
    ]


# ---------------------------------------------------------------- movements


def _chemical_and_storage(actor: Any, chemical: Any, storage: Any, perm: str):
    chem = Chemical.objects.restrict(actor).filter(pk=record_id(_pk(chemical))).first()
    if chem is None:
        raise NotFound()
    if not holds_in(actor, chem.unit_id, perm):
        raise Forbidden()
    store = (
        Storage.objects.restrict(actor).filter(pk=record_id(_pk(storage))).first()
        if storage is not None
        else None
    )
    if store is None:
        raise Invalid(fields={"storage": [_("请选择存放点。")]})
    if store.unit_id != chem.unit_id:
        raise Invalid(fields={"storage": [_("存放点须与危化品属于同一单位。")]})
    if store.is_retired:
        raise Invalid(fields={"storage": [_("该存放点已注销。")]})
    return chem, store


def _pk(value: Any) -> Any:
    return getattr(value, "pk", value)


def _occurred_on(value: Any) -> dt.date:
    today = timezone.localdate()
    if value in (None, ""):
        return today
    if not isinstance(value, dt.date):
        raise Invalid(fields={"occurred_on": [_("日期无效。")]})
    if value > today:
        raise Invalid(fields={"occurred_on": [_("不能登记未来的日期。")]})
    return value


@transaction.atomic
def record_movement(
    actor: Any,
    *,
    chemical: Any,
    storage: Any,
    kind: str,
    quantity: Any,
    occurred_on: dt.date | None = None,
    recipient_name: str = "",
    purpose: str = "",
    disposer_name: str = "",
    disposer_licence: str = "",
    reason: str = "",
    idempotency_key: str | None = None,
    fingerprint: str = "",
) -> StockMovement:
    """登记 a receipt, issue, return, use or waste transfer (`quantity` without its sign).
    A controlled chemical's movement waits for the second signature; any other is posted
    at once. Refused (nothing written) when it would take the balance below zero. With an
    idempotency key, a retry returns the first movement (`replayed`); the key reused for a
    different request (`fingerprint`) is refused with 422."""
    key = clean_key(idempotency_key)
    mine = StockMovement.objects.filter(actor_id=actor.pk)
    existing = replay_of(mine, key, fingerprint)
    if existing is not None:
        return existing
    chem, store = _chemical_and_storage(actor, chemical, storage, "chemicals.add_stockmovement")
    if chem.is_retired:
        raise Invalid(fields={"chemical": [_("该危化品已注销。")]})
    if kind not in RECORDABLE:
        raise Invalid(fields={"kind": [_("请选择出入库类型（盘点调整请通过盘点登记）。")]})
    amount = as_quantity(quantity)
    texts = {
        "recipient_name": (recipient_name or "").strip(),
        "purpose": (purpose or "").strip(),
        "disposer_name": (disposer_name or "").strip(),
        "disposer_licence": (disposer_licence or "").strip(),
        "reason": (reason or "").strip(),
    }
    required = {
        MovementKind.ISSUE: ["recipient_name", "purpose"],
        MovementKind.RETURN: ["recipient_name"],
        MovementKind.USE: ["purpose"],
        MovementKind.WASTE: ["disposer_name", "disposer_licence"],
    }.get(kind, [])
    missing = {f: [_("必填。")] for f in required if not texts[f]}
    if missing:
        raise Invalid(_("请填写领用人、用途或处置单位等必填信息。"), fields=missing)
    movement = StockMovement(
        unit_id=chem.unit_id,
        chemical=chem,
        storage=store,
        kind=kind,
        quantity=amount * DIRECTION[kind],
        occurred_on=_occurred_on(occurred_on),
        needs_second=chem.controlled,
        actor=actor,
        idempotency_key=key,
        idempotency_fingerprint=fingerprint if key else "",
        **texts,
    )
    if movement.needs_second:
        # Refused early when the stock is short now; the second signature re-checks under
        # the lock, since other movements may land in between.
        have = book_quantity(chem, store)
        if have + movement.quantity < 0:
            raise Conflict(
                _("库存不足：结存 %(have)s，不能出库 %(want)s。")
                % {"have": have.normalize(), "want": amount.normalize()},
                fields={"quantity": [_("超过结存数量。")]},
            )
        movement.status = MovementStatus.PENDING

    def save() -> None:  # the balance's change goes with the row, or neither
        if not movement.needs_second:
            post(movement)
            movement.status = MovementStatus.POSTED
        movement.save()

    # A retry racing the first request waited on the balance (or the key's unique index)
    # until the first committed; the key decides, both get the first movement.
    winner = save_once(save, mine, key, fingerprint)
    if winner is not None:
        return winner
    _flow().advance(movement, actor, MovementAction.RECORD, to=None, created=True)
    if movement.needs_second:
        _ask_keyholders(actor, movement)
    return movement


def _url(movement: StockMovement) -> str:
    from django.urls import reverse

    return reverse("chemicals:stockmovement_detail", args=[movement.pk])


def _ask_keyholders(actor: Any, movement: StockMovement) -> None:
    """The storage's keyholders (the other key) learn that a movement waits for them."""
    from xiaoan.notifications.models import Notification
    from xiaoan.notifications.services import notify

    title = _("待复核：%(kind)s %(chemical)s %(n)s（%(storage)s）") % {
        "kind": movement.get_kind_display(),
        "chemical": movement.chemical,
        "n": movement.amount.normalize(),
        "storage": movement.storage.name,
    }
    keepers = [movement.storage.keeper_one, movement.storage.keeper_two]
    notify(keepers, Notification.Kind.REVIEW, title, movement.purpose, _url(movement), actor=actor)


def may_confirm(actor: Any, movement: StockMovement) -> bool:
    """The second signer is someone other than the 经办人."""
    return movement.actor_id != getattr(actor, "pk", None)


@transaction.atomic
def confirm_movement(
    actor: Any, pk: Any, version: int | None = None, note: str = ""
) -> StockMovement:
    """复核: a second person confirms a controlled chemical's movement; it is posted now
    (refused, still pending, when the stock no longer suffices)."""
    movement = begin(actor, StockMovement, pk, "confirm", version)
    if not may_confirm(actor, movement):
        raise Forbidden(_("双人双锁：须由经办人以外的另一人复核。"))
    movement = StockMovement.objects.select_related("chemical", "storage").get(pk=movement.pk)
    post(movement)
    movement.second_signer = actor
    movement.signed_at = timezone.now()
    _flow().advance(movement, actor, MovementAction.CONFIRM, note=(note or "").strip())
    # Controlled stock in or out of the storage moves its monthly stocktake date.
    refresh_stocktake_due(movement.storage)
    return movement


@transaction.atomic
def reject_movement(
    actor: Any, pk: Any, version: int | None = None, note: str = ""
) -> StockMovement:
    """复核退回 (or the 经办人 withdrawing their own entry): it never changes the balance."""
    movement = begin(actor, StockMovement, pk, "reject", version)
    note = require_note(note, _("退回原因"))
    if movement.actor_id != actor.pk:
        movement.second_signer = actor
        movement.signed_at = timezone.now()
    _flow().advance(movement, actor, MovementAction.REJECT, note=note)
    from xiaoan.notifications.models import Notification
    from xiaoan.notifications.services import notify

    title = _("出入库记录被退回：%(chemical)s") % {"chemical": movement.chemical}
    notify([movement.actor], Notification.Kind.RETURNED, title, note, _url(movement), actor=actor)
    return movement


# ---------------------------------------------------------------- stocktakes


@transaction.atomic
def create_stocktake(
    actor: Any,
    storage: Any,
    *,
    lines: list[dict[str, Any]],
    taken_on: dt.date | None = None,
    note: str = "",
) -> Stocktake:
    """盘点 a storage: `lines` of {"chemical", "counted_quantity", "reason"}. Each line keeps
    the book quantity at the count; a difference needs its reason and is entered as an
    adjustment movement (posted at once, or awaiting the second signature for a controlled
    chemical). All lines or none."""
    store = Storage.objects.restrict(actor).filter(pk=record_id(_pk(storage))).first()
    if store is None:
        raise NotFound()
    if not holds_in(actor, store.unit_id, "chemicals.add_stocktake"):
        raise Forbidden()
    if store.is_retired:
        raise Invalid(fields={"storage": [_("该存放点已注销。")]})
    if not lines:
        raise Invalid(_("请至少盘点一种危化品。"), fields={"lines": [_("必填。")]})
    chemical_ids = [record_id(_pk(line.get("chemical"))) for line in lines]
    if len(set(chemical_ids)) != len(chemical_ids):
        raise Invalid(fields={"lines": [_("同一危化品只能盘点一行。")]})
    chemicals = {
        c.pk: c
        for c in Chemical.objects.restrict(actor).filter(pk__in=chemical_ids, unit_id=store.unit_id)
    }
    errors: dict[str, list[str]] = {}
    counted: list[tuple[Chemical, Decimal, str]] = []
    for index, (line, chem_id) in enumerate(zip(lines, chemical_ids, strict=True)):
        chem = chemicals.get(chem_id)
        if chem is None:
            errors[f"lines.{index}.chemical"] = [_("须是本单位的危化品。")]
            continue
        try:
            amount = as_quantity(line.get("counted_quantity"), allow_zero=True)
        except Invalid:
            errors[f"lines.{index}.counted_quantity"] = [
                _("请填写实盘数（不小于 0，最多三位小数）。")
            ]
            continue
        counted.append((chem, amount, (line.get("reason") or "").strip()))
    if errors:
        raise Invalid(fields=errors)
    # Every balance is locked before anything is written, in one order (by chemical), so a
    # movement landing meanwhile waits for the whole count and no two writers deadlock (the
    # audit trail's lock is taken after the balances, as in `record_movement`).
    books = {
        chem.pk: locked_balance(chem, store).quantity
        for chem in sorted((line[0] for line in counted), key=lambda c: c.pk)
    }
    for index, (chem, amount, reason) in enumerate(counted):
        if amount != books[chem.pk] and not reason:
            errors[f"lines.{index}.reason"] = [_("实盘与账面不符，须说明原因。")]
    if errors:
        raise Invalid(_("实盘与账面不符的行须说明原因。"), fields=errors)
    stocktake = Stocktake.objects.create(
        unit_id=store.unit_id,
        storage=store,
        taken_on=_occurred_on(taken_on),
        actor=actor,
        note=(note or "").strip(),
    )
    flow = _flow()
    for chem, amount, reason in counted:
        difference = amount - books[chem.pk]
        line = StocktakeLine(
            stocktake=stocktake,
            chemical=chem,
            book_quantity=books[chem.pk],
            counted_quantity=amount,
            difference=difference,
            reason=reason,
        )
        if difference:
            movement = StockMovement(
                unit_id=store.unit_id,
                chemical=chem,
                storage=store,
                kind=MovementKind.ADJUSTMENT,
                quantity=difference,
                occurred_on=stocktake.taken_on,
                needs_second=chem.controlled,
                actor=actor,
                reason=reason,
                stocktake=stocktake,
            )
            if not movement.needs_second:
                post(movement)
                movement.status = MovementStatus.POSTED
            movement.save()
            flow.advance(movement, actor, MovementAction.RECORD, to=None, created=True)
            line.movement = movement
        line.save()
    refresh_stocktake_due(store)  # counted: the next monthly count is a month on
    return stocktake


# ---------------------------------------------------------------- reading


def pending_for(actor: Any):
    """Movements waiting for `actor`'s second signature: in their own school (a superior
    may sign too, but is not handed every school's cabinet), not recorded by themselves."""
    from xiaoan.core.todos import own_side

    return (
        StockMovement.objects.restrict(actor, "confirm")
        .filter(own_side(actor, "chemicals.confirm_stockmovement"))
        .filter(status=MovementStatus.PENDING)
        .exclude(actor_id=actor.pk)
    )


def visible_balances(actor: Any):
    return Balance.objects.restrict(actor).select_related("chemical", "storage")


def ledger_rows(actor: Any, *, chemical: Any = None, storage: Any = None):
    """Posted movements in ledger order (oldest first), for the 台账 and its export."""
    rows = StockMovement.objects.restrict(actor).filter(status=MovementStatus.POSTED)
    if chemical is not None:
        rows = rows.filter(chemical=chemical)
    if storage is not None:
        rows = rows.filter(storage=storage)
    return rows.order_by("posted_at", "pk")
