"""安全教育活动: the rules the pages, the API, the demo and the to-dos share.

- `record` / `update` / `add_photos`: a school's activity, checked field by field (an event's
  activity must fall in one of its windows), idempotent on a retried key, with its history;
  recording or changing one decides the unit's pending ACTIVITY obligations at once.
- `coverage`: for an event's window and a unit, every school below it done or not done with
  its activities, per branch and rolled up, in a constant number of queries.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.activities import calendar
from xiaoan.activities.choices import ActivityKind
from xiaoan.activities.models import MAX_PARTICIPANTS, Activity, ActivityPhoto
from xiaoan.core.errors import Conflict, Forbidden, Invalid, NotFound
from xiaoan.core.history import stamp
from xiaoan.core.idempotency import clean_key, replay_of, save_once
from xiaoan.core.photos import clean_photo
from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.core.services import ensure_in_scope, get_scoped
from xiaoan.inspections.schedules import Period
from xiaoan.orgs.choices import UnitKind
from xiaoan.orgs.models import Unit

VIEW = "activities.view_activity"
ADD = "activities.add_activity"
CHANGE = "activities.change_activity"
FIELDS = ("event", "kind", "title", "held_on", "classes", "participants", "summary")


def activities_for(actor: Any, action: str = "view") -> QuerySet[Activity]:
    return Activity.objects.restrict(actor, action)


def record_units(actor: Any) -> QuerySet[Unit]:
    """The schools where the person may record activities."""
    return Unit.objects.with_permission(actor, ADD).filter(kind=UnitKind.SCHOOL, is_active=True)


def view_units(actor: Any) -> QuerySet[Unit]:
    return Unit.objects.with_permission(actor, VIEW).filter(is_active=True)


# ---------------------------------------------------------------- checks


def _clean(data: dict[str, Any], today: dt.date) -> tuple[dict[str, Any], str]:
    """The fields checked and trimmed, and the window key of the event holding the date."""
    errors: dict[str, list[str]] = {}
    out = {k: data.get(k) for k in FIELDS}
    out["event"] = (out["event"] or "").strip()
    for name in ("title", "classes", "summary"):
        out[name] = (out[name] or "").strip()
    if out["kind"] not in ActivityKind.values:
        errors["kind"] = [_("请选择活动形式。")]
    if not out["title"]:
        errors["title"] = [_("请填写活动主题。")]
    elif len(out["title"]) > 100:
        errors["title"] = [_("活动主题不能超过 100 字。")]
    if not out["classes"]:
        errors["classes"] = [_("请填写参加的年级或班级，如 全校、七年级。")]
    elif len(out["classes"]) > 200:
        errors["classes"] = [_("不能超过 200 字。")]
    if not out["summary"]:
        errors["summary"] = [_("请简要说明活动开展情况。")]
    elif len(out["summary"]) > 1000:
        errors["summary"] = [_("活动简述不能超过 1000 字。")]
    try:
        participants = int(out["participants"])
        if not 1 <= participants <= MAX_PARTICIPANTS:
            raise ValueError
        out["participants"] = participants
    except (TypeError, ValueError):
        errors["participants"] = [
            _("参加人数须为 1 到 %(n)d 之间的整数。") % {"n": MAX_PARTICIPANTS}
        ]
    held_on = out["held_on"]
    if isinstance(held_on, str):
        try:
            held_on = out["held_on"] = dt.date.fromisoformat(held_on)
        except ValueError:
            held_on = None
    if not isinstance(held_on, dt.date):
        errors["held_on"] = [_("请填写活动日期。")]
    elif held_on > today:
        errors["held_on"] = [_("活动日期不能晚于今天；活动开展后再登记。")]
    elif held_on.year < 2000:
        errors["held_on"] = [_("活动日期无效。")]
    key = ""
    if out["event"]:
        event = calendar.event(out["event"])
        if event is None:
            errors["event"] = [_("教育日（月）无效。")]
        elif isinstance(held_on, dt.date) and "held_on" not in errors:
            window = event.window_of(held_on)
            if window is None:
                errors["held_on"] = [
                    _(
                        "%(name)s的活动时段为%(rule)s，该日期不在其中；请改正日期，或选择“学校自主活动”。"
                    )
                    % {"name": event.name, "rule": event.rule_text}
                ]
            else:
                key = window.key
    if errors:
        first = next(iter(errors.values()))[0]
        raise Invalid(first if len(errors) == 1 else None, fields=errors)
    return out, key


def _photos(photos: Sequence[Any]) -> list[tuple[Any, int, int]]:
    if len(photos) > settings.XIAOAN_PHOTO_MAX_COUNT:
        raise Invalid(
            _("一次最多上传 %(n)d 张照片。") % {"n": settings.XIAOAN_PHOTO_MAX_COUNT},
            fields={"photos": [_("照片太多。")]},
        )
    return [clean_photo(upload) for upload in photos if upload]


def _attach(activity: Activity, actor: Any, cleaned: Iterable[tuple[Any, int, int]]) -> None:
    for content, width, height in cleaned:
        photo = ActivityPhoto(activity=activity, uploaded_by=actor, width=width, height=height)
        photo.image.save(content.name, content, save=False)
        photo.save()


def _unit(actor: Any, unit: Any) -> Unit:
    pk = unit.pk if isinstance(unit, Unit) else unit
    try:
        found = record_units(actor).filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        found = None
    if found is None:
        raise Invalid(fields={"unit": [_("请选择本人可以登记活动的学校。")]})
    return found


# ---------------------------------------------------------------- writes


@transaction.atomic
def record(
    actor: Any,
    unit: Any,
    *,
    photos: Sequence[Any] = (),
    idempotency_key: str | None = None,
    fingerprint: str = "",
    **data: Any,
) -> Activity:
    """Record an activity of `unit` (a school where the person may add activities). A retry
    with the same key answers with the first activity; the unit's pending ACTIVITY
    obligations are decided at once."""
    if not has_permission_anywhere(actor, ADD):
        raise Forbidden()
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise TypeError(sorted(unknown))
    key = clean_key(idempotency_key)
    mine = Activity.objects.filter(recorded_by_id=actor.pk)
    existing = replay_of(mine, key, fingerprint)
    if existing is not None:
        return existing
    school = _unit(actor, unit)
    fields, window_key = _clean(data, timezone.localdate())
    cleaned = _photos(photos)
    activity = Activity(
        unit=school,
        recorded_by=actor,
        window_key=window_key,
        idempotency_key=key,
        idempotency_fingerprint=fingerprint or "",
        version=1,
        **fields,
    )
    stamp(activity, actor)
    first = save_once(activity.save, mine, key, fingerprint)
    if first is not None:
        return first
    _attach(activity, actor, cleaned)
    ensure_in_scope(actor, activity, "add")
    decide_obligations(school.pk)
    return activity


@transaction.atomic
def update(actor: Any, pk: Any, *, version: int | None = None, **data: Any) -> Activity:
    """Change an activity (all its fields given; `version` refuses a stale form with 409)."""
    get_scoped(actor, Activity, pk, "change")
    activity = Activity.objects.select_for_update().get(pk=pk)
    if version is not None and int(version) != activity.version:
        raise Conflict()
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise TypeError(sorted(unknown))
    merged = {k: data.get(k, getattr(activity, k)) for k in FIELDS}
    fields, window_key = _clean(merged, timezone.localdate())
    for name, value in fields.items():
        setattr(activity, name, value)
    activity.window_key = window_key
    activity.version += 1
    stamp(activity, actor)
    activity.save()
    ensure_in_scope(actor, activity, "change")
    decide_obligations(activity.unit_id)
    return activity


@transaction.atomic
def add_photos(actor: Any, pk: Any, photos: Sequence[Any]) -> list[ActivityPhoto]:
    activity = get_scoped(actor, Activity, pk, "change")
    cleaned = _photos(photos)
    if not cleaned:
        raise Invalid(fields={"photos": [_("请选择照片。")]})
    before = set(activity.photos.values_list("pk", flat=True))
    _attach(activity, actor, cleaned)
    return list(activity.photos.exclude(pk__in=before))


def decide_obligations(unit_id: int) -> None:
    """The unit's pending obligations proved by activities, decided now (not at night)."""
    from xiaoan.duties import services as duties
    from xiaoan.duties.choices import ObligationStatus, ProofKind
    from xiaoan.duties.models import Obligation

    duties.evaluate(
        Obligation.objects.filter(
            unit_id=unit_id, duty__proof=ProofKind.ACTIVITY, status=ObligationStatus.PENDING
        )
    )


def photo_for(actor: Any, pk: Any) -> ActivityPhoto:
    try:
        found = ActivityPhoto.objects.filter(
            pk=int(pk), activity__in=activities_for(actor).values("pk")
        ).first()
    except (TypeError, ValueError):
        found = None
    if found is None:
        raise NotFound()
    return found


# ---------------------------------------------------------------- who did, who did not


@dataclass
class Branch:
    unit_id: int
    name: str
    total: int = 0
    done: int = 0

    @property
    def missing(self) -> int:
        return self.total - self.done

    @property
    def rate(self) -> int:
        return round(self.done * 100 / self.total) if self.total else 0


@dataclass
class Coverage:
    event: calendar.EducationEvent
    window: Period
    root: Unit
    branches: list[Branch] = field(default_factory=list)
    total: int = 0
    done: int = 0

    @property
    def missing(self) -> int:
        return self.total - self.done

    @property
    def rate(self) -> int:
        return round(self.done * 100 / self.total) if self.total else 0


def parse_event(code: Any) -> calendar.EducationEvent:
    found = calendar.event(str(code or ""))
    if found is None:
        raise Invalid(fields={"event": [_("请选择教育日（月）。")]})
    return found


def parse_window(event: calendar.EducationEvent, key: Any, today: dt.date) -> Period:
    if not key:
        return event.current_or_last(today)
    found = event.window(str(key))
    if found is None and str(key).isdigit() and 2000 <= int(key) <= 2100:
        # A year for an event with several windows (开学第一课): its latest begun, else its first.
        windows = event.windows(int(key))
        found = next((p for p in reversed(windows) if p.start <= today), windows[0])
    if found is None:
        raise Invalid(fields={"window": [_("活动时段无效，如 2026 或 2026-autumn。")]})
    return found


def coverage_root(actor: Any, unit: Any) -> Unit:
    """The unit asked for, among those where the person sees activities (404 otherwise);
    by default the highest of them."""
    units = view_units(actor)
    if unit in (None, ""):
        found = units.order_by("depth", "path").first()
    else:
        try:
            found = units.filter(pk=int(unit)).first()
        except (TypeError, ValueError):
            found = None
    if found is None:
        raise NotFound()
    return found


def _held(event: calendar.EducationEvent, window: Period, unit_ref: Any = None) -> QuerySet:
    return Activity.objects.filter(
        unit_id=unit_ref if unit_ref is not None else OuterRef("pk"),
        event=event.code,
        held_on__gte=window.start,
        held_on__lte=window.end,
    )


def schools_of(actor: Any, root: Unit, event, window: Period) -> QuerySet[Unit]:
    """The schools below `root` the person sees, each annotated `done` (an activity of the
    event held in the window) and `activity_count`."""
    counted = _held(event, window).order_by().values("unit_id").annotate(n=Count("pk")).values("n")
    return (
        view_units(actor)
        .filter(kind=UnitKind.SCHOOL, path__startswith=root.path)
        .annotate(
            done=Exists(_held(event, window)),
            activity_count=Coalesce(Subquery(counted, output_field=IntegerField()), Value(0)),
        )
        .order_by("path")
    )


def coverage(actor: Any, event: Any, window: Any = None, unit: Any = None) -> Coverage:
    """Per branch below the unit (one level down) and in all: schools, done, not done.
    Two queries whatever the number of schools (the grouped counts, the branches' names)."""
    found = parse_event(event)
    span = parse_window(found, window, timezone.localdate())
    root = coverage_root(actor, unit)
    schools = schools_of(actor, root, found, span)
    length = len(root.path) + Unit.steplen if root.kind != UnitKind.SCHOOL else len(root.path)
    grouped = (
        schools.annotate(branch=Substr("path", 1, length))
        .order_by()
        .values("branch")
        .annotate(total=Count("pk"), done_n=Count("pk", filter=Q(done=True)))
        .values_list("branch", "total", "done_n")
    )
    counts = {branch: (total, done) for branch, total, done in grouped}
    result = Coverage(found, span, root)
    names = Unit.objects.filter(path__in=sorted(counts)).values_list("path", "pk", "name")
    for path, pk, name in sorted(names):
        total, done = counts[path]
        result.branches.append(Branch(pk, name, total, done))
        result.total += total
        result.done += done
    return result


def activities_by_school(
    schools: Sequence[Unit], event, window: Period
) -> dict[int, list[Activity]]:
    """The activities of the event in the window of the schools shown (one query)."""
    found: dict[int, list[Activity]] = defaultdict(list)
    ids = [s.pk for s in schools]
    if not ids:
        return found
    rows = Activity.objects.filter(
        unit_id__in=ids, event=event.code, held_on__gte=window.start, held_on__lte=window.end
    ).order_by("held_on", "pk")
    for activity in rows:
        found[activity.unit_id].append(activity)
    return found


# ---------------------------------------------------------------- to-dos


def open_without(user: Any, today: dt.date | None = None) -> list[tuple[Any, Any, list[Unit]]]:
    """The events open today and, for each, the person's own schools that recorded no
    activity of it in the window and have no obligation for it (the duties' to-dos count
    those): [(event, window, schools)]. Three queries at most."""
    from xiaoan.core.todos import own_units
    from xiaoan.duties.choices import ProofKind
    from xiaoan.duties.models import Obligation

    today = today or timezone.localdate()
    events = calendar.open_on(today)
    if not events or not has_permission_anywhere(user, ADD):
        return []
    ids = own_units(user, ADD)
    schools = list(Unit.objects.filter(pk__in=ids, kind=UnitKind.SCHOOL, is_active=True))
    if not schools:
        return []
    held = Q(pk__in=[])
    for event, window in events:
        held |= Q(event=event.code, held_on__gte=window.start, held_on__lte=window.end)
    done = set(
        Activity.objects.filter(held, unit_id__in=[s.pk for s in schools]).values_list(
            "unit_id", "event"
        )
    )
    bound = set(
        Obligation.objects.filter(
            unit_id__in=[s.pk for s in schools],
            duty__proof=ProofKind.ACTIVITY,
            duty__proof_code__in=[e.code for e, _w in events],
            period_start__lte=today,
            period_end__gte=today,
        ).values_list("unit_id", "duty__proof_code")
    )
    out = []
    for event, window in events:
        missing = [
            s for s in schools if (s.pk, event.code) not in done and (s.pk, event.code) not in bound
        ]
        if missing:
            out.append((event, window, missing))
    return out
