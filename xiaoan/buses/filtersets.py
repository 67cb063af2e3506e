import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoan.buses.choices import CheckResult
from xiaoan.buses.crew import DRIVERS, ESCORTS, has_valid
from xiaoan.buses.models import Bus
from xiaoan.core.register_views import RegisterFilterSet


class BusFilterSet(RegisterFilterSet):
    permit_expired = django_filters.BooleanFilter(
        label=_("校车使用许可已过期"), method="filter_permit_expired"
    )
    has_monitoring = django_filters.BooleanFilter(label=_("视频监控接入平台"))
    has_face_recognition = django_filters.BooleanFilter(label=_("人脸识别"))
    has_infrared = django_filters.BooleanFilter(label=_("红外生命探测"))
    no_valid_driver = django_filters.BooleanFilter(
        label=_("无有效驾驶人"), method="filter_no_valid_driver"
    )
    no_valid_escort = django_filters.BooleanFilter(
        label=_("无有效随车照管员"), method="filter_no_valid_escort"
    )
    no_valid_crew = django_filters.BooleanFilter(
        label=_("无有效驾驶人或随车照管员"), method="filter_no_valid_crew"
    )
    unchecked = django_filters.BooleanFilter(label=_("今日未检查"), method="filter_unchecked")
    last_check_result = django_filters.ChoiceFilter(
        label=_("最近检查结果"), choices=CheckResult.choices
    )

    class Meta:
        model = Bus
        fields = [
            "q",
            "unit",
            "permit_expired",
            "has_monitoring",
            "has_face_recognition",
            "has_infrared",
            "no_valid_driver",
            "no_valid_escort",
            "no_valid_crew",
            "unchecked",
            "last_check_result",
            "due",
            "retired",
        ]

    def filter_permit_expired(self, queryset, name, value):
        if value is None:
            return queryset
        condition = Q(permit_valid_until__lt=timezone.localdate())
        return queryset.filter(condition) if value else queryset.exclude(condition)

    def filter_no_valid_driver(self, queryset, name, value):
        if value is None:
            return queryset
        condition = has_valid(DRIVERS)
        return queryset.filter(~condition) if value else queryset.filter(condition)

    def filter_no_valid_escort(self, queryset, name, value):
        if value is None:
            return queryset
        condition = has_valid(ESCORTS)
        return queryset.filter(~condition) if value else queryset.filter(condition)

    def filter_no_valid_crew(self, queryset, name, value):
        if value is None:
            return queryset
        condition = has_valid(DRIVERS) & has_valid(ESCORTS)
        return queryset.filter(~condition) if value else queryset.filter(condition)

    def filter_unchecked(self, queryset, name, value):
        if value is None:
            return queryset
        condition = Q(last_checked_on=timezone.localdate())
        return queryset.exclude(condition) if value else queryset.filter(condition)
