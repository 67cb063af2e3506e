"""What an alert rule may watch in the hazardous-chemicals ledger (xiaoan.alerts.conditions):
a controlled chemical (剧毒, 易制毒, 易制爆, 爆炸品: 双人双锁) whose last count (盘点) in a storage
differed from the book balance (盘盈/盘亏).

Why the count and not the balance now: a count posts its difference as an adjustment
(xiaoan.chemicals.services), so the balance equals the count right after it and moves only by
double-signed movements afterwards; a balance differing from the count as such is every issue
since. What needs a person's attention is a count that did not match the books: for these
chemicals a shortfall may have to be reported to the police. Raised once per count (period:
the count's date and number) for the storage and chemical; only counts of the last `days`.
One query (the latest line per balance is a subquery)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoan.alerts.conditions import Finding, condition
from xiaoan.chemicals.choices import MeasureUnit
from xiaoan.chemicals.models import Balance, StocktakeLine


def _number(value) -> str:
    return format(value.normalize(), "f") if value is not None else ""


@condition(
    "controlled_chemical_count_differs",
    gettext_lazy("管制类危化品盘点账实不符"),
    thresholds={"days": (gettext_lazy("只看最近几天内的盘点"), 60)},
)
def count_differs(today: dt.date, thresholds: dict[str, int], within: str) -> Iterator[Finding]:
    since = today - dt.timedelta(days=max(int(thresholds.get("days", 60)), 1))
    latest = (
        StocktakeLine.objects.filter(
            stocktake__storage=OuterRef("storage"), chemical=OuterRef("chemical")
        )
        .order_by("-stocktake__taken_on", "-stocktake__pk")
        .values("pk")[:1]
    )
    last_counts = (
        Balance.objects.filter(unit__path__startswith=within, chemical__controlled=True)
        .annotate(last=Subquery(latest))
        .filter(last__isnull=False)
        .values("last")
    )
    rows = (
        StocktakeLine.objects.filter(pk__in=last_counts, stocktake__taken_on__gte=since)
        .exclude(difference=0)
        .order_by("stocktake__taken_on", "pk")
        .values(
            "stocktake_id",
            "stocktake__unit_id",
            "stocktake__taken_on",
            "stocktake__storage_id",
            "stocktake__storage__name",
            "chemical_id",
            "chemical__name",
            "chemical__spec",
            "chemical__measure",
            "book_quantity",
            "counted_quantity",
            "difference",
            "reason",
        )
    )
    for row in rows:
        chemical = row["chemical__name"] + (
            f"（{row['chemical__spec']}）" if row["chemical__spec"] else ""
        )
        measure = row["chemical__measure"]
        measure = MeasureUnit(measure).label if measure in MeasureUnit.values else measure
        taken = row["stocktake__taken_on"]
        sign = "+" if row["difference"] > 0 else ""
        yield Finding(
            unit_id=row["stocktake__unit_id"],
            key=f"stock:{row['stocktake__storage_id']}:{row['chemical_id']}",
            period=f"{taken:%Y-%m-%d}#{row['stocktake_id']}",
            title=_("管制类危化品盘点账实不符：%(c)s") % {"c": chemical},
            detail=_(
                "%(s)s %(date)s 盘点：账面 %(book)s，实盘 %(count)s，差异 %(diff)s %(m)s；"
                "原因：%(why)s"
            )
            % {
                "s": row["stocktake__storage__name"],
                "date": f"{taken:%Y-%m-%d}",
                "book": _number(row["book_quantity"]),
                "count": _number(row["counted_quantity"]),
                "diff": sign + _number(row["difference"]),
                "m": measure,
                "why": row["reason"] or "—",
            },
            url=reverse("chemicals:stocktake_detail", args=[row["stocktake_id"]]),
            place=row["stocktake__storage__name"],
        )
