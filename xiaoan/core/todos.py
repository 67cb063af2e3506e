"""What waits for a person, gathered from every app.

Each app that gives people work declares it in its own `todos.py` with `@provider`: a function
of the person returning `Todo`s (a count and the link to the list that shows them). The home
page and `/api/todos/` list the non-empty ones; a later app adds its work the same way.

Work that is a count of the person's own units' records — buses not checked today, assets
not checked this month — is a counter the dashboard's rollups already keep per unit: such an
app declares it with `counted(Counted(...))` instead, and one read of the rollup rows answers
every such to-do at once (a home page built a dozen scoped count queries before).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from typing import Any

from django.db.models import Q

from xiaoan.core import freshness
from xiaoan.core.registry import Registry
from xiaoan.core.scoping import OWN_UNITS_ATTR, grants_for, has_permission_anywhere


@dataclass(frozen=True)
class Todo:
    key: str  # stable, for the API and tests: "hazards.verify"
    label: str
    count: int
    url: str
    late: int = 0  # of them past their deadline
    order: int = 50  # lower first: what blocks others (confirm, assign) before one's own work

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "label": str(self.label)}


Provider = Callable[[Any], Iterable[Todo]]
PROVIDERS = Registry("todos")
provider = PROVIDERS.register  # an app's function that says what waits for a person
# Providers of work that does not follow the person's units (notices addressed to them,
# inspections they are invited to elsewhere): asked every time.
LIVE: set[Callable[..., Any]] = set()


def live_provider(func: Provider) -> Provider:
    LIVE.add(func)
    return provider(func)


# The kept to-dos follow every write at the person's units (xiaoan.core.freshness); what
# turns late with the hour is at most this old.
KEEP_SECONDS = 60


def todos_for(user: Any) -> list[Todo]:
    """The person's non-empty to-dos, most blocking first. One or two counts per kind of
    work, never a query per record; the counts that follow the person's units are kept until
    a write there (or a minute)."""
    if not getattr(user, "is_authenticated", False):
        return []
    functions = list(PROVIDERS)
    key = _cache_key(user)
    kept = freshness.read(key) if key else None
    if kept is None:
        kept = [todo for func in functions if func not in LIVE for todo in func(user)]
        if key:
            freshness.keep(key, kept, KEEP_SECONDS)
    items = [*kept, *(todo for func in functions if func in LIVE for todo in func(user))]
    return sorted((t for t in items if t.count), key=lambda todo: (todo.order, todo.key))


def _cache_key(user: Any) -> str | None:
    import hashlib

    from django.utils import timezone
    from django.utils.translation import get_language

    grants = grants_for(user)
    if getattr(user, "is_superuser", False) or any(g.unit_id is None for g in grants):
        return None  # platform-wide: no unit's version covers it
    version = freshness.version(*sorted({g.unit_path for g in grants}))
    if version is None:
        return None
    parts = (user.pk, timezone.localdate(), get_language(), freshness.grants_key(user), version)
    return "todos:" + hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def own_side(user: Any, perm: str, field: str = "unit") -> Q:
    """Records of the schools (or, for a bureau, of the bureau itself) where the person holds
    `perm` as one of its own people, not through a superior's subtree: owners act, superiors
    supervise, and a bureau's officer is not handed every school's work. The units are a few
    (a school and its departments, a bureau), so they are read once and given to the query as
    ids: with a subquery the planner scanned every planned inspection of a province."""
    return Q(**{f"{field}__in": own_units(user, perm)})


def own_units(user: Any, perm: str) -> list[int]:
    """The units of `own_side`, as ids (sorted), read once per person and set of roles."""
    from xiaoan.orgs.choices import UnitKind
    from xiaoan.orgs.models import Unit

    memo: dict[tuple[int, ...], list[int]] | None = getattr(user, OWN_UNITS_ATTR, None)
    if memo is None:
        memo = {}
        setattr(user, OWN_UNITS_ATTR, memo)
    within_school = (UnitKind.DEPARTMENT, UnitKind.CAMPUS)
    grants = [g for g in grants_for(user) if perm in g.permissions and g.unit_id]
    # Most permissions come with the same roles: one query per set of granting units.
    key = tuple(sorted({g.unit_id for g in grants}))
    if key in memo:
        return memo[key]
    nested = [g.unit_id for g in grants if g.unit_kind in within_school]
    inside = {u.pk: u for u in Unit.objects.filter(pk__in=nested)} if nested else {}
    trees = Q(pk__in=[])
    ids: set[int] = set()
    for grant in grants:
        if grant.unit_kind == UnitKind.SCHOOL:
            trees |= Q(path__startswith=grant.unit_path)
        elif grant.unit_kind in within_school:
            unit = inside[grant.unit_id]
            trees |= Q(path__startswith=(unit.school() or unit).path)
        else:
            ids.add(grant.unit_id)
    if not grants:
        memo[key] = []
    else:
        found = Unit.objects.filter(trees | Q(pk__in=sorted(ids))).values_list("pk", flat=True)
        memo[key] = sorted(found)
    return memo[key]


def _register_due(user: Any) -> list[Todo]:
    # Every register's due dates, one provider for them all (xiaoan.core.register_due).
    from xiaoan.core.register_due import due_todos

    return due_todos(user)


provider(_register_due)


@dataclass(frozen=True)
class Counted:
    """A to-do kept as a rollup counter: the sum of `counter` of tally `kind` over the units
    where the person holds `perm` as one of its own (`own_units`); a counter ending in "*"
    sums every counter it begins (the hazards' "s:reported|*": reported, of any level).
    `late`: the counter of those past due, or True when all are. `when`: the days it applies
    (a season)."""

    key: str
    label: Any  # lazy: translated when the page is built
    kind: str
    counter: str
    perm: str
    url: Callable[[], str]
    order: int = 55
    late: str | bool = ""
    when: Callable[[dt.date], bool] | None = None


COUNTED: list[Counted] = []


def counted(*todos: Counted) -> None:
    """Declare to-dos kept as rollup counters (from an app's `todos.py`)."""
    known = {t.key for t in COUNTED}
    COUNTED.extend(t for t in todos if t.key not in known)


def _sum(counts: list[dict[str, int]], counter: str) -> int:
    if counter.endswith("*"):
        start = counter[:-1]
        return sum(v for c in counts for k, v in c.items() if k.startswith(start))
    return sum(c.get(counter, 0) for c in counts)


def _counted(user: Any) -> list[Todo]:
    from django.utils import timezone

    from xiaoan.reports.models import Rollup

    today = timezone.localdate()
    wanted = [
        (todo, own_units(user, todo.perm))
        for todo in COUNTED
        if (todo.when is None or todo.when(today)) and has_permission_anywhere(user, todo.perm)
    ]
    wanted = [(todo, units) for todo, units in wanted if units]
    if not wanted:
        return []
    kinds = sorted({todo.kind for todo, _units in wanted})
    ids = sorted({pk for _todo, units in wanted for pk in units})
    rows = Rollup.objects.filter(kind__in=kinds, unit_id__in=ids)
    own = {(kind, pk): counts or {} for kind, pk, counts in rows.values_list("kind", "unit", "own")}
    out = []
    for todo, units in wanted:
        counts = [own.get((todo.kind, pk), {}) for pk in units]
        count = _sum(counts, todo.counter)
        if not count:
            continue
        late = count if todo.late is True else _sum(counts, todo.late) if todo.late else 0
        out.append(
            Todo(
                key=todo.key,
                label=str(todo.label),
                count=count,
                url=todo.url(),
                late=late,
                order=todo.order,
            )
        )
    return out


provider(_counted)
