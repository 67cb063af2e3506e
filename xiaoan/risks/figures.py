"""风险分级管控 on the dashboard (xiaoan.reports.figures): the scope's risk points in use by
grade (红橙黄蓝), those not yet assessed, those waiting for a re-assessment, and the points
with a control check past its date; each figure leads to the filtered register."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _

from xiaoan.reports.figures import Figure, Scope, Section, allowed, section
from xiaoan.risks.choices import RiskGrade, RiskStatus
from xiaoan.risks.models import ControlMeasure, RiskPoint

VIEW = "risks.view_riskpoint"
KEY = "risks"


@section
def risk_section(scope: Scope) -> Section | None:
    if not allowed(scope, VIEW):
        return None
    late = ControlMeasure.objects.filter(
        risk_point=OuterRef("pk"), active=True, next_due__lt=scope.today
    )
    counts = (
        RiskPoint.objects.filter(scope.records(), status=RiskStatus.ACTIVE)
        .annotate(late=Exists(late))
        .aggregate(
            **{g: Count("pk", filter=Q(grade=g)) for g in RiskGrade.values},
            none=Count("pk", filter=Q(grade="")),
            reassess=Count("pk", filter=Q(reassessment_due=True)),
            overdue=Count("pk", filter=Q(late=True)),
        )
    )
    link = scope.list_url
    url = "risks:riskpoint_list"
    active = RiskStatus.ACTIVE
    result = Section(key=KEY, title=_("风险分级管控"), order=84, brief=False)
    result.figures = [
        Figure(
            g,
            str(label),
            counts[g],
            link(url, grade=g, status=active),
            bad=g == RiskGrade.MAJOR and counts[g] > 0,
            suffix=_("处"),
        )
        for g, label in RiskGrade.choices
    ]
    result.figures += [
        Figure(
            "unassessed",
            _("未评估"),
            counts["none"],
            link(url, grade="none", status=active),
            bad=counts["none"] > 0,
            suffix=_("处"),
        ),
        Figure(
            "reassess",
            _("需重新评估"),
            counts["reassess"],
            link(url, reassessment_due="true", status=active),
            bad=counts["reassess"] > 0,
            suffix=_("处"),
        ),
        Figure(
            "overdue",
            _("管控检查超期"),
            counts["overdue"],
            link(url, overdue="true", status=active),
            bad=counts["overdue"] > 0,
            suffix=_("处"),
        ),
    ]
    return result
