"""Recurring duties of this period waiting for a person's unit, and records awaiting their
unit's review as the duty's issuer (xiaoan.core.todos)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoan.core.todos import Todo, own_side, provider
from xiaoan.duties.choices import DutyStatus, ObligationStatus
from xiaoan.duties.models import Obligation


@provider
def duty_todos(user: Any) -> list[Todo]:
    today = timezone.localdate()
    due = Obligation.objects.restrict(user, "report").filter(
        own_side(user, "duties.report_obligation"),
        status=ObligationStatus.PENDING,
        period_start__lte=today,
        duty__status=DutyStatus.ACTIVE,
    )
    review = Obligation.objects.filter(
        own_side(user, "duties.change_duty", field="duty__issuer"),
        status=ObligationStatus.REVIEW,
    )
    return [
        Todo(
            "duties.review",
            _("待审核的常态化工作记录"),
            review.count(),
            f"{reverse('duties:obligation_list')}?status={ObligationStatus.REVIEW.value}",
            order=19,
        ),
        Todo(
            "duties.record",
            _("本期待完成的常态化工作"),
            due.count(),
            f"{reverse('duties:obligation_list')}?status={ObligationStatus.PENDING.value}",
            late=due.filter(due_on__lt=today).count(),
            order=35,
        ),
    ]
