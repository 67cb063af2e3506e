"""Risk control on the home page: a person's control checks due or overdue (their own
measures), and the risk points waiting for a re-assessment (their owner's, and those of the
units where the person assesses risks as one of its own people)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.core.todos import Todo, own_side, provider
from xiaoan.risks import services
from xiaoan.risks.choices import RiskStatus
from xiaoan.risks.models import RiskPoint

ASSESS = "risks.assess_riskpoint"


def to_reassess(user: Any):
    mine = Q(owner_id=user.pk)
    if has_permission_anywhere(user, ASSESS):
        mine |= own_side(user, ASSESS)
    return RiskPoint.objects.filter(mine, status=RiskStatus.ACTIVE, reassessment_due=True)


@provider
def risk_todos(user: Any) -> list[Todo]:
    out: list[Todo] = []
    today = timezone.localdate()
    due = services.due_measures(user, today)
    count = due.count()
    if count:
        late = due.filter(next_due__lt=today).count()
        out.append(
            Todo(
                "risks.checks",
                _("风险管控检查待完成"),
                count,
                reverse("risks:riskpoint_my_checks"),
                late=late,
                order=40,
            )
        )
    count = to_reassess(user).count()
    if count:
        out.append(
            Todo(
                "risks.reassess",
                _("待重新评估的风险点"),
                count,
                f"{reverse('risks:riskpoint_list')}?reassessment_due=true",
            )
        )
    return out
