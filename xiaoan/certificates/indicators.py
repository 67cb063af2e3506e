"""专职保安配备 (built-in indicator "security-guards", one of the 四个100%): a school scores 100
when its verified 安防建设 declaration for the year has at least the full-time guards the rule
asks (xiaoan.security.rules) AND a guard holds a 保安员证 valid on the reference day (today in
the current year, else the year's last day); 0 when either is known to fall short (a verified
declaration short of guards, or guards on file without a valid certificate); no value
(missing, never a false 0) when the school has neither a verified declaration nor a guard in
the register."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db.models import Q
from django.utils import timezone

from xiaoan.certificates.choices import CertificateKind, Post
from xiaoan.certificates.models import Certificate
from xiaoan.indicators.providers import SchoolIndex, provider


def reference_day(year: int) -> dt.date:
    today = timezone.localdate()
    return today if year >= today.year else dt.date(year, 12, 31)


def certified(schools: Sequence[Any], year: int) -> dict[int, bool]:
    """Schools with a guard certificate on file: True when one is valid on the reference day."""
    day = reference_day(year)
    index = SchoolIndex(schools)
    rows = (
        Certificate.objects.filter(
            index.condition(), post=Post.GUARD, kind=CertificateKind.SECURITY_GUARD
        )
        .filter(Q(retired_at__isnull=True) | Q(retired_at__date__gt=day))
        .values_list("unit__path", "valid_from", "valid_until")
    )
    out: dict[int, bool] = {}
    for path, since, until in rows:
        school = index.school_of(path)
        if school is None:
            continue
        valid = (since is None or since <= day) and (until is None or day <= until)
        out[school] = out.get(school, False) or valid
    return out


@provider("security-guards", reads=("certificates.certificate", "security.securityposture"))
def guards(schools: Sequence[Any], year: int) -> dict[int, int | None]:
    from xiaoan.security.indicators import verified_postures

    postures = verified_postures(schools, year)
    certificates = certified(schools, year)
    out: dict[int, int | None] = {}
    for school in schools:
        posture, valid = postures.get(school.pk), certificates.get(school.pk)
        if posture is None and valid is None:
            out[school.pk] = None
        else:
            met = posture is not None and posture.guards_met
            out[school.pk] = 100 if met and valid else 0
    return out
