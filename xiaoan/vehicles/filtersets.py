import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoan.core.register_views import RegisterFilterSet
from xiaoan.vehicles.choices import AccessStatus, VehicleClass
from xiaoan.vehicles.models import CampusVehicle, normalize_plate


class CampusVehicleFilterSet(RegisterFilterSet):
    vehicle_class = django_filters.ChoiceFilter(label=_("车辆类别"), choices=VehicleClass.choices)
    status = django_filters.ChoiceFilter(label=_("通行状态"), choices=AccessStatus.choices)
    blacklisted = django_filters.BooleanFilter(label=_("黑名单"))
    expired = django_filters.BooleanFilter(label=_("通行已过期"), method="filter_expired")
    plate = django_filters.CharFilter(label=_("车牌号"), method="filter_plate")

    class Meta:
        model = CampusVehicle
        fields = [
            "q",
            "unit",
            "vehicle_class",
            "status",
            "blacklisted",
            "expired",
            "plate",
            "due",
            "retired",
        ]

    def filter_expired(self, queryset, name, value):
        if value is None:
            return queryset
        condition = Q(valid_until__lt=timezone.localdate())
        return queryset.filter(condition) if value else queryset.exclude(condition)

    def filter_plate(self, queryset, name, value):
        plate = normalize_plate(value)[:20]
        return queryset.filter(name__contains=plate) if plate else queryset
