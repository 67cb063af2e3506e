"""The chemicals ledger on the dashboard (xiaoan.reports.figures): controlled chemicals in
stock, movements waiting for their second signature, this year's stocktake differences, and
per branch the waiting signatures and the differences the ranking compares."""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from xiaoan.chemicals.choices import MovementStatus
from xiaoan.chemicals.models import Balance, StockMovement, StocktakeLine, Storage
from xiaoan.reports.figures import Column, Figure, Scope, Section, allowed, by_branch, section


@section
def chemical_section(scope: Scope) -> Section | None:
    if not allowed(scope, "chemicals.view_chemical"):
        return None
    stocked = Balance.objects.filter(scope.records(), quantity__gt=0)
    controlled = stocked.filter(chemical__controlled=True).values("chemical").distinct().count()
    if (
        not controlled
        and not stocked.exists()
        and not Storage.objects.filter(scope.records()).exists()
    ):
        return None  # a unit that keeps no chemicals: no empty section
    pending = StockMovement.objects.filter(scope.records(), status=MovementStatus.PENDING)
    differences = StocktakeLine.objects.filter(
        scope.records("stocktake__unit"), stocktake__taken_on__year=scope.today.year
    ).exclude(difference=0)
    waiting, differing = pending.count(), differences.count()
    movements = reverse("chemicals:stockmovement_list")
    result = Section(key="chemicals", title=_("危险化学品"), order=60, brief=False)
    result.figures = [
        Figure(
            "controlled",
            _("在库管制类危化品"),
            controlled,
            f"{reverse('chemicals:chemical_list')}?controlled=true",
            suffix=_("种"),
        ),
        Figure(
            "pending",
            _("待双人复核的出入库"),
            waiting,
            f"{movements}?status={MovementStatus.PENDING.value}",
            bad=waiting > 0,
            suffix=_("笔"),
        ),
        Figure(
            "differences",
            _("本年盘点差异"),
            differing,
            reverse("chemicals:stocktake_list"),
            bad=differing > 0,
            suffix=_("项"),
        ),
    ]
    result.columns = [
        Column("pending", _("危化品待复核"), weight=1),
        Column("differences", _("危化品盘点差异"), weight=1),
    ]
    if scope.subtree:
        waiting_by = by_branch(scope, pending, "unit", n=Count("pk"))
        differing_by = by_branch(scope, differences, "stocktake__unit", n=Count("pk"))
        for path in {*waiting_by, *differing_by}:
            result.branches[path] = {
                "pending": waiting_by.get(path, {}).get("n", 0),
                "differences": differing_by.get(path, {}).get("n", 0),
            }
    return result
