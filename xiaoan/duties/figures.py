"""Recurring duties on the dashboard (xiaoan.reports.figures): this year's obligations met,
pending, awaiting review and missed, and per branch the missed ones and the rate met."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from xiaoan.duties.choices import ObligationStatus
from xiaoan.duties.models import Obligation
from xiaoan.reports.figures import Column, Figure, Scope, Section, allowed, by_branch, rate, section

COUNTS = dict(
    # Decided ones: a record awaiting review is neither met nor missed yet.
    due=Count("pk", filter=Q(status__in=(ObligationStatus.MET, ObligationStatus.MISSED))),
    met=Count("pk", filter=Q(status=ObligationStatus.MET)),
    missed=Count("pk", filter=Q(status=ObligationStatus.MISSED)),
    pending=Count("pk", filter=Q(status=ObligationStatus.PENDING)),
    review=Count("pk", filter=Q(status=ObligationStatus.REVIEW)),
)


@section
def duty_section(scope: Scope) -> Section | None:
    if not allowed(scope, "duties.view_obligation"):
        return None
    year = scope.today.year
    rows = Obligation.objects.filter(scope.records(), period_start__year=year)
    totals = rows.aggregate(**COUNTS)
    url = reverse("duties:obligation_list")
    result = Section(key="duties", title=_("常态化工作（本年度）"), order=30)
    result.figures = [
        Figure("met", _("已按期完成"), totals["met"], suffix=_("项")),
        Figure(
            "missed",
            _("未按期完成"),
            totals["missed"],
            f"{url}?status=missed",
            bad=totals["missed"] > 0,
            suffix=_("项"),
        ),
        Figure("pending", _("待完成"), totals["pending"], f"{url}?status=pending", suffix=_("项")),
        Figure("review", _("待审核"), totals["review"], f"{url}?status=review", suffix=_("项")),
        Figure("rate", _("按期完成率"), rate(totals["met"], totals["due"]), suffix="%"),
    ]
    result.columns = [
        Column("missed", _("常态化工作未按期"), weight=2),
        Column("rate", _("常态化工作按期率"), percent=True),
    ]
    if scope.subtree:
        grouped = by_branch(scope, rows, "unit", **COUNTS)
        result.branches = {
            path: {"missed": row["missed"], "rate": rate(row["met"], row["due"])}
            for path, row in grouped.items()
        }
    return result
