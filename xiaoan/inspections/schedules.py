"""Inspection schedules and unannounced draws (暗访抽取): the rules the pages, the API, the
command and the daily job share.

A schedule generates one inspection per target unit and period. Each carries the key
`s<schedule>:<period>`, unique per unit (constraint `inspection_schedule_once`), so generating
a period again adds nothing. A draw stores its sorted candidates and its seed: picking again
with `random.Random(seed)` gives the same units, which anyone can check with `verify`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoan.core.errors import Forbidden, Invalid
from xiaoan.core.history import stamp
from xiaoan.core.services import ensure_in_scope, get_scoped
from xiaoan.inspections import numbers
from xiaoan.inspections.choices import (
    InspectionKind,
    InspectionStatus,
    Recurrence,
    ScheduleTarget,
)
from xiaoan.inspections.models import (
    ChecklistTemplate,
    ChecklistVersion,
    Inspection,
    InspectionSchedule,
    UnannouncedDraw,
)
from xiaoan.inspections.services import checklist_choices, organiser_units, record_created
from xiaoan.orgs.choices import UnitKind
from xiaoan.orgs.models import Unit

BATCH = 2000
MAX_DAYS = 366
# Largest number a seed may be: fits the database's signed 64-bit integer.
MAX_SEED = 2**63 - 1

# ---------------------------------------------------------------- periods


@dataclass(frozen=True)
class Period:
    key: str  # part of the schedule key: 2026-03, 2026-B2, 2026-Q1, 2026-spring, 2026-H1, 2026
    start: dt.date
    end: dt.date
    label: str


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _months(year: int, first: int, count: int) -> tuple[dt.date, dt.date]:
    """First day of `first` to the last day `count` months on (may run into next year)."""
    last = first + count - 1
    end_year, end_month = year + (last - 1) // 12, (last - 1) % 12 + 1
    return dt.date(year, first, 1), _month_end(end_year, end_month)


def period_of(recurrence: str, on: dt.date) -> Period | None:
    """The period of `recurrence` holding the date `on`; None in August for semesters (the
    summer holiday belongs to no semester)."""
    y, m = on.year, on.month
    if recurrence == Recurrence.MONTHLY:
        start, end = _months(y, m, 1)
        return Period(f"{y}-{m:02d}", start, end, _("%(y)d年%(m)d月") % {"y": y, "m": m})
    if recurrence == Recurrence.BIMONTHLY:
        n = (m - 1) // 2
        start, end = _months(y, n * 2 + 1, 2)
        label = _("%(y)d年%(a)d–%(b)d月") % {"y": y, "a": n * 2 + 1, "b": n * 2 + 2}
        return Period(f"{y}-B{n + 1}", start, end, label)
    if recurrence == Recurrence.QUARTERLY:
        n = (m - 1) // 3
        start, end = _months(y, n * 3 + 1, 3)
        return Period(f"{y}-Q{n + 1}", start, end, _("%(y)d年第%(n)d季度") % {"y": y, "n": n + 1})
    if recurrence == Recurrence.SEMESTER:
        if 2 <= m <= 7:
            start, end = _months(y, 2, 6)
            return Period(f"{y}-spring", start, end, _("%(y)d年春季学期") % {"y": y})
        if m == 8:
            return None
        year = y if m >= 9 else y - 1
        start, end = _months(year, 9, 5)
        return Period(f"{year}-autumn", start, end, _("%(y)d年秋季学期") % {"y": year})
    if recurrence == Recurrence.HALF_YEARLY:
        n = (m - 1) // 6
        start, end = _months(y, n * 6 + 1, 6)
        label = _("%(y)d年上半年") % {"y": y} if n == 0 else _("%(y)d年下半年") % {"y": y}
        return Period(f"{y}-H{n + 1}", start, end, label)
    if recurrence == Recurrence.YEARLY:
        start, end = _months(y, 1, 12)
        return Period(str(y), start, end, _("%(y)d年") % {"y": y})
    raise ValueError(recurrence)


def dates_in(schedule: InspectionSchedule, period: Period) -> tuple[dt.date, dt.date]:
    """Scheduled date (day N of the period, at most its last day) and due date."""
    scheduled = min(period.start + dt.timedelta(days=max(schedule.day, 1) - 1), period.end)
    return scheduled, scheduled + dt.timedelta(days=max(schedule.days_allowed, 1) - 1)


# ---------------------------------------------------------------- schedules


def target_units(schedule: InspectionSchedule) -> QuerySet[Unit]:
    """Active units the schedule inspects, always inside the organiser's subtree."""
    units = Unit.objects.filter(path__startswith=schedule.organiser.path, is_active=True)
    if schedule.target == ScheduleTarget.SCHOOLS:
        return units.filter(kind=UnitKind.SCHOOL)
    if schedule.target == ScheduleTarget.KIND:
        return units.filter(kind=schedule.target_kind)
    return units.filter(pk__in=schedule.units.values("pk"))


@dataclass
class Generated:
    schedule: InspectionSchedule
    period: Period | None
    targets: int = 0
    created: int = 0
    skipped: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "schedule": self.schedule.pk,
            "name": self.schedule.name,
            "period": self.period.key if self.period else None,
            "targets": self.targets,
            "created": self.created,
            "skipped": self.skipped,
        }


@transaction.atomic
def generate(
    schedule: InspectionSchedule, on_date: dt.date | None = None, *, actor: Any = None
) -> Generated:
    """Create this period's inspection for every target unit that has none yet. A constant
    number of queries (plus one per 2,000 rows): running it again adds nothing."""
    on_date = on_date or timezone.localdate()
    period = period_of(schedule.recurrence, on_date)
    if period is None:
        return Generated(schedule, None, skipped=_("该日期不属于任何周期"))
    if not schedule.is_active:
        return Generated(schedule, period, skipped=_("计划已停用"))
    version_id = (
        ChecklistTemplate.objects.filter(pk=schedule.checklist_id)
        .values_list("current_version_id", flat=True)
        .first()
    )
    if version_id is None:
        return Generated(schedule, period, skipped=_("检查表没有检查项"))
    key = schedule.key(period.key)
    # Locked before reading what exists: a concurrent run of the same schedule waits here
    # and then sees this run's rows.
    counter = numbers.lock(schedule.organiser_id)
    units = list(target_units(schedule).order_by("path").values_list("pk", "name"))
    existing = set(Inspection.objects.filter(schedule_key=key).values_list("unit_id", flat=True))
    scheduled_on, due_on = dates_in(schedule, period)
    actor_pk = getattr(actor, "pk", None)
    started = timezone.now()
    rows = [
        # bulk_create skips Inspection.save, which would set the period: set it here.
        Inspection(
            kind=schedule.kind,
            title=f"{name} {schedule.name} {period.label}"[:200],
            unit_id=pk,
            organiser_id=schedule.organiser_id,
            checklist_id=version_id,
            scheduled_on=scheduled_on,
            due_on=due_on,
            period=f"{scheduled_on:%Y-%m}",
            schedule_key=key,
            status=InspectionStatus.PLANNED,
            created_by_id=actor_pk,
        )
        for pk, name in units
        if pk not in existing
    ]
    if rows:
        for row, number in zip(rows, numbers.take(counter, len(rows)), strict=True):
            row.number = number
        Inspection.objects.bulk_create(rows, batch_size=BATCH)
        ChecklistVersion.objects.filter(pk=version_id, is_frozen=False).update(is_frozen=True)
        # One history entry per new inspection, as a save would have written.
        created = list(Inspection.objects.filter(schedule_key=key, created_at__gte=started))
        Inspection.history.bulk_history_create(
            created, batch_size=BATCH, default_user=actor if actor_pk else None
        )
        record_created(created, actor, note=schedule.name)
    else:
        created = []
    return Generated(schedule, period, targets=len(units), created=len(created))


def generate_all(on_date: dt.date | None = None, *, actor: Any = None) -> list[Generated]:
    """The current period of every active schedule (the daily job and the command)."""
    schedules = InspectionSchedule.objects.filter(is_active=True).select_related("organiser")
    return [generate(s, on_date, actor=actor) for s in schedules.order_by("pk")]


def schedules_for(actor: Any, action: str = "view") -> QuerySet[InspectionSchedule]:
    return InspectionSchedule.objects.restrict(actor, action)


def _unit_in(actor: Any, pk: Any, field_name: str) -> Unit:
    unit_pk = pk.pk if isinstance(pk, Unit) else pk
    unit = organiser_units(actor).filter(pk=unit_pk).first() if unit_pk else None
    if unit is None:
        if unit_pk and Unit.objects.restrict(actor).filter(pk=unit_pk).exists():
            raise Forbidden(_("您不能以该单位的名义组织检查。"))
        raise Invalid(fields={field_name: [_("单位不存在或不在您的范围内。")]})
    return unit


def _checklist(actor: Any, pk: Any) -> ChecklistTemplate:
    template_pk = pk.pk if isinstance(pk, ChecklistTemplate) else pk
    template = checklist_choices(actor).filter(pk=template_pk).first() if template_pk else None
    if template is None:
        raise Invalid(fields={"checklist": [_("检查表不存在、已停用或不在您的范围内。")]})
    return template


@transaction.atomic
def create_schedule(
    actor: Any,
    *,
    name: str,
    kind: str,
    checklist: ChecklistTemplate | int,
    organiser: Unit | int,
    recurrence: str,
    target: str = ScheduleTarget.SCHOOLS,
    target_kind: str = "",
    units: Iterable[Unit | int] = (),
    day: int = 1,
    days_allowed: int = 20,
    is_active: bool = True,
) -> InspectionSchedule:
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("必填。")]
    if kind not in InspectionKind.values or kind == InspectionKind.UNANNOUNCED:
        errors["kind"] = [_("检查类型无效（暗访请用随机抽取）。")]
    if recurrence not in Recurrence.values:
        errors["recurrence"] = [_("周期无效。")]
    if target not in ScheduleTarget.values:
        errors["target"] = [_("检查对象无效。")]
    if target == ScheduleTarget.KIND and target_kind not in UnitKind.values:
        errors["target_kind"] = [_("请选择单位类型。")]
    if not 1 <= int(day or 0) <= 184:
        errors["day"] = [_("须在 1 到 184 之间。")]
    if not 1 <= int(days_allowed or 0) <= MAX_DAYS:
        errors["days_allowed"] = [_("须在 1 到 366 之间。")]
    if errors:
        raise Invalid(fields=errors)
    org = _unit_in(actor, organiser, "organiser")
    template = _checklist(actor, checklist)
    chosen: list[int] = []
    if target == ScheduleTarget.CHOSEN:
        ids = [u.pk if isinstance(u, Unit) else int(u) for u in units]
        chosen = list(
            Unit.objects.filter(pk__in=ids, path__startswith=org.path).values_list("pk", flat=True)
        )
        if not chosen or len(chosen) != len(set(ids)):
            raise Invalid(fields={"units": [_("请选择组织单位下的单位。")]})
    schedule = InspectionSchedule(
        name=name[:100],
        kind=kind,
        checklist=template,
        organiser=org,
        target=target,
        target_kind=target_kind if target == ScheduleTarget.KIND else "",
        recurrence=recurrence,
        day=int(day),
        days_allowed=int(days_allowed),
        is_active=bool(is_active),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    stamp(schedule, actor)
    schedule.save()
    if chosen:
        schedule.units.set(chosen)
    ensure_in_scope(actor, schedule, "add")
    return schedule


def load_schedule(actor: Any, pk: Any, action: str = "view") -> InspectionSchedule:
    """404 if the actor cannot see the schedule, 403 if they may not manage it."""
    return get_scoped(actor, InspectionSchedule, pk, action)


@transaction.atomic
def set_active(actor: Any, pk: Any, active: bool) -> InspectionSchedule:
    """Stop or resume a schedule: a stopped one generates nothing; what it generated stays."""
    schedule = load_schedule(actor, pk, "change")
    if schedule.is_active != bool(active):
        schedule.is_active = bool(active)
        stamp(schedule, actor)
        schedule.save(update_fields=["is_active", "updated_at"])
        ensure_in_scope(actor, schedule, "change")
    return schedule


def generate_now(actor: Any, pk: Any, on_date: dt.date | None = None) -> Generated:
    """Generate a schedule's current (or `on_date`'s) period at once, without waiting for the
    daily job."""
    return generate(load_schedule(actor, pk, "change"), on_date, actor=actor)


@dataclass(frozen=True)
class DefaultSchedule:
    name: Any
    kind: str
    recurrence: str
    checklist: str  # built-in checklist code
    day: int
    days_allowed: int


# The five recurring plans of domain.md §2 that an authority starts with.
DEFAULT_SCHEDULES: Sequence[DefaultSchedule] = (
    DefaultSchedule(gettext_lazy("每月安全自查"), "self_check", "monthly", "SEC-BASIC", 1, 25),
    DefaultSchedule(
        gettext_lazy("每季度主要负责人带队安全检查"), "self_check", "quarterly", "FIRE-BASIC", 1, 45
    ),
    DefaultSchedule(gettext_lazy("每两月上级督查"), "supervision", "bimonthly", "SEC-BASIC", 1, 50),
    DefaultSchedule(gettext_lazy("每学期专家评估"), "expert", "semester", "BLDG-SCHOOL", 15, 120),
    DefaultSchedule(
        gettext_lazy("全覆盖安全大检查（每年两轮）"),
        "supervision",
        "half_yearly",
        "FIRE-BASIC",
        1,
        90,
    ),
)


@transaction.atomic
def create_default_schedules(
    actor: Any, organiser: Unit | int, *, checklist: ChecklistTemplate | int | None = None
) -> list[InspectionSchedule]:
    """The five suggested schedules for every school under `organiser`, in one action. One
    already there by name is left alone, so doing it twice adds nothing."""
    org = _unit_in(actor, organiser, "organiser")
    fallback = _checklist(actor, checklist) if checklist else None
    have = set(InspectionSchedule.objects.filter(organiser=org).values_list("name", flat=True))
    library = {t.code: t for t in checklist_choices(actor).filter(owner_unit__isnull=True)}
    made = []
    for spec in DEFAULT_SCHEDULES:
        if str(spec.name) in have:
            continue
        template = fallback or library.get(spec.checklist)
        if template is None:
            missing = _("内置检查表 %(c)s 不存在。") % {"c": spec.checklist}
            raise Invalid(fields={"checklist": [missing]})
        made.append(
            create_schedule(
                actor,
                name=str(spec.name),
                kind=spec.kind,
                checklist=template,
                organiser=org,
                recurrence=spec.recurrence,
                day=spec.day,
                days_allowed=spec.days_allowed,
            )
        )
    return made


# ---------------------------------------------------------------- unannounced draws


def pick(population: Sequence[int], count: int, seed: int) -> list[int]:
    """The reproducible pick: the same sorted population, count and seed give the same units."""
    return sorted(random.Random(seed).sample(list(population), count))


def draw_population(actor: Any, organiser: Unit, unit_kind: str = UnitKind.SCHOOL) -> list[int]:
    """Candidate units: active units of the kind strictly below the organiser (暗访 is by a
    superior) where the actor may organise inspections, sorted by id."""
    return list(
        organiser_units(actor)
        .filter(path__startswith=organiser.path, kind=unit_kind, is_active=True)
        .exclude(pk=organiser.pk)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


@dataclass
class DrawCheck:
    draw: UnannouncedDraw
    picked: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.picked == list(self.draw.picked)


def verify(draw: UnannouncedDraw) -> DrawCheck:
    """Run the pick again from what the draw stored."""
    return DrawCheck(draw, pick(draw.population, draw.count, draw.seed))


@transaction.atomic
def create_draw(
    actor: Any,
    *,
    organiser: Unit | int,
    count: int,
    checklist: ChecklistTemplate | int,
    seed: int | None = None,
    unit_kind: str = UnitKind.SCHOOL,
    scheduled_on: dt.date | None = None,
    due_on: dt.date | None = None,
    title: str = "",
) -> UnannouncedDraw:
    """Pick `count` units at random under `organiser` and create an unannounced inspection
    for each, hidden from the picked units' own people until it is submitted."""
    org = _unit_in(actor, organiser, "organiser")
    template = _checklist(actor, checklist)
    if unit_kind not in UnitKind.values:
        raise Invalid(fields={"unit_kind": [_("单位类型无效。")]})
    if seed is None:
        seed = secrets.randbelow(10**9)
    if not 0 <= int(seed) <= MAX_SEED:
        raise Invalid(fields={"seed": [_("随机种子须为非负整数。")]})
    population = draw_population(actor, org, unit_kind)
    if not 1 <= int(count) <= len(population):
        raise Invalid(
            fields={"count": [_("抽取数量须在 1 到 %(n)d 之间。") % {"n": len(population)}]}
        )
    scheduled_on = scheduled_on or timezone.localdate()
    if due_on is not None and due_on < scheduled_on:
        raise Invalid(fields={"due_on": [_("截止日期不能早于计划日期。")]})
    picked = pick(population, int(count), int(seed))
    draw = UnannouncedDraw.objects.create(
        organiser=org,
        title=(title or "").strip()[:200]
        or _("%(o)s %(d)s 暗访抽取") % {"o": org.name, "d": f"{scheduled_on:%Y-%m-%d}"},
        population=population,
        count=int(count),
        seed=int(seed),
        picked=picked,
        checklist_id=template.current_version_id,
        scheduled_on=scheduled_on,
        due_on=due_on,
        created_by=actor,
    )
    names = dict(Unit.objects.filter(pk__in=picked).values_list("pk", "name"))
    label = InspectionKind.UNANNOUNCED.label
    Inspection.objects.bulk_create(
        [
            Inspection(
                number=number,
                kind=InspectionKind.UNANNOUNCED,
                title=f"{names[pk]} {label} {scheduled_on:%Y-%m-%d}"[:200],
                unit_id=pk,
                organiser=org,
                checklist_id=template.current_version_id,
                scheduled_on=scheduled_on,
                due_on=due_on,
                period=f"{scheduled_on:%Y-%m}",
                schedule_key=draw.key(),
                created_by=actor,
            )
            for pk, number in zip(picked, numbers.next_numbers(org.pk, len(picked)), strict=True)
        ],
    )
    ChecklistVersion.objects.filter(pk=template.current_version_id, is_frozen=False).update(
        is_frozen=True
    )
    created = list(Inspection.objects.filter(schedule_key=draw.key()))
    Inspection.history.bulk_history_create(created, default_user=actor)
    record_created(created, actor, note=draw.title)
    ensure_in_scope(actor, draw, "add")
    return draw


def draws_for(actor: Any, action: str = "view") -> QuerySet[UnannouncedDraw]:
    return UnannouncedDraw.objects.restrict(actor, action)


def load_draw(actor: Any, pk: Any) -> UnannouncedDraw:
    return get_scoped(actor, UnannouncedDraw, pk)


def draw_inspections(draw: UnannouncedDraw) -> QuerySet[Inspection]:
    return Inspection.objects.filter(schedule_key=draw.key()).select_related("unit")
