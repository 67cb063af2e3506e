import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoan.core.register_views import RegisterFilterSet
from xiaoan.equipment.choices import Conclusion, EquipmentKind
from xiaoan.equipment.models import Equipment


class EquipmentFilterSet(RegisterFilterSet):
    kind = django_filters.ChoiceFilter(label=_("设备类别"), choices=EquipmentKind.choices)
    conclusion = django_filters.ChoiceFilter(label=_("检验结论"), choices=Conclusion.choices)
    inspection_overdue = django_filters.BooleanFilter(
        label=_("定期检验已逾期"), method="filter_inspection_overdue"
    )

    class Meta:
        model = Equipment
        fields = ["q", "unit", "kind", "conclusion", "inspection_overdue", "due", "retired"]

    def filter_inspection_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        condition = {"next_inspection_on__lt": timezone.localdate()}
        return queryset.filter(**condition) if value else queryset.exclude(**condition)
