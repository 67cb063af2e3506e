"""四个100% from the verified declarations (built-in indicators "security-closed",
"security-alarm-video", "security-escort-post"; "security-guards" is in
xiaoan.certificates.indicators, as it needs the guards' certificates too). A school with a
verified declaration for the year scores 100 when the measure is in place, else 0; one with
none verified (not declared, awaiting verification, returned) has no value — a declaration
counts only once the bureau has verified it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from xiaoan.indicators.providers import SchoolIndex, provider
from xiaoan.security.choices import PostureStatus
from xiaoan.security.models import SecurityPosture

READS = ("security.securityposture",)


def verified_postures(schools: Sequence[Any], year: int) -> dict[int, SecurityPosture]:
    """Each school's verified declaration in use for `year` (one query)."""
    index = SchoolIndex(schools)
    rows = SecurityPosture.objects.filter(
        index.condition(), year=year, status=PostureStatus.VERIFIED, retired_at__isnull=True
    ).select_related("unit")
    out: dict[int, SecurityPosture] = {}
    for posture in rows:
        school = index.school_of(posture.unit.path)
        if school is not None:
            out[school] = posture
    return out


def _scored(test: Callable[[SecurityPosture], bool]):
    def compute(schools: Sequence[Any], year: int) -> dict[int, int | None]:
        found = verified_postures(schools, year)
        return {
            s.pk: (None if s.pk not in found else 100 if test(found[s.pk]) else 0) for s in schools
        }

    return compute


closed = provider("security-closed", reads=READS)(_scored(lambda p: p.closed_management))
alarm_video = provider("security-alarm-video", reads=READS)(_scored(lambda p: p.alarm_video))
escort_post = provider("security-escort-post", reads=READS)(_scored(lambda p: p.escort_all))
