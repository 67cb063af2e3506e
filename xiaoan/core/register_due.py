"""The registers' due dates at work (`xiaoan.core.registers` explains why they are their own
rows rather than duties' obligations): the daily warnings and the home page's to-dos.

`daily(today)` warns, for each `DueDate` in its window (due within `warn_days`) not yet
warned for that date, the people who may change the register at the item's unit or the
units above it within its school; and, once the date is past, warns again (overdue). Each
row remembers the date it warned for, so running the job twice sends nothing twice and a
new date (the item updated after its inspection) is warned of afresh.

`due_todos(REGISTER)` is the to-do provider a register app registers in its `todos.py`.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.core.models import DueDate
from xiaoan.core.registers import Register, registry
from xiaoan.core.todos import Todo

logger = logging.getLogger(__name__)


def responsible_people(perm: str, unit_ids: Iterable[int]) -> dict[int, list[Any]]:
    """For each unit, the people holding `perm` at that unit or above it up to its school
    (a school's safety officer for a department's item), not the district's: three
    queries whatever the number of units."""
    from xiaoan.accounts.models import RoleAssignment
    from xiaoan.core.registers import home_unit
    from xiaoan.orgs.models import Unit, ancestor_paths

    units = list(Unit.objects.filter(pk__in=sorted(set(unit_ids))))
    wanted: dict[int, set[str]] = {}
    paths: set[str] = set()
    for unit in units:
        school_path = home_unit(unit).path if unit.kind in ("department", "campus") else unit.path
        chain = {p for p in ancestor_paths(unit.path) if p.startswith(school_path)}
        wanted[unit.pk] = chain
        paths |= chain
    rows = RoleAssignment.objects.filter(
        unit__path__in=sorted(paths), role__is_active=True, user__is_active=True
    ).select_related("user", "role", "unit")
    # Which units each tree path serves: a grant is matched by one lookup, not against
    # every unit (a province's daily run has thousands of units and of grants).
    serving: dict[str, list[int]] = defaultdict(list)
    for unit_id, chain in wanted.items():
        for path in chain:
            serving[path].append(unit_id)
    people: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        if perm not in (row.role.permissions or ()):
            continue
        for unit_id in serving.get(row.unit.path, ()):
            if row.user not in people[unit_id]:
                people[unit_id].append(row.user)
    return people


def _notify(register: Register, rows: list[DueDate], kind: str, title: str) -> int:
    from xiaoan.notifications.services import notify

    by_unit: dict[int, list[DueDate]] = defaultdict(list)
    for row in rows:
        by_unit[row.unit_id].append(row)
    people = responsible_people(register.perm("change"), by_unit)
    names = dict(
        register.model._default_manager.filter(pk__in=[r.object_id for r in rows]).values_list(
            "pk", "name"
        )
    )
    url = reverse(register.url_name("list")) + "?due=soon"
    sent = 0
    for unit_id, items in by_unit.items():
        if not people.get(unit_id):
            continue
        lines = [
            f"{names.get(r.object_id, r.object_id)}：{r.label} {r.due_on:%Y-%m-%d}" for r in items
        ]
        sent += notify(
            people[unit_id],
            kind,
            title % {"r": register.label, "n": len(items)},
            "\n".join(lines),
            url=url,
        )
    return sent


def _overdue_rules(register: Register, rows: list[DueDate], today: dt.date) -> set[int]:
    """Run the register's `Due.on_overdue` rules on the rows just past, each in its own
    savepoint; the ids of the rows whose rule failed (logged, tried again tomorrow)."""
    hooks = {d.field: d.on_overdue for d in register.due if d.on_overdue is not None}
    failed: set[int] = set()
    for row in rows:
        hook = hooks.get(row.key)
        if hook is None:
            continue
        try:
            with transaction.atomic():
                hook(row, today)
        except Exception:
            logger.exception("register %s: overdue rule failed for %s", register.key, row.pk)
            failed.add(row.pk)
    return failed


def daily(today: dt.date | None = None) -> dict[str, Any]:
    """Warn of the dates coming due and of those just past, once per item and date."""
    from xiaoan.notifications.services import grouped

    today = today or timezone.localdate()
    soon_total = overdue_total = sent = 0
    with grouped():
        for register in registry:
            if not register.due:
                continue
            rows = DueDate.objects.filter(content_type=register.content_type())
            soon = list(
                rows.filter(warn_on__lte=today, due_on__gte=today).exclude(warned_for=F("due_on"))
            )
            overdue = list(rows.filter(due_on__lt=today).exclude(overdue_for=F("due_on")))
            if soon:
                sent += _notify(register, soon, "due_soon", _("%(r)s：%(n)d 项即将到期"))
                DueDate.objects.filter(pk__in=[r.pk for r in soon]).update(warned_for=F("due_on"))
            failed = _overdue_rules(register, overdue, today)
            if overdue:
                sent += _notify(register, overdue, "overdue", _("%(r)s：%(n)d 项已过期"))
                DueDate.objects.filter(pk__in=[r.pk for r in overdue if r.pk not in failed]).update(
                    overdue_for=F("due_on"), warned_for=F("due_on")
                )
            soon_total += len(soon)
            overdue_total += len(overdue)
    return {
        "date": today.isoformat(),
        "due_soon": soon_total,
        "overdue": overdue_total,
        "notifications": sent,
    }


def due_todos(user: Any) -> list[Todo]:
    """Every register's to-do: its items due soon or overdue in the units where the person is
    one of the people who keep the register (`own_side`). One grouped query for all the
    registers kept in the same units (usually all of them), not one per register."""
    from xiaoan.core.todos import own_units

    today = timezone.localdate()
    kept: dict[tuple[int, ...], list[Register]] = defaultdict(list)
    for register in registry:
        perm = register.perm("change")
        if register.due and _holds(user, perm):
            kept[tuple(own_units(user, perm))].append(register)
    todos = []
    for units, registers in kept.items():
        by_type = {r.content_type().pk: r for r in registers}
        rows = (
            DueDate.objects.filter(
                unit_id__in=units, content_type_id__in=sorted(by_type), warn_on__lte=today
            )
            .values("content_type_id")
            .annotate(total=Count("pk"), late=Count("pk", filter=Q(due_on__lt=today)))
            .order_by()
        )
        for row in rows:
            register = by_type[row["content_type_id"]]
            todos.append(
                Todo(
                    key=f"{register.key}.due",
                    label=_("%(r)s即将到期或已过期") % {"r": register.label},
                    count=row["total"],
                    late=row["late"],
                    url=reverse(register.url_name("list")) + "?due=soon",
                    order=60,
                )
            )
    return todos


def _holds(user: Any, perm: str) -> bool:
    from xiaoan.core.scoping import has_permission_anywhere

    return has_permission_anywhere(user, perm)
