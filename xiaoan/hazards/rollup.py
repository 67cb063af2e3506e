"""The dashboard's hazard figures per unit and subtree (HazardRollup), kept as hazards change.

Every change of a hazard goes through the services' `_record`, which calls `touch`: the unit's
own counters are recounted from its hazards (an indexed query over one unit), and the
difference is added to the subtree counters of the unit and of every unit above it, rows
locked in tree order so concurrent writers queue instead of losing counts. `rebuild` recounts
everything (after a bulk load; the nightly job reconciles) and is what the migration runs.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from xiaoan.hazards.choices import OPEN_STATUSES, HazardLevel, HazardStatus

OPEN = Q(status__in=OPEN_STATUSES)
COUNTED = ~Q(status=HazardStatus.DISMISSED)
CLOSED = Q(status=HazardStatus.CLOSED)
ON_TIME = CLOSED & (Q(deadline__isnull=True) | Q(closed_at__date__lte=F("deadline")))
FLAGS = {
    "overdue": OPEN & Q(is_overdue=True),
    "supervised": OPEN & Q(is_supervised=True),
    "recurring": COUNTED & Q(is_recurring=True),
    "missed": COUNTED & Q(missed_by_self_check=True),
    "closed_on_time": ON_TIME,
}


# The counters every dashboard shows and the ranking compares (kept apart in `ranked`).
RANKED = (
    "open",
    "open_major",
    "overdue",
    "supervised",
    "total",
    "closed",
    "closed_on_time",
    "recurring",
    "missed",
)


def ranked(subtree: dict) -> dict[str, int]:
    return {key: subtree[key] for key in RANKED if subtree.get(key)}


def _month(value) -> str:
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value:%Y-%m}"


def count_own(unit_ids: Iterable[int] | None = None, hazard_model=None) -> dict[int, Counter]:
    """Each unit's own counters, recounted from its hazards (all units when None)."""
    if hazard_model is None:
        from xiaoan.hazards.models import Hazard as hazard_model
    rows = hazard_model.objects.order_by()
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=list(unit_ids))
    own: dict[int, Counter] = defaultdict(Counter)
    grouped = rows.values("unit_id", "status", "level").annotate(
        n=Count("pk"), **{key: Count("pk", filter=q) for key, q in FLAGS.items()}
    )
    for row in grouped:
        counters = own[row["unit_id"]]
        status, level, n = row["status"], row["level"] or "", row["n"]
        counters[f"s:{status}|{level}"] += n
        if status in OPEN_STATUSES:
            counters["open"] += n
            if level == HazardLevel.MAJOR:
                counters["open_major"] += n
        if status != HazardStatus.DISMISSED:
            counters["total"] += n
        if status == HazardStatus.CLOSED:
            counters["closed"] += n
        for key in FLAGS:
            counters[key] += row[key]
    for unit_id, domain, n in (
        rows.filter(OPEN).values_list("unit_id", "domain").annotate(n=Count("pk"))
    ):
        own[unit_id][f"d:{domain}"] += n
    for prefix, field, q in (("f", "found_at", COUNTED), ("c", "closed_at", CLOSED)):
        months = (
            rows.filter(q, **{f"{field}__isnull": False})
            .annotate(month=TruncMonth(field))
            .values_list("unit_id", "month")
            .annotate(n=Count("pk"))
        )
        for unit_id, month, n in months:
            own[unit_id][f"{prefix}:{_month(month)}"] += n
    return own


def _clean(counters: Counter) -> dict[str, int]:
    return {key: n for key, n in counters.items() if n}


def touch(unit_ids: Iterable[int]) -> None:
    """Recount the units' own hazards and carry the difference up the tree, in the caller's
    transaction (see the module's docstring)."""
    from xiaoan.hazards.models import HazardRollup
    from xiaoan.orgs.models import Unit, ancestor_paths

    ids = sorted(set(unit_ids))
    if not ids:
        return
    with transaction.atomic():
        paths = dict(Unit.objects.filter(pk__in=ids).values_list("pk", "path"))
        every = sorted({p for path in paths.values() for p in ancestor_paths(path)})
        units = dict(Unit.objects.filter(path__in=every).values_list("path", "pk"))
        HazardRollup.objects.bulk_create(
            [HazardRollup(unit_id=pk) for pk in units.values()], ignore_conflicts=True
        )
        # Locked root first, down the tree: every writer takes them in the same order.
        rows = {
            r.unit_id: r
            for r in HazardRollup.objects.select_for_update()
            .filter(unit_id__in=units.values())
            .order_by("unit__path")
        }
        fresh = count_own(ids)
        changed = set()
        for pk in ids:
            row = rows[pk]
            delta = Counter(fresh.get(pk, {}))
            delta.subtract(Counter(row.own))
            if not any(delta.values()):
                continue
            row.own = _clean(Counter(fresh.get(pk, {})))
            changed.add(pk)
            for path in ancestor_paths(paths[pk]):
                above = rows[units[path]]
                total = Counter(above.subtree)
                total.update(delta)
                above.subtree = _clean(total)
                above.ranked = ranked(above.subtree)
                changed.add(above.unit_id)
        HazardRollup.objects.bulk_update(
            [rows[pk] for pk in changed], ["own", "subtree", "ranked"], batch_size=1000
        )


@transaction.atomic
def rebuild(hazard_model=None, rollup_model=None, unit_model=None) -> int:
    """Recount every unit and subtree; returns the number of rows (the migration passes its
    historical models)."""
    if rollup_model is None:
        from xiaoan.hazards.models import HazardRollup as rollup_model
    if unit_model is None:
        from xiaoan.orgs.models import Unit as unit_model
    own = count_own(None, hazard_model)
    units = list(unit_model.objects.order_by("path").values_list("pk", "path"))
    by_path = {path: pk for pk, path in units}
    subtree: dict[int, Counter] = defaultdict(Counter)
    step = 4  # the orgs tree's path step (Unit.steplen)
    for pk, path in units:
        counters = own.get(pk)
        if not counters:
            continue
        for end in range(step, len(path) + 1, step):
            above = by_path.get(path[:end])
            if above is not None:
                subtree[above].update(counters)
    # The first migration's model has no `ranked` yet.
    has_ranked = any(f.name == "ranked" for f in rollup_model._meta.fields)
    rows = []
    for pk, _path in units:
        if not (own.get(pk) or subtree.get(pk)):
            continue
        row = rollup_model(
            unit_id=pk, own=_clean(own.get(pk, Counter())), subtree=_clean(subtree[pk])
        )
        if has_ranked:
            row.ranked = ranked(row.subtree)
        rows.append(row)
    rollup_model.objects.all().delete()
    rollup_model.objects.bulk_create(rows, batch_size=2000)
    return len(own)


def reconcile() -> int:
    """Rebuild when any subtree differs from a recount; returns how many rows were wrong."""
    from xiaoan.hazards.models import HazardRollup

    kept = {r.unit_id: (r.subtree, r.ranked) for r in HazardRollup.objects.all()}
    with transaction.atomic():
        rebuild()
        wrong = sum(
            1
            for r in HazardRollup.objects.all()
            if kept.get(r.unit_id, ({}, {})) != (r.subtree, r.ranked)
        )
    return wrong
