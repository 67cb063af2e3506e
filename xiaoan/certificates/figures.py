"""持证上岗 on the dashboard (xiaoan.reports.figures): certificates on file, expired ones
(持证 lapsed: no certificate, no work) and those expiring within 30 days; per branch the
expired count for the ranking."""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from xiaoan.certificates.models import Certificate
from xiaoan.reports.figures import Column, Figure, Scope, Section, allowed, by_branch, section


def counts(today: dt.date) -> dict:
    return dict(
        total=Count("pk"),
        expired=Count("pk", filter=Q(valid_until__lt=today)),
        soon=Count(
            "pk",
            filter=Q(valid_until__gte=today, valid_until__lte=today + dt.timedelta(days=30)),
        ),
    )


@section
def certificate_section(scope: Scope) -> Section | None:
    if not allowed(scope, "certificates.view_certificate"):
        return None
    rows = Certificate.objects.filter(scope.records(), retired_at__isnull=True)
    aggregates = counts(scope.today)
    totals = rows.aggregate(**aggregates)
    link = partial(scope.list_url, "certificates:certificate_list")

    # On the dashboard and its workbook; the one-page brief keeps to the headline sections.
    result = Section(key="certificates", title=_("持证上岗"), order=45, brief=False)
    result.figures = [
        Figure("total", _("在册证书"), totals["total"], link(), suffix=_("本")),
        Figure(
            "expired",
            _("证书已过期"),
            totals["expired"],
            link(expired="true"),
            bad=totals["expired"] > 0,
            suffix=_("本"),
        ),
        Figure("soon", _("30天内到期"), totals["soon"], link(due="soon"), suffix=_("本")),
    ]
    # Shown in the ranking, not weighted into its score.
    result.columns = [Column("expired", _("证书过期"))]
    if scope.subtree:
        grouped = by_branch(scope, rows, "unit", expired=aggregates["expired"])
        result.branches = {path: {"expired": row["expired"]} for path, row in grouped.items()}
    return result
