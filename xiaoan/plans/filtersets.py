"""Plan filters, shared by the page and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xiaoan.core.ids import IdFilter
from xiaoan.orgs.filtersets import within_unit
from xiaoan.plans.choices import PlanStatus, Progress
from xiaoan.plans.models import Assignment, Plan, Task


class PlanFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="filter_q")
    unit = IdFilter(label=_("发文单位（含下级）"), method="filter_unit")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=PlanStatus.choices)
    progress_status = django_filters.ChoiceFilter(label=_("完成情况"), choices=Progress.choices)

    class Meta:
        model = Plan
        fields = ["q", "unit", "status", "progress_status"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(document_number__icontains=value))

    def filter_unit(self, queryset, name, value):
        return within_unit(queryset, value, "unit")


class TaskFilterSet(django_filters.FilterSet):
    plan = IdFilter(label=_("方案"), field_name="plan_id")
    status = django_filters.ChoiceFilter(label=_("完成情况"), choices=Progress.choices)
    top = django_filters.BooleanFilter(
        label=_("仅方案任务（不含分解）"), field_name="parent", lookup_expr="isnull"
    )

    class Meta:
        model = Task
        fields = ["plan", "status", "top"]


class AssignmentFilterSet(django_filters.FilterSet):
    plan = IdFilter(label=_("方案"), field_name="task__plan_id")
    task = IdFilter(label=_("任务"), field_name="task_id")
    unit = IdFilter(label=_("承办单位（含下级）"), method="filter_unit")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=Progress.choices)
    due_before = django_filters.DateFilter(
        label=_("期限止"), field_name="due_on", lookup_expr="lte"
    )

    class Meta:
        model = Assignment
        fields = ["plan", "task", "unit", "status", "due_before"]

    def filter_unit(self, queryset, name, value):
        return within_unit(queryset, value, "unit")
