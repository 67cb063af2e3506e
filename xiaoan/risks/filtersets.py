import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoan.core.choices import SafetyDomain
from xiaoan.core.ids import IdFilter
from xiaoan.risks.choices import RiskGrade, RiskStatus
from xiaoan.risks.models import ControlMeasure, RiskPoint


class RiskPointFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("名称或危险事件"))
    unit = IdFilter(method="filter_unit", label=_("单位（含下级）"))
    grade = django_filters.ChoiceFilter(
        choices=[*RiskGrade.choices, ("none", _("未评估"))],
        method="filter_grade",
        label=_("风险等级"),
    )
    domain = django_filters.ChoiceFilter(choices=SafetyDomain.choices, label=_("领域"))
    status = django_filters.ChoiceFilter(choices=RiskStatus.choices, label=_("状态"))
    reassessment_due = django_filters.BooleanFilter(label=_("需重新评估"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("管控检查超期"))
    plan = IdFilter(field_name="plan_id", label=_("四色图底图"))

    class Meta:
        model = RiskPoint
        fields = ["q", "unit", "grade", "domain", "status", "reassessment_due", "overdue", "plan"]

    def filter_q(self, queryset, name, value):
        from django.db.models import Q

        value = value.strip()[:100]
        return queryset.filter(Q(name__icontains=value) | Q(hazardous_event__icontains=value))

    def filter_grade(self, queryset, name, value):
        return queryset.filter(grade="" if value == "none" else value)

    def filter_overdue(self, queryset, name, value):
        late = ControlMeasure.objects.filter(active=True, next_due__lt=timezone.localdate()).values(
            "risk_point_id"
        )
        if value:
            return queryset.filter(pk__in=late, status=RiskStatus.ACTIVE)
        return queryset.exclude(pk__in=late, status=RiskStatus.ACTIVE)

    def filter_unit(self, queryset, name, value):
        from xiaoan.orgs.models import Unit

        unit = Unit.objects.filter(pk=value).only("path").first()
        if unit is None:
            return queryset.none()
        return queryset.filter(unit__path__startswith=unit.path)
