"""Rules of the catalogue and the storages as registers (xiaoan.chemicals.registers).

Retiring (注销): an entry that still holds stock or has a movement waiting for its second
signature cannot be retired — the ledger must be emptied (issued, handed to a disposer or
adjusted by a stocktake) first.

Stocktake due (盘点): a storage holding any controlled chemical (剧毒、易制毒、易制爆、
爆炸品 — the 双人双锁 classes) is counted at least monthly: its next stocktake falls due one
calendar month after its last stocktake or, never counted, after the first posted movement
of a controlled chemical into it. A storage with no controlled stock has no due date (the
ordinary chemicals' count follows the school's own routine). The date is kept on the storage
(`next_stocktake_on`) whenever the ledger changes it — a posted movement, a stocktake — and
the register layer's `Due` turns it into warnings 7 days ahead and the home page's to-do.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django.db.models import Max, Min
from django.utils.translation import gettext as _

from xiaoan.chemicals.choices import MovementStatus
from xiaoan.core.errors import Conflict

STOCKTAKE_WARN_DAYS = 7


def add_month(day: dt.date) -> dt.date:
    """The same day a calendar month later (the month's last day when it has no such day)."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def _retirable(item: Any, field: str, stocked: str) -> None:
    from xiaoan.chemicals.models import Balance, StockMovement

    if Balance.objects.filter(**{field: item}, quantity__gt=0).exists():
        raise Conflict(stocked)
    if StockMovement.objects.filter(**{field: item}, status=MovementStatus.PENDING).exists():
        raise Conflict(_("还有待复核的出入库记录，处理后才能注销。"))


def chemical_retirable(actor: Any, chemical: Any) -> None:
    _retirable(chemical, "chemical", _("仍有库存，须先领用、移交处置或盘点调整为零后才能注销。"))


def storage_retirable(actor: Any, storage: Any) -> None:
    _retirable(storage, "storage", _("存放点内仍有危化品，须先清空后才能注销。"))


def next_stocktake(storage: Any) -> dt.date | None:
    """The storage's next stocktake date by the rule above (None when none is due)."""
    from xiaoan.chemicals.models import Balance, StockMovement, Stocktake

    if storage.pk is None or storage.is_retired:
        return None
    controlled = Balance.objects.filter(
        storage=storage, quantity__gt=0, chemical__controlled=True
    ).exists()
    if not controlled:
        return None
    last = Stocktake.objects.filter(storage=storage).aggregate(on=Max("taken_on"))["on"]
    if last is None:
        last = StockMovement.objects.filter(
            storage=storage, chemical__controlled=True, status=MovementStatus.POSTED
        ).aggregate(on=Min("occurred_on"))["on"]
    return add_month(last) if last is not None else None


def refresh_stocktake_due(storage: Any, *, sync: bool = True) -> None:
    """Keep the storage's next stocktake date and its due-date row after a ledger change
    (inside the caller's transaction)."""
    from xiaoan.chemicals.models import Storage
    from xiaoan.chemicals.registers import STORAGES
    from xiaoan.core.registers import sync_due

    due = next_stocktake(storage)
    if due != storage.next_stocktake_on:
        Storage.objects.filter(pk=storage.pk).update(next_stocktake_on=due)
        storage.next_stocktake_on = due
    if sync:
        sync_due(STORAGES, storage)


def keep_stocktake_due(actor: Any, storage: Any, before: Any) -> None:
    """After a storage is saved through the register (the layer then syncs its due row)."""
    refresh_stocktake_due(storage, sync=False)


def keyholder(unit: Any, text: str, cache: dict) -> Any:
    """A keyholder named in a sheet by name or username (or "name（username）" as the
    export writes it): one serving member of the storage's unit or its departments."""
    from xiaoan.accounts.models import User

    if unit.pk not in cache:
        people = list(
            User.objects.filter(is_active=True, unit__path__startswith=unit.path).select_related(
                "unit"
            )
        )
        index: dict[str, list] = {}
        for person in people:
            for word in {person.username, person.name, f"{person.name}（{person.username}）"}:
                if word:
                    index.setdefault(word, []).append(person)
        cache[unit.pk] = index
    text = text.replace("(", "（").replace(")", "）").strip()
    found = cache[unit.pk].get(text, [])
    if not found:
        raise ValueError(
            _("找不到“%(p)s”：保管人须是本单位在职人员（填姓名或用户名）。") % {"p": text[:30]}
        )
    if len(found) > 1:
        raise ValueError(_("本单位有多人名为“%(p)s”，请填写用户名。") % {"p": text[:30]})
    return found[0]
