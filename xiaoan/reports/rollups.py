"""The dashboard's figures per unit and subtree (reports.Rollup), kept by the services as
records change, written once for every app.

An app declares its tally in `<app>/tallies.py` (`@tally("kind", ranked=…)`): a function
counting the given units' own records (all units when None) into flat counters, as of a day.
A rollup row per (kind, unit) holds `own` (the unit's records), `subtree` (the unit and
everything below it) and `ranked` (the subtree's counters a ranking compares, small enough
to read hundreds of rows in place).

Keeping it: every write path calls `touch(kind, unit_ids)` in its transaction. The units'
own counters are recounted (an indexed query over those units) and the difference is added
to the subtree of each unit and of every unit above it, rows locked root first down the tree
so concurrent writers queue instead of losing counts. Within `deferred()` the touches are
collected and made once at the end (a daily pass's loop). The querysets of rolled-up models
(`RolledUpQuerySet`) touch by themselves on `update`, `bulk_update`, `bulk_create` and
`delete`, so bulk writes cannot forget; moving a unit carries its subtree's counters from
its old superiors to its new ones (`unit_moved`). `rebuild(kind)` recounts everything (after a bulk
load, and what the migration runs); `reconcile()` rebuilds every kind and says how many rows
were wrong: the nightly job runs it.

Time. A counter that depends on the day (overdue; this month's, quarter's, year's) is counted
as of the day the count runs: `touch` counts as of today, the daily passes touch what they
change and the nightly reconcile recounts every unit. Period counters carry their period in
the key ("m:2026-12:done", "q:2026-Q4:n", "y:2026:met") and every period from the current
one on is counted, so a dashboard reads the period it wants by key and a count made in an
earlier period is never read as the current one. Day-relative counters ("overdue") are as of
the unit's last count: at most from midnight to the nightly reconcile behind.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone

from xiaoan.core import freshness
from xiaoan.core.registry import Registry

# count(unit_ids or None, today, apps) -> {unit id: Counter}; `apps` is the app registry
# (a migration passes its historical one).
Count = Callable[[list[int] | None, dt.date, Any], dict[int, Counter]]
# rank(today) -> ranked(unit path, unit kind, subtree counters): what a ranking compares, when
# that is more than some of the counters (indicators: how many are behind their targets).
Rank = Callable[[dt.date], Callable[[str, str, dict], dict]]


@dataclass(frozen=True)
class Tally:
    kind: str
    count: Count
    # Keys kept in `ranked`: an entry ending in ":" keeps every key it starts.
    ranked: tuple[str, ...] = ()
    # The record fields the counters read: an `update` of none of them touches nothing.
    fields: frozenset[str] = frozenset()
    # Other models whose records the counters read ("app.model", or a function giving
    # them): their writers call `changed`, which touches the tallies reading them.
    reads: frozenset[str] | Callable[[], Iterable[str]] = frozenset()
    # Counters kept per school: a unit inside one (a department, a campus) counts as it.
    at_school: bool = False
    rank: Rank | None = None

    def ranker(self, today: dt.date) -> Callable[[str, str, dict], dict]:
        if self.rank is None:
            return lambda _path, _kind, subtree: self.ranked_of(subtree)
        return self.rank(today)

    def ranked_of(self, subtree: dict) -> dict:
        exact = {k for k in self.ranked if not k.endswith(":")}
        prefixes = tuple(k for k in self.ranked if k.endswith(":"))
        return {
            key: n
            for key, n in subtree.items()
            if n and (key in exact or (prefixes and key.startswith(prefixes)))
        }


TALLIES = Registry("tallies")


def tally(
    kind: str,
    *,
    ranked: Iterable[str] = (),
    fields: Iterable[str] = (),
    reads: Iterable[str] | Callable[[], Iterable[str]] = (),
    at_school: bool = False,
    rank: Rank | None = None,
):
    """Register an app's tally (in `<app>/tallies.py`)."""

    def register(count: Count) -> Count:
        kept = reads if callable(reads) else frozenset(reads)
        TALLIES.register(
            Tally(kind, count, tuple(ranked), frozenset(fields), kept, at_school, rank)  # type: ignore[arg-type]
        )
        return count

    return register


def tallies() -> dict[str, Tally]:
    return {t.kind: t for t in TALLIES}


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def _clean(counters: Counter | dict) -> dict[str, int]:
    return {key: n for key, n in counters.items() if n}


# ---------------------------------------------------------------- keeping it


_pending: ContextVar[dict[str, set[int]] | None] = ContextVar("rollup_pending", default=None)


@contextmanager
def deferred() -> Iterator[None]:
    """Collect the touches made inside and make them once at the end (none on an error: the
    transaction is rolled back anyway)."""
    if _pending.get() is not None:  # an outer one makes them
        yield
        return
    pending: dict[str, set[int]] = defaultdict(set)
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    for kind, ids in pending.items():
        _touch(kind, ids)


def touch(kind: str, unit_ids: Iterable[int | None]) -> None:
    """Recount the units' own records of `kind` and carry the difference up the tree, in the
    caller's transaction (deferred to the end of `deferred()` when inside one)."""
    ids = {pk for pk in unit_ids if pk is not None}
    if not ids:
        return
    pending = _pending.get()
    if pending is not None:
        pending[kind].update(ids)
        return
    _touch(kind, ids)


def changed(model: type[models.Model], unit_ids: Iterable[int | None]) -> None:
    """Records of `model` changed at these units: touch every tally that reads them (its
    own records' writers touch it directly)."""
    label = model._meta.label_lower
    ids = {pk for pk in unit_ids if pk is not None}
    if not ids:
        return
    trees = None
    for counted in TALLIES:
        reads = counted.reads() if callable(counted.reads) else counted.reads
        if label not in reads:
            continue
        if counted.at_school:
            touch(counted.kind, _schools_of(ids))
        else:
            trees = trees if trees is not None else _school_trees(ids)
            touch(counted.kind, trees)


def _schools_of(unit_ids: set[int]) -> list[int]:
    """The schools the units are or belong to (a bureau belongs to none)."""
    return [pk for pk, _path in _school_rows(unit_ids)]


def _school_rows(unit_ids: set[int]) -> list[tuple[int, str]]:
    """(pk, path) of the schools the units are or belong to."""
    from xiaoan.orgs.choices import UnitKind
    from xiaoan.orgs.models import Unit, ancestor_paths

    paths = Unit.objects.filter(pk__in=sorted(unit_ids)).values_list("path", flat=True)
    chains = sorted({p for path in paths for p in ancestor_paths(path)})
    schools = Unit.objects.filter(path__in=chains, kind=UnitKind.SCHOOL)
    return list(schools.values_list("pk", "path"))


def _school_trees(unit_ids: set[int]) -> set[int]:
    """The units and, for those in a school, every unit of that school: a record kept by a
    department may be read by items kept at the school or at another of its departments (a
    driver's licence at 政教处, the bus at the school)."""
    from xiaoan.orgs.models import Unit

    within = Q()
    for _pk, path in _school_rows(unit_ids):
        within |= Q(path__startswith=path)
    if not within:
        return set(unit_ids)
    return set(unit_ids) | set(Unit.objects.filter(within).values_list("pk", flat=True))


def on_move(kind: str) -> Callable[[Any, str | None, str], None]:
    """A workflow's `on_move` (xiaoan.core.workflow) touching the record's unit: every step,
    creation included, keeps the rollup, and the other tallies that read the record's model
    (a register counting the inspections that name its items)."""

    def moved(obj: Any, old: str | None, new: str) -> None:
        touch(kind, [obj.unit_id])
        changed(type(obj), [obj.unit_id])

    return moved


def _touch(kind: str, unit_ids: Iterable[int], today: dt.date | None = None) -> None:
    from django.apps import apps

    from xiaoan.orgs.models import Unit, ancestor_paths
    from xiaoan.reports.models import Rollup

    counted = tallies()[kind]
    with transaction.atomic():
        paths = dict(Unit.objects.filter(pk__in=sorted(set(unit_ids))).values_list("pk", "path"))
        ids = sorted(paths)
        if not ids:
            return
        every = sorted({p for path in paths.values() for p in ancestor_paths(path)})
        found = Unit.objects.filter(path__in=every).values_list("path", "pk", "kind")
        units = {path: pk for path, pk, _kind in found}
        kinds = {path: unit_kind for path, _pk, unit_kind in found}
        Rollup.objects.bulk_create(
            [Rollup(kind=kind, unit_id=pk) for pk in units.values()], ignore_conflicts=True
        )
        # Locked root first, down the tree: every writer takes them in the same order.
        rows = {
            r.unit_id: r
            for r in Rollup.objects.select_for_update()
            .filter(kind=kind, unit_id__in=units.values())
            .order_by("unit__path")
        }
        fresh = counted.count(ids, _today(today), apps)
        rank = counted.ranker(_today(today))
        changed = set()
        for pk in ids:
            row = rows[pk]
            delta = Counter(fresh.get(pk, {}))
            delta.subtract(Counter(row.own))
            if not any(delta.values()):
                continue
            row.own = _clean(fresh.get(pk, {}))
            changed.add(pk)
            for path in ancestor_paths(paths[pk]):
                above = rows[units[path]]
                total = Counter(above.subtree)
                total.update(delta)
                above.subtree = _clean(total)
                above.ranked = rank(path, kinds[path], above.subtree)
                changed.add(above.unit_id)
        Rollup.objects.bulk_update(
            [rows[pk] for pk in changed], ["own", "subtree", "ranked"], batch_size=1000
        )
        freshness.changed(ids, paths)


def unit_moved(unit_id: int, old_path: str) -> None:
    """A unit moved under another parent (with everything below it): its subtree's counters
    leave the units above its old place and join those above its new one, for every kind,
    rows locked in tree order as `touch` does. Its own subtree's rows are unchanged."""
    from xiaoan.orgs.models import Unit, ancestor_paths
    from xiaoan.reports.models import Rollup

    new_path = Unit.objects.filter(pk=unit_id).values_list("path", flat=True).first()
    if new_path is None:
        return
    old, new = (set(ancestor_paths(p, include_self=False)) for p in (old_path, new_path))
    if old == new:
        return
    with transaction.atomic():
        # The old place's units keep their paths (treebeard moves only the subtree).
        found = Unit.objects.filter(path__in=sorted(old ^ new)).values_list("pk", "path", "kind")
        units = {pk: path for pk, path, _kind in found}
        kinds = {pk: unit_kind for pk, _path, unit_kind in found}
        for kind, counted in tallies().items():
            moved = Rollup.objects.filter(kind=kind, unit_id=unit_id).values_list(
                "subtree", flat=True
            )
            subtree = next(iter(moved), None)
            if not subtree:
                continue
            Rollup.objects.bulk_create(
                [Rollup(kind=kind, unit_id=pk) for pk in units], ignore_conflicts=True
            )
            rows = list(
                Rollup.objects.select_for_update()
                .filter(kind=kind, unit_id__in=units)
                .order_by("unit__path")
            )
            rank = counted.ranker(_today(None))
            for row in rows:
                total = Counter(row.subtree)
                if units[row.unit_id] in old:
                    total.subtract(subtree)
                else:
                    total.update(subtree)
                row.subtree = _clean(total)
                row.ranked = rank(units[row.unit_id], kinds[row.unit_id], row.subtree)
            Rollup.objects.bulk_update(rows, ["subtree", "ranked"], batch_size=1000)
        freshness.everywhere()
        for kind, counted in tallies().items():
            if counted.rank is not None:  # it may depend on what applies above (targets)
                rerank(kind, new_path)


def _lock(rollup_model) -> None:
    # Writers wait while a kind is recounted (readers do not); a touch that began before
    # lands first and is then recounted.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {rollup_model._meta.db_table} IN EXCLUSIVE MODE")


def rebuild(kind: str, today: dt.date | None = None, apps: Any = None) -> int:
    """Recount every unit and subtree of `kind`; returns how many rows differed (a
    migration passes its historical app registry)."""
    if apps is None:
        from django.apps import apps
    rollup_model = apps.get_model("reports", "Rollup")
    unit_model = apps.get_model("orgs", "Unit")
    counted = tallies()[kind]
    step = 4  # the orgs tree's path step (Unit.steplen)
    with transaction.atomic():
        _lock(rollup_model)
        own = counted.count(None, _today(today), apps)
        rank = counted.ranker(_today(today))
        units = list(unit_model.objects.order_by("path").values_list("pk", "path", "kind"))
        by_path = {path: pk for pk, path, _kind in units}
        subtree: dict[int, Counter] = defaultdict(Counter)
        for pk, path, _kind in units:
            counters = own.get(pk)
            if not counters:
                continue
            for end in range(step, len(path) + 1, step):
                above = by_path.get(path[:end])
                if above is not None:
                    subtree[above].update(counters)
        kept = {r.unit_id: r for r in rollup_model.objects.filter(kind=kind)}
        changed, created = [], []
        for pk, path, unit_kind in units:
            values = (_clean(own.get(pk, {})), _clean(subtree.get(pk, {})))
            ranked = rank(path, unit_kind, values[1])
            row = kept.get(pk)
            if row is None:
                if values[0] or values[1]:
                    created.append(
                        rollup_model(
                            kind=kind, unit_id=pk, own=values[0], subtree=values[1], ranked=ranked
                        )
                    )
            elif (row.own, row.subtree, row.ranked) != (*values, ranked):
                row.own, row.subtree, row.ranked = *values, ranked
                changed.append(row)
        rollup_model.objects.bulk_update(changed, ["own", "subtree", "ranked"], batch_size=2000)
        rollup_model.objects.bulk_create(created, batch_size=2000)
        if changed or created:
            freshness.everywhere()
    return len(changed) + len(created)


def rerank(kind: str, path: str = "", today: dt.date | None = None) -> int:
    """Work `ranked` out again from the stored subtrees of the units under `path` (all when
    empty): what a ranking compares changed, not the counts (a target). Returns how many
    rows changed."""
    from xiaoan.reports.models import Rollup

    rank = tallies()[kind].ranker(_today(today))
    with transaction.atomic():
        rows = (
            Rollup.objects.select_for_update(of=("self",))
            .filter(kind=kind, unit__path__startswith=path)
            .select_related("unit")
            .only("unit_id", "subtree", "ranked", "unit__path", "unit__kind")
            .order_by("unit__path")
        )
        changed = []
        for row in rows:
            ranked = rank(row.unit.path, row.unit.kind, row.subtree)
            if ranked != row.ranked:
                row.ranked = ranked
                changed.append(row)
        Rollup.objects.bulk_update(changed, ["ranked"], batch_size=1000)
        if changed:
            freshness.everywhere()
    return len(changed)


def rebuild_when_ready(kind: str) -> None:
    """What a migration runs: recount `kind`, unless the code of a later release reads a
    field or a table this schema has not yet (an upgrade across several releases); the
    nightly recount (`xiaoan rollups`) builds it once the schema has caught up."""
    from django.core.exceptions import FieldError
    from django.db import DatabaseError

    try:
        with transaction.atomic():  # a failed statement must not break the migration's
            rebuild(kind)
    except (FieldError, DatabaseError):
        pass


def rebuild_all(today: dt.date | None = None, apps: Any = None) -> dict[str, int]:
    return {kind: rebuild(kind, today, apps) for kind in tallies()}


def reconcile(kind: str | None = None, today: dt.date | None = None) -> int:
    """Recount one kind (all when None); returns how many rows were wrong (drift, or a
    day-relative counter the day has moved on)."""
    kinds = [kind] if kind else list(tallies())
    return sum(rebuild(k, today) for k in kinds)


# ---------------------------------------------------------------- bulk writes


class RolledUpQuerySet(models.QuerySet):
    """Mixed into a rolled-up model's queryset (before its scoped base): bulk writes touch
    the units they change (the model names its tally in `rollup_kind`)."""

    def _kind(self) -> str:
        return self.model.rollup_kind

    def _counts(self, fields: Iterable[str]) -> bool:
        watched = tallies()[self._kind()].fields
        return not watched or bool(watched & set(fields))

    def _units(self) -> set[int]:
        return set(self.order_by().values_list("unit_id", flat=True).distinct())

    def update(self, **kwargs: Any) -> int:
        if not self._counts(kwargs):
            return super().update(**kwargs)
        with transaction.atomic():
            units = self._units()
            done = super().update(**kwargs)
            touch(self._kind(), units | ({kwargs["unit_id"]} if "unit_id" in kwargs else set()))
        return done

    update.alters_data = True  # type: ignore[attr-defined]

    def delete(self) -> tuple[int, dict[str, int]]:
        with transaction.atomic():
            units = self._units()
            done = super().delete()
            touch(self._kind(), units)
        return done

    delete.alters_data = True  # type: ignore[attr-defined]

    def bulk_create(self, objs: Iterable[Any], *args: Any, **kwargs: Any) -> list[Any]:
        with transaction.atomic():
            made = super().bulk_create(objs, *args, **kwargs)
            touch(self._kind(), {o.unit_id for o in made})
        return made
