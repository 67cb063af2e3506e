import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoan.cameras.choices import CameraStatus, KeyArea
from xiaoan.cameras.models import AlarmPoint, Camera
from xiaoan.core.register_views import RegisterFilterSet


class CameraFilterSet(RegisterFilterSet):
    key_area = django_filters.ChoiceFilter(label=_("重点部位"), choices=KeyArea.choices)
    status = django_filters.ChoiceFilter(label=_("运行状态"), choices=CameraStatus.choices)
    platform_connected = django_filters.BooleanFilter(label=_("接入上级平台"))
    police_connected = django_filters.BooleanFilter(label=_("接入公安"))

    class Meta:
        model = Camera
        fields = [
            "q",
            "unit",
            "key_area",
            "status",
            "platform_connected",
            "police_connected",
            "due",
            "retired",
        ]


class AlarmPointFilterSet(RegisterFilterSet):
    police_linked = django_filters.BooleanFilter(label=_("联网公安"))
    untested = django_filters.BooleanFilter(label=_("未按期测试"), method="filter_untested")

    class Meta:
        model = AlarmPoint
        fields = ["q", "unit", "police_linked", "untested", "due", "retired"]

    def filter_untested(self, queryset, name, value):
        if value is None:
            return queryset
        late = Q(next_test_on__isnull=True) | Q(next_test_on__lt=timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)
