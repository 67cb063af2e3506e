"""Ledger filters, shared by the page, the API and the exports."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoan.core.choices import SafetyDomain
from xiaoan.core.ids import IdFilter
from xiaoan.hazards.choices import OPEN_STATUSES, HazardLevel, HazardSource, HazardStatus
from xiaoan.hazards.models import Hazard
from xiaoan.orgs.filtersets import within_unit


class HazardFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="filter_q")
    unit = IdFilter(label=_("单位（含下级）"), method="filter_unit")
    level = django_filters.ChoiceFilter(label=_("等级"), choices=HazardLevel.choices)
    status = django_filters.MultipleChoiceFilter(label=_("状态"), choices=HazardStatus.choices)
    open = django_filters.BooleanFilter(label=_("未销号"), method="filter_open")
    domain = django_filters.ChoiceFilter(label=_("领域"), choices=SafetyDomain.choices)
    source = django_filters.ChoiceFilter(label=_("来源"), choices=HazardSource.choices)
    overdue = django_filters.BooleanFilter(label=_("已逾期"), field_name="is_overdue")
    supervised = django_filters.BooleanFilter(label=_("挂牌督办"), field_name="is_supervised")
    recurring = django_filters.BooleanFilter(label=_("屡查屡犯"), field_name="is_recurring")
    missed = django_filters.BooleanFilter(label=_("自查未发现"), field_name="missed_by_self_check")
    fake = django_filters.BooleanFilter(label=_("假整改"), field_name="fake_rectification")
    owner = IdFilter(label=_("整改责任人"), field_name="owner_id")
    found_after = django_filters.DateFilter(label=_("发现日期起"), method="filter_found_after")
    found_before = django_filters.DateFilter(label=_("发现日期止"), method="filter_found_before")
    deadline_after = django_filters.DateFilter(
        label=_("期限起"), field_name="deadline", lookup_expr="gte"
    )
    deadline_before = django_filters.DateFilter(
        label=_("期限止"), field_name="deadline", lookup_expr="lte"
    )
    closed_after = django_filters.DateFilter(label=_("销号日期起"), method="filter_closed_after")
    closed_before = django_filters.DateFilter(label=_("销号日期止"), method="filter_closed_before")
    ordering = django_filters.OrderingFilter(
        label=_("排序"),
        fields=(
            ("found_at", "found_at"),
            ("deadline", "deadline"),
            ("level", "level"),
            ("status", "status"),
            ("updated_at", "updated_at"),
        ),
    )

    class Meta:
        model = Hazard
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            Q(description__icontains=value)
            | Q(number__icontains=value)
            | Q(place_text__icontains=value)
            | Q(category__icontains=value)
        )

    def filter_unit(self, queryset, name, value):
        return within_unit(queryset, value)

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        return (
            queryset.filter(status__in=OPEN_STATUSES)
            if value
            else queryset.exclude(status__in=OPEN_STATUSES)
        )

    @staticmethod
    def _start(day):
        return timezone.make_aware(timezone.datetime.combine(day, timezone.datetime.min.time()))

    def filter_found_after(self, queryset, name, value):
        return queryset.filter(found_at__gte=self._start(value))

    def filter_found_before(self, queryset, name, value):
        return queryset.filter(found_at__lt=self._start(value + timezone.timedelta(days=1)))

    def filter_closed_after(self, queryset, name, value):
        return queryset.filter(closed_at__gte=self._start(value))

    def filter_closed_before(self, queryset, name, value):
        return queryset.filter(closed_at__lt=self._start(value + timezone.timedelta(days=1)))
