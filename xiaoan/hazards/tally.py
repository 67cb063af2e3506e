"""Hazard counts per unit and status (HazardTally), so a ledger over a whole province need not
count a million rows on every page view.

The services call `move` in the same transaction as every change of status, so the tally is
exact whenever they are the only writers. `rebuild` recounts from the hazards (after a bulk
load) and `reconcile` repairs any drift in place (the daily job runs it).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, F, Q, Sum

from xiaoan.hazards.choices import HazardStatus
from xiaoan.hazards.models import Hazard, HazardTally, scope_parts
from xiaoan.orgs.filtersets import within_unit


def move(unit_id: int, old: str | None, new: str | None) -> None:
    """One hazard of `unit_id` left status `old` (None: it is new) for `new`."""
    if old == new:
        return
    if new:
        HazardTally.objects.bulk_create(
            [HazardTally(unit_id=unit_id, status=new, count=0)], ignore_conflicts=True
        )
        HazardTally.objects.filter(unit_id=unit_id, status=new).update(count=F("count") + 1)
    if old:
        HazardTally.objects.filter(unit_id=unit_id, status=old).update(count=F("count") - 1)


def _actual() -> dict[tuple[int, str], int]:
    rows = Hazard.objects.order_by().values_list("unit_id", "status").annotate(n=Count("pk"))
    return {(unit_id, status): n for unit_id, status, n in rows}


def _lock() -> None:
    # Writers wait while the tally is recounted; their own increments land afterwards,
    # on top of counts that did not yet see their uncommitted changes.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {HazardTally._meta.db_table} IN EXCLUSIVE MODE")


@transaction.atomic
def rebuild() -> int:
    """Recount everything; returns the number of tally rows."""
    _lock()
    HazardTally.objects.all().delete()
    rows = [HazardTally(unit_id=u, status=s, count=n) for (u, s), n in _actual().items()]
    HazardTally.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


@transaction.atomic
def reconcile() -> int:
    """Correct the rows that differ from a recount; returns how many were wrong."""
    _lock()
    actual = _actual()
    kept = {(t.unit_id, t.status): t for t in HazardTally.objects.all()}
    wrong = [t for key, t in kept.items() if t.count != actual.get(key, 0)]
    for tally in wrong:
        tally.count = actual.get((tally.unit_id, tally.status), 0)
    HazardTally.objects.bulk_update(wrong, ["count"], batch_size=5000)
    missing = [
        HazardTally(unit_id=u, status=s, count=n)
        for (u, s), n in actual.items()
        if (u, s) not in kept
    ]
    HazardTally.objects.bulk_create(missing, batch_size=5000)
    return len(wrong) + len(missing)


def counts(user: Any, unit_pk: int | None = None) -> dict[str, int] | None:
    """Hazards `user` may view (under unit `unit_pk` if given) by status, plus "total", from
    the tally. None when the tally cannot answer (so many hazards taken part in outside the
    scope that they are not named by id): the caller counts the rows instead."""
    in_scope, extra = scope_parts(user, "view")
    if extra is not None and not _by_id(extra):
        return None
    tallies = HazardTally.objects.filter(in_scope)
    if unit_pk:
        tallies = within_unit(tallies, unit_pk)
    result: Counter[str] = Counter(
        dict(tallies.order_by().values_list("status").annotate(n=Sum("count")))
    )
    if extra is not None:
        outside = Hazard.objects.filter(extra).exclude(in_scope)
        if unit_pk:
            outside = within_unit(outside, unit_pk)
        result.update(dict(outside.order_by().values_list("status").annotate(n=Count("pk"))))
    answer = {status: result.get(status, 0) for status in HazardStatus.values}
    answer["total"] = sum(answer.values())
    return answer


# Query parameters that order or page a list without narrowing it (besides the unit).
NOT_NARROWING = ("unit", "ordering", "page", "page_size")


def counts_for_query(user: Any, params) -> dict[str, int] | None:
    """`counts` for a list asked for with `params` (a QueryDict), or None when anything but
    the unit narrows it: then only counting the rows can answer."""
    unit = params.get("unit") or ""
    if unit and not unit.isdigit():
        return None
    if any(any(values) for key, values in params.lists() if key not in NOT_NARROWING):
        return None
    return counts(user, int(unit) if unit else None)


def _by_id(condition: Q) -> bool:
    return len(condition.children) == 1 and condition.children[0][0] == "pk__in"
