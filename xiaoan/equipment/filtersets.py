import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoan.core.register_views import RegisterFilterSet
from xiaoan.equipment.choices import Conclusion, EquipmentKind
from xiaoan.equipment.models import Equipment
from xiaoan.equipment.operators import has_valid_operator


class EquipmentFilterSet(RegisterFilterSet):
    kind = django_filters.ChoiceFilter(label=_("设备类别"), choices=EquipmentKind.choices)
    conclusion = django_filters.ChoiceFilter(label=_("检验结论"), choices=Conclusion.choices)
    inspection_overdue = django_filters.BooleanFilter(
        label=_("定期检验已逾期"), method="filter_inspection_overdue"
    )
    operators_invalid = django_filters.BooleanFilter(
        label=_("无有效持证操作人员"), method="filter_operators_invalid"
    )

    class Meta:
        model = Equipment
        fields = [
            "q",
            "unit",
            "kind",
            "conclusion",
            "inspection_overdue",
            "operators_invalid",
            "due",
            "retired",
        ]

    def filter_inspection_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        condition = {"next_inspection_on__lt": timezone.localdate()}
        return queryset.filter(**condition) if value else queryset.exclude(**condition)

    def filter_operators_invalid(self, queryset, name, value):
        """No operator, or none whose certificate is valid today (expired, retired)."""
        if value is None:
            return queryset
        condition = has_valid_operator()
        return queryset.filter(~condition) if value else queryset.filter(condition)
