"""专职保安配备 (built-in indicator "security-guards", one of the 四个100%) from the register:
a school with a guard holding a 保安员证 valid on the reference day (today in the current
year, else the year's last day) scores 100, one with guards on file but none valid 0; a
school that keeps no guard in the register has no value (missing), never a false 0."""

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


@provider("security-guards", reads=("certificates.certificate",))
def guards(schools: Sequence[Any], year: int) -> dict[int, int | None]:
    day = reference_day(year)
    index = SchoolIndex(schools)
    within = index.condition()
    rows = (
        Certificate.objects.filter(within, post=Post.GUARD, kind=CertificateKind.SECURITY_GUARD)
        .filter(Q(retired_at__isnull=True) | Q(retired_at__date__gt=day))
        .values_list("unit__path", "valid_from", "valid_until")
    )
    out: dict[int, int | None] = {s.pk: None for s in schools}
    for path, since, until in rows:
        school = index.school_of(path)
        if school is None:
            continue
        valid = (since is None or since <= day) and (until is None or day <= until)
        out[school] = 100 if valid or out[school] == 100 else 0
    return out
