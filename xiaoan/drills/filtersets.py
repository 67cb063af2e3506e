import django_filters
from django.utils.translation import gettext_lazy as _

from xiaoan.core.ids import IdFilter
from xiaoan.drills.choices import DrillKind, DrillStatus
from xiaoan.drills.models import Drill


class DrillFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label=_("名称"))
    kind = django_filters.ChoiceFilter(choices=DrillKind.choices, label=_("演练类型"))
    status = django_filters.ChoiceFilter(choices=DrillStatus.choices, label=_("状态"))
    unit = IdFilter(method="filter_unit", label=_("单位（含下级）"))
    planned_after = django_filters.DateFilter(
        field_name="planned_on", lookup_expr="gte", label=_("计划日期起")
    )
    planned_before = django_filters.DateFilter(
        field_name="planned_on", lookup_expr="lte", label=_("计划日期止")
    )

    class Meta:
        model = Drill
        fields = ["q", "kind", "status", "unit", "planned_after", "planned_before"]

    def filter_unit(self, queryset, name, value):
        from xiaoan.orgs.models import Unit

        unit = Unit.objects.filter(pk=value).only("path").first()
        if unit is None:
            return queryset.none()
        return queryset.filter(unit__path__startswith=unit.path)
