import django_filters
from django.utils.translation import gettext_lazy as _

from xiaoan.core.ids import IdFilter
from xiaoan.publicreports.choices import ReportCategory, ReportStatus
from xiaoan.publicreports.models import PublicReport


class PublicReportFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ReportStatus.choices, label=_("状态"))
    category = django_filters.ChoiceFilter(choices=ReportCategory.choices, label=_("类别"))
    unit = IdFilter(method="filter_unit", label=_("学校（含下级）"))
    created_after = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__gte", label=_("收到日期起")
    )
    created_before = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__lte", label=_("收到日期止")
    )
    stale = django_filters.BooleanFilter(method="filter_stale", label=_("超过 2 天未处理"))

    class Meta:
        model = PublicReport
        fields = ["status", "category", "unit", "created_after", "created_before", "stale"]

    def filter_unit(self, queryset, name, value):
        from xiaoan.orgs.models import Unit

        unit = Unit.objects.filter(pk=value).only("path").first()
        if unit is None:
            return queryset.none()
        return queryset.filter(unit__path__startswith=unit.path)

    def filter_stale(self, queryset, name, value):
        from xiaoan.publicreports.services import unhandled

        return unhandled(queryset) if value else queryset
