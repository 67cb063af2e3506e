"""The built-in indicators "fire-team" (校园消防应急队伍 5–7 人配齐) and "rescue-squad" (应急救援
小分队 3–5 人组建) computed from the teams register: a school scores 100 when it (or one of
its departments or campuses) has a team of that kind in use that is staffed to the rule
(xiaoan.emergency.choices.TEAM_SIZE, a leader named), else 0 — the indicators roll up as
the share of schools that meet the target of 100.

The register holds the teams as they are now, so only the current year is answered; an
earlier year has no value from here (the teams of then are not reconstructed)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from xiaoan.emergency.choices import TeamKind
from xiaoan.emergency.models import EmergencyTeam
from xiaoan.indicators.providers import provider

STEP = 4  # xiaoan.orgs: a unit's path is its parent's and four characters


def staffed_schools(schools: Sequence[Any], kind: str, year: int) -> dict[int, int]:
    if year != timezone.localdate().year or not schools:
        return {}
    # One query under the schools' common ancestor; each team's unit is matched to the
    # school whose path is a prefix of its own (tree paths are STEP characters a level).
    low, high = min(s.path for s in schools), max(s.path for s in schools)
    size = next((i for i, (a, b) in enumerate(zip(low, high, strict=False)) if a != b), len(low))
    root = low[:size]
    root = root[: len(root) - len(root) % STEP]
    by_path = {s.path: s.pk for s in schools}
    met: set[int] = set()
    paths = (
        EmergencyTeam.objects.filter(
            unit__path__startswith=root, kind=kind, is_staffed=True, retired_at__isnull=True
        )
        .values_list("unit__path", flat=True)
        .distinct()
    )
    for path in paths:
        for end in range(STEP, len(path) + 1, STEP):
            if path[:end] in by_path:
                met.add(by_path[path[:end]])
    return {s.pk: 100 if s.pk in met else 0 for s in schools}


@provider("fire-team")
def fire_team(schools: Sequence[Any], year: int) -> dict[int, int]:
    return staffed_schools(schools, TeamKind.FIRE_TEAM, year)


@provider("rescue-squad")
def rescue_squad(schools: Sequence[Any], year: int) -> dict[int, int]:
    return staffed_schools(schools, TeamKind.RESCUE_SQUAD, year)
