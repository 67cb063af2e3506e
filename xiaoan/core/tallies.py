"""The registers' tallies for the dashboard's rollup (xiaoan.reports.rollups): a register that
declares `counters` gets one, counting its items in use per unit ("total" and each named
condition). An item's every save or delete touches it (RegisterItem.save calls
`rollups.changed` with the item's model, which this tally reads), and so do the writes of
the models the register says its counters read (`Register.reads`)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.db.models import Count

from xiaoan.core import registers
from xiaoan.reports.rollups import tally


def _count(register: registers.Register):
    def count(unit_ids: list[int] | None, today: dt.date, apps: Any) -> dict[int, Counter]:
        # The current model: the conditions are the code's (a migration's rebuild runs at
        # the release that added it).
        rows = register.model.objects.filter(retired_at__isnull=True).order_by()
        if unit_ids is not None:
            rows = rows.filter(unit_id__in=unit_ids)
        conditions = register.counters(today) if register.counters else {}
        grouped = rows.values("unit_id").annotate(
            total=Count("pk"), **{name: Count("pk", filter=q) for name, q in conditions.items()}
        )
        return {row.pop("unit_id"): Counter(row) for row in grouped}

    return count


registers.discover()
for _register in registers.registry:
    if _register.counters is not None:
        tally(
            _register.tally_kind,
            ranked=_register.ranked,
            reads=(_register.model._meta.label_lower, *_register.reads),
        )(_count(_register))
