"""持证上岗 on the dashboard (xiaoan.reports.figures): certificates on file, expired ones
(持证 lapsed: no certificate, no work) and those expiring within 30 days; per branch the
expired count for the ranking."""

from __future__ import annotations

from functools import partial

from django.utils.translation import gettext as _

from xiaoan.certificates.registers import CERTIFICATES
from xiaoan.reports.figures import (
    Column,
    Figure,
    Scope,
    Section,
    allowed,
    branches_of,
    section,
    tallied,
)


@section
def certificate_section(scope: Scope) -> Section | None:
    if not allowed(scope, "certificates.view_certificate"):
        return None
    totals = tallied(scope, CERTIFICATES)
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
    result.branches = branches_of(scope, CERTIFICATES, "expired")
    return result
