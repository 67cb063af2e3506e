"""The periods the apps' alert conditions (`<app>/alert_conditions.py`, registry in
`xiaoan.alerts.conditions`) give their findings: an alert rule fires once per thing and period,
so the period decides how often a thing that stays found is raised again.

- Something falling due: once per thing and date (`due_period`): a moved date (an extension,
  a renewed certificate) is a new period and warns afresh.
- Something past its date: once when it becomes overdue and again every `repeat_days` it stays
  so (`overdue_period`, default a week); the date is part of the period for the same reason.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

REPEAT_DAYS = 7  # an overdue thing is raised again each week it stays overdue
# The threshold an overdue condition offers: {"repeat_days": REPEAT}.
REPEAT = (_("逾期后每隔几天再次预警（0：只预警一次）"), REPEAT_DAYS)


def due_period(due: dt.date) -> str:
    return f"{due:%Y-%m-%d}"


def overdue_period(due: dt.date, today: dt.date, repeat_days: int = REPEAT_DAYS) -> str:
    """ "2026-12-01+1" for the first `repeat_days` days after the date (day 1 is the day after
    it), "2026-12-01+2" for the next …; `repeat_days` 0: once ("2026-12-01+1") for good."""
    late = max((today - due).days, 1)
    n = (late - 1) // repeat_days + 1 if repeat_days > 0 else 1
    return f"{due:%Y-%m-%d}+{n}"


def days_late(due: dt.date, today: dt.date) -> int:
    return max((today - due).days, 0)
