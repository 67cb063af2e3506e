"""What an alert rule may watch in 持证上岗 (xiaoan.alerts.conditions): certificates in use
expiring within the threshold, and those expired. Long-term certificates (no end date) never
expire. One query each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoan.alerts.conditions import Finding, condition
from xiaoan.certificates.choices import CertificateKind
from xiaoan.certificates.models import Certificate
from xiaoan.core.alert_periods import REPEAT, REPEAT_DAYS, days_late, due_period, overdue_period

FIELDS = ("pk", "unit_id", "name", "code", "kind", "valid_until", "place__name")


def _in_use(within: str):
    return (
        Certificate.objects.filter(
            unit__path__startswith=within, retired_at__isnull=True, valid_until__isnull=False
        )
        .order_by("valid_until", "pk")
        .values(*FIELDS)
    )


def _name(row: dict) -> str:
    kind = CertificateKind(row["kind"]).label if row["kind"] in CertificateKind.values else ""
    return f"{row['name']}（{kind} {row['code']}）"


@condition(
    "certificate_expiring",
    gettext_lazy("证书即将到期"),
    thresholds={"days": (gettext_lazy("提前天数"), 30)},
)
def expiring(today: dt.date, thresholds: dict[str, int], within: str) -> Iterator[Finding]:
    """Valid until today or within `days`: once per certificate and end date."""
    last = today + dt.timedelta(days=max(int(thresholds.get("days", 30)), 0))
    for row in _in_use(within).filter(valid_until__gte=today, valid_until__lte=last):
        until = row["valid_until"]
        yield Finding(
            unit_id=row["unit_id"],
            key=f"certificate:{row['pk']}",
            period=due_period(until),
            title=_("证书即将到期：%(n)s") % {"n": _name(row)},
            detail=_("有效期至 %(date)s，还有 %(left)d 天，请及时复审或换证。")
            % {"date": f"{until:%Y-%m-%d}", "left": (until - today).days},
            url=reverse("certificates:certificate_detail", args=[row["pk"]]),
            place=row["place__name"] or "",
        )


@condition(
    "certificate_expired",
    gettext_lazy("证书已过期"),
    thresholds={"repeat_days": REPEAT},
)
def expired(today: dt.date, thresholds: dict[str, int], within: str) -> Iterator[Finding]:
    """Past its end date and still in use: when it expires, then every `repeat_days` (a
    holder who left is retired from the register, which ends the alerts)."""
    repeat = int(thresholds.get("repeat_days", REPEAT_DAYS))
    for row in _in_use(within).filter(valid_until__lt=today):
        until = row["valid_until"]
        yield Finding(
            unit_id=row["unit_id"],
            key=f"certificate:{row['pk']}",
            period=overdue_period(until, today, repeat),
            title=_("证书已过期：%(n)s") % {"n": _name(row)},
            detail=_("有效期至 %(date)s，已过期 %(late)d 天；持过期证书不得上岗。")
            % {"date": f"{until:%Y-%m-%d}", "late": days_late(until, today)},
            url=reverse("certificates:certificate_detail", args=[row["pk"]]),
            place=row["place__name"] or "",
        )
