import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoan.core.ids import IdFilter
from xiaoan.core.register_views import RegisterFilterSet
from xiaoan.waters.choices import WaterKind
from xiaoan.waters.models import Water, unpatrolled


class WaterFilterSet(RegisterFilterSet):
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=WaterKind.choices)
    has_signs = django_filters.BooleanFilter(label=_("设有警示标志"))
    school = IdFilter(label=_("关联学校"), method="filter_school")
    unpatrolled = django_filters.BooleanFilter(
        label=_("防溺水季14天未巡查"), method="filter_unpatrolled"
    )

    class Meta:
        model = Water
        fields = ["q", "unit", "kind", "has_signs", "school", "unpatrolled", "due", "retired"]

    def filter_school(self, queryset, name, value):
        return queryset.filter(schools__pk=value).distinct()

    def filter_unpatrolled(self, queryset, name, value):
        if value is None:
            return queryset
        condition = unpatrolled(timezone.localdate())
        return queryset.filter(condition) if value else queryset.exclude(condition)
