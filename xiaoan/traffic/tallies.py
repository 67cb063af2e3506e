"""The 家校交通安全责任书 sums for the dashboard's rollup (xiaoan.reports.rollups): per unit,
"s:<semester>:pupils" and "s:<semester>:returned" over the agreements in use, for every
semester from the current one on (semester names of `semester_of` sort in time), so a sum made
last semester is never read as this one's. Every save of an agreement touches it (`reads`)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from django.db.models import Sum

from xiaoan.reports.rollups import tally

KIND = "traffic_shares"


def keys(semester: str) -> tuple[str, str]:
    return f"s:{semester}:pupils", f"s:{semester}:returned"


@tally(KIND, ranked=("s:",), reads=("traffic.trafficagreement",))
def count(unit_ids: list[int] | None, today: dt.date, apps) -> dict[int, Counter]:
    from xiaoan.traffic.models import semester_of

    agreement = apps.get_model("traffic", "TrafficAgreement")
    rows = agreement.objects.order_by().filter(
        retired_at__isnull=True, semester__gte=semester_of(today)
    )
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=unit_ids)
    own: dict[int, Counter] = defaultdict(Counter)
    grouped = rows.values_list("unit_id", "semester").annotate(
        pupils=Sum("pupils"), returned=Sum("returned")
    )
    for unit_id, semester, pupils, returned in grouped:
        pupils_key, returned_key = keys(semester)
        own[unit_id][pupils_key] += pupils or 0
        own[unit_id][returned_key] += returned or 0
    return own
