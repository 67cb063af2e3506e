"""Inspection and checklist filters, shared by the pages and the API."""

from __future__ import annotations

import django_filters
from django.core.validators import RegexValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xiaoan.core.choices import SafetyDomain
from xiaoan.core.ids import IdFilter
from xiaoan.inspections.choices import InspectionKind, InspectionStatus
from xiaoan.inspections.models import ChecklistTemplate, Inspection
from xiaoan.orgs.filtersets import within_unit

period_validator = RegexValidator(r"^\d{4}-(0[1-9]|1[0-2])$", _("期间格式为 YYYY-MM。"))


class InspectionFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索（标题或编号）"), method="filter_q")
    kind = django_filters.ChoiceFilter(label=_("检查类型"), choices=InspectionKind.choices)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=InspectionStatus.choices)
    unit = IdFilter(label=_("被检查单位（含下级）"), method="filter_unit")
    period = django_filters.CharFilter(
        label=_("期间（YYYY-MM）"), field_name="period", validators=[period_validator]
    )
    scheduled_after = django_filters.DateFilter(
        label=_("计划日期起"), field_name="scheduled_on", lookup_expr="gte"
    )
    scheduled_before = django_filters.DateFilter(
        label=_("计划日期止"), field_name="scheduled_on", lookup_expr="lte"
    )
    ordering = django_filters.OrderingFilter(
        label=_("排序"),
        fields=(
            ("scheduled_on", "scheduled_on"),
            ("due_on", "due_on"),
            ("submitted_at", "submitted_at"),
        ),
    )

    class Meta:
        model = Inspection
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        """By title or number (JC-2026-0001, or a part of it such as 2026-0001)."""
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(number__icontains=value))

    def filter_unit(self, queryset, name, value):
        return within_unit(queryset, value)


class ChecklistFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="filter_q")
    domain = django_filters.ChoiceFilter(label=_("领域"), choices=SafetyDomain.choices)
    builtin = django_filters.BooleanFilter(
        label=_("内置"), field_name="owner_unit", lookup_expr="isnull"
    )
    is_active = django_filters.BooleanFilter(label=_("启用"))

    class Meta:
        model = ChecklistTemplate
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value))
