import django_filters
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from xiaoan.core.register_views import RegisterFilterSet
from xiaoan.traffic.models import TrafficAgreement, normalize_semester


class TrafficAgreementFilterSet(RegisterFilterSet):
    semester = django_filters.CharFilter(label=_("学期"), method="filter_semester")
    grade = django_filters.CharFilter(label=_("年级"), lookup_expr="icontains")
    incomplete = django_filters.BooleanFilter(label=_("未全部回收"), method="filter_incomplete")

    class Meta:
        model = TrafficAgreement
        fields = ["q", "unit", "semester", "grade", "incomplete", "due", "retired"]

    def filter_semester(self, queryset, name, value):
        value = normalize_semester(value)[:30]
        return queryset.filter(semester=value) if value else queryset

    def filter_incomplete(self, queryset, name, value):
        if value is None:
            return queryset
        condition = {"returned__lt": F("pupils")}
        return queryset.filter(**condition) if value else queryset.exclude(**condition)
