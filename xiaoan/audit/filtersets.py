"""The audit trail's filters, shared by the page, its Excel export and the API."""

from __future__ import annotations

import datetime as dt

import django_filters
from django.core.validators import validate_ipv46_address
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoan.audit.models import AuditAction, AuditEntry
from xiaoan.orgs.filtersets import within_unit

ID_RANGE = {"min_value": 1, "max_value": 2**63 - 1}


def _start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class AuditEntryFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="filter_q", max_length=100)
    date_from = django_filters.DateFilter(label=_("日期起"), method="filter_date_from")
    date_to = django_filters.DateFilter(label=_("日期止"), method="filter_date_to")
    actor = django_filters.NumberFilter(label=_("操作人"), field_name="actor_id", **ID_RANGE)
    actor_name = django_filters.CharFilter(
        label=_("操作人姓名"), field_name="actor_name", lookup_expr="icontains", max_length=100
    )
    action = django_filters.MultipleChoiceFilter(label=_("操作"), choices=AuditAction.choices)
    unit = django_filters.NumberFilter(label=_("单位（含下级）"), method="filter_unit", **ID_RANGE)
    ip = django_filters.CharFilter(
        label=_("来源地址"), field_name="ip", validators=[validate_ipv46_address]
    )
    object_type = django_filters.CharFilter(label=_("对象类型"), max_length=100)
    object_id = django_filters.CharFilter(label=_("对象编号"), max_length=64)

    class Meta:
        model = AuditEntry
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            Q(actor_name__icontains=value)
            | Q(object_repr__icontains=value)
            | Q(object_type__icontains=value)
            | Q(object_id=value)
        )

    def filter_date_from(self, queryset, name, value):
        return queryset.filter(at__gte=_start(value))

    def filter_date_to(self, queryset, name, value):
        return queryset.filter(at__lt=_start(value + dt.timedelta(days=1)))

    def filter_unit(self, queryset, name, value):
        return within_unit(queryset, int(value))
