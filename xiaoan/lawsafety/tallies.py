"""The per-school rules of 法治与心理健康 for the dashboard's rollup (xiaoan.reports.rollups),
kind "lawsafety", one set of counters per school the rules apply to (xiaoan.lawsafety.rules):

- `schools`: 1 (summed up the tree: the schools measured);
- `no_lvp`: no legal vice-principal serving (in use, term not ended);
- `lvp_done`: their activities this semester;
- `lvp_short`: one serving, but fewer than the rule's activities this semester (all its
  legal vice-principals' together);
- `no_room`: no campus police room in use;
- `c_need` / `c_have`: full-time counsellors required by the enrolment / in use;
- `c_short`: fewer full-time counsellors than required.

The semester's counts turn with the day: as of the school's last count, recounted nightly
with the other kinds (a new semester starts everyone again at none)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models import Count, Q

from xiaoan.reports.rollups import tally

KIND = "lawsafety"
RANKED = ("no_lvp", "lvp_short", "no_room", "c_short", "c_need", "c_have")


@tally(
    KIND,
    ranked=RANKED,
    reads=(
        "orgs.unit",
        "lawsafety.legalviceprincipal",
        "lawsafety.legalactivity",
        "lawsafety.policeroom",
        "lawsafety.counsellor",
    ),
    at_school=True,
)
def count(unit_ids: list[int] | None, today: dt.date, apps) -> dict[int, Counter]:
    # The current models: the rules are the code's (a migration's rebuild runs at the
    # release that added it).
    from xiaoan.lawsafety import rules
    from xiaoan.lawsafety.models import Counsellor, LegalVicePrincipal, PoliceRoom
    from xiaoan.orgs.choices import UnitKind
    from xiaoan.orgs.models import Unit, ancestor_paths

    schools = (
        Unit.objects.filter(kind=UnitKind.SCHOOL, is_active=True)
        .exclude(school_type__in=rules.EXCLUDED_SCHOOL_TYPES)
        .order_by("path")
    )
    if unit_ids is not None:
        schools = schools.filter(pk__in=unit_ids)
    rows = list(schools.values_list("pk", "path", "enrolment"))
    if not rows:
        return {}
    by_path = {path: pk for pk, path, _e in rows}

    def school_of(path: str) -> int | None:
        # The item's unit is the school or a department/campus inside it.
        return next((by_path[p] for p in ancestor_paths(path) if p in by_path), None)

    in_use = Q(retired_at__isnull=True)
    if unit_ids is not None:  # the few schools touched; a rebuild reads every item once
        within = Q()
        for path in by_path:
            within |= Q(unit__path__startswith=path)
        in_use &= within
    start, end = rules.semester(today)

    serving: set[int] = set()
    done: Counter = Counter()
    principals = LegalVicePrincipal.objects.filter(in_use).filter(
        Q(term_until__isnull=True) | Q(term_until__gte=today)
    )
    for path, n in principals.annotate(
        n=Count("activities", filter=Q(activities__held_on__range=(start, end)))
    ).values_list("unit__path", "n"):
        school = school_of(path)
        if school is not None:
            serving.add(school)
            done[school] += n
    rooms = {
        school_of(p) for p in PoliceRoom.objects.filter(in_use).values_list("unit__path", flat=True)
    }
    have: Counter = Counter(
        school_of(p)
        for p in Counsellor.objects.filter(in_use, employment="full_time").values_list(
            "unit__path", flat=True
        )
    )
    out: dict[int, Counter] = {}
    for pk, _path, enrolment in rows:
        need = rules.required_counsellors(enrolment)
        counters: Counter = Counter(schools=1, c_need=need, c_have=have[pk])
        counters["no_lvp"] = int(pk not in serving)
        counters["lvp_done"] = done[pk]
        counters["lvp_short"] = int(pk in serving and done[pk] < rules.MIN_ACTIVITIES_PER_SEMESTER)
        counters["no_room"] = int(pk not in rooms)
        counters["c_short"] = int(have[pk] < need)
        out[pk] = counters
    return out
