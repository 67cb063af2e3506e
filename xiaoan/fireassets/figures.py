"""Fire assets on the dashboard (xiaoan.reports.figures): assets in use, expired, not
checked this month, failed checks this month; per branch the expired count for ranking."""

from __future__ import annotations

from functools import partial

from django.utils.translation import gettext as _

from xiaoan.fireassets.choices import CheckResult
from xiaoan.fireassets.models import FireAssetCheck, month_start
from xiaoan.fireassets.registers import FIRE_ASSETS
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
def fire_asset_section(scope: Scope) -> Section | None:
    if not allowed(scope, "fireassets.view_fireasset"):
        return None
    month = month_start()
    totals = tallied(scope, FIRE_ASSETS)
    failed = FireAssetCheck.objects.filter(
        scope.records(), checked_on__gte=month, result=CheckResult.FAILED
    ).count()
    link = partial(scope.list_url, "fireassets:fireasset_list")

    # On the dashboard and its workbook; the one-page brief keeps to the headline sections.
    result = Section(key="fireassets", title=_("消防器材"), order=45, brief=False)
    result.figures = [
        Figure("total", _("在册器材"), totals["total"], link(), suffix=_("件")),
        Figure(
            "expired",
            _("已过期"),
            totals["expired"],
            link(expired="true"),
            bad=totals["expired"] > 0,
            suffix=_("件"),
        ),
        Figure(
            "unchecked",
            _("本月未检查"),
            totals["unchecked"],
            link(unchecked="true"),
            bad=totals["unchecked"] > 0,
            suffix=_("件"),
        ),
        Figure(
            "failed",
            _("本月月检异常"),
            failed,
            link(last_check_result="failed"),
            bad=failed > 0,
            suffix=_("次"),
        ),
    ]
    # Shown in the ranking, not weighted into its score.
    result.columns = [Column("expired", _("过期器材"))]
    result.branches = branches_of(scope, FIRE_ASSETS, "expired")
    return result
