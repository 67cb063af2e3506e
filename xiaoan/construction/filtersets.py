import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoan.construction import services
from xiaoan.construction.choices import ProjectStatus
from xiaoan.construction.models import ConstructionProject
from xiaoan.core.register_views import RegisterFilterSet


class ConstructionProjectFilterSet(RegisterFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=ProjectStatus.choices, method="filter_status"
    )
    uninspected = django_filters.BooleanFilter(
        label=_("施工中、30天内未检查"), method="filter_condition"
    )
    unsafe = django_filters.BooleanFilter(
        label=_("施工中、未围挡隔离或未签协议"), method="filter_condition"
    )

    class Meta:
        model = ConstructionProject
        fields = ["q", "unit", "status", "uninspected", "unsafe", "due", "retired"]

    def filter_status(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(services.status_condition(value, timezone.localdate()))

    def filter_condition(self, queryset, name, value):
        if value is None:
            return queryset
        condition = getattr(services, name)(timezone.localdate())
        return queryset.filter(condition) if value else queryset.exclude(condition)
