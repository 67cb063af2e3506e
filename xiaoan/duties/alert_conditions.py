"""What an alert rule may watch in the duties (xiaoan.alerts.conditions): an obligation (应办
事项: the period's self-check, drill, record…) whose deadline passed without it being met.

Missed is final (xiaoan.duties.services), so each obligation is raised once: its period is the
obligation's own period. An obligation still pending past its deadline counts too (the duties'
daily pass has not judged it yet); one awaiting the issuer's review does not (the unit did its
part). Only deadlines within the last `days` are raised, so a new rule does not raise every
obligation missed in past years. One query."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoan.alerts.conditions import Finding, condition
from xiaoan.duties.choices import ObligationStatus
from xiaoan.duties.models import Obligation


@condition(
    "obligation_missed",
    gettext_lazy("常态化任务未按期完成"),
    thresholds={"days": (gettext_lazy("只看最近几天内到期的"), 30)},
)
def obligation_missed(today: dt.date, thresholds: dict[str, int], within: str) -> Iterator[Finding]:
    since = today - dt.timedelta(days=max(int(thresholds.get("days", 30)), 1))
    late = Q(resubmit_by__isnull=True) | Q(resubmit_by__lt=today)
    rows = (
        Obligation.objects.filter(
            Q(status=ObligationStatus.MISSED)
            | (Q(status=ObligationStatus.PENDING, due_on__lt=today) & late),
            unit__path__startswith=within,
            due_on__gte=since,
        )
        .order_by("due_on", "pk")
        .values(
            "pk", "unit_id", "period_key", "period_label", "due_on", "resubmit_by", "duty__name"
        )
    )
    for row in rows:
        deadline = max(d for d in (row["due_on"], row["resubmit_by"]) if d)
        yield Finding(
            unit_id=row["unit_id"],
            key=f"obligation:{row['pk']}",
            period=row["period_key"],
            title=_("常态化任务未按期完成：%(d)s") % {"d": row["duty__name"]},
            detail=_("%(p)s，完成时限 %(date)s") % {"p": row["period_label"], "date": deadline},
            url=reverse("duties:obligation_detail", args=[row["pk"]]),
        )
