import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xiaoan.activities import calendar
from xiaoan.activities.choices import ActivityKind
from xiaoan.activities.models import Activity
from xiaoan.core.ids import IdFilter

OWN = "own"  # the event filter's value for a school's own activities


def event_filter_choices():
    return [*calendar.choices(), (OWN, _("学校自主活动"))]


class ActivityFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="filter_q")
    unit = IdFilter(label=_("单位（含下级）"), method="filter_unit")
    event = django_filters.ChoiceFilter(
        label=_("教育日（月）"), choices=event_filter_choices, method="filter_event"
    )
    kind = django_filters.ChoiceFilter(label=_("活动形式"), choices=ActivityKind.choices)
    year = django_filters.NumberFilter(
        label=_("年份"), field_name="held_on", lookup_expr="year", min_value=2000, max_value=2100
    )
    date_from = django_filters.DateFilter(
        label=_("开始日期"), field_name="held_on", lookup_expr="gte"
    )
    date_to = django_filters.DateFilter(
        label=_("结束日期"), field_name="held_on", lookup_expr="lte"
    )

    class Meta:
        model = Activity
        fields = ["q", "unit", "event", "kind", "year", "date_from", "date_to"]

    def filter_q(self, queryset, name, value):
        value = (value or "").strip()[:100]
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value) | Q(summary__icontains=value) | Q(classes__icontains=value)
        )

    def filter_unit(self, queryset, name, value):
        from xiaoan.orgs.filtersets import within_unit

        return within_unit(queryset, value)

    def filter_event(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(event="" if value == OWN else value)
