import django_filters
from django.utils.translation import gettext_lazy as _

from xiaoan.core.register_views import RegisterFilterSet
from xiaoan.security.choices import PostureStatus
from xiaoan.security.models import SecurityPosture, meets_all_q


class SecurityPostureFilterSet(RegisterFilterSet):
    year = django_filters.NumberFilter(label=_("年度"))
    status = django_filters.ChoiceFilter(label=_("状态"), choices=PostureStatus.choices)
    meets_all = django_filters.BooleanFilter(label=_("四个100%全部落实"), method="filter_meets")

    class Meta:
        model = SecurityPosture
        fields = ["q", "unit", "year", "status", "meets_all", "retired"]

    def filter_meets(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(meets_all_q()) if value else queryset.exclude(meets_all_q())
