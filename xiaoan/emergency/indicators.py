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
from xiaoan.indicators.providers import SchoolIndex, provider


def staffed_schools(schools: Sequence[Any], kind: str, year: int) -> dict[int, int]:
    if year != timezone.localdate().year or not schools:
        return {}
    index = SchoolIndex(schools)
    paths = (
        EmergencyTeam.objects.filter(
            index.condition(), kind=kind, is_staffed=True, retired_at__isnull=True
        )
        .values_list("unit__path", flat=True)
        .distinct()
    )
    met = {index.school_of(path) for path in paths}
    return {s.pk: 100 if s.pk in met else 0 for s in schools}


@provider("fire-team", reads=("emergency.emergencyteam",))
def fire_team(schools: Sequence[Any], year: int) -> dict[int, int]:
    return staffed_schools(schools, TeamKind.FIRE_TEAM, year)


@provider("rescue-squad", reads=("emergency.emergencyteam",))
def rescue_squad(schools: Sequence[Any], year: int) -> dict[int, int]:
    return staffed_schools(schools, TeamKind.RESCUE_SQUAD, year)
