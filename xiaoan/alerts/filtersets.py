import django_filters
from django.utils.translation import gettext_lazy as _

from xiaoan.alerts.choices import AlertOrigin, AlertStatus, Severity
from xiaoan.alerts.models import Alert
from xiaoan.core.ids import IdFilter


class AlertFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label=_("标题"))
    status = django_filters.ChoiceFilter(choices=AlertStatus.choices, label=_("状态"))
    severity = django_filters.ChoiceFilter(choices=Severity.choices, label=_("级别"))
    origin = django_filters.ChoiceFilter(choices=AlertOrigin.choices, label=_("来源"))
    kind = django_filters.CharFilter(max_length=40, label=_("预警类型"))
    unit = IdFilter(method="filter_unit", label=_("单位（含下级）"))
    bulletin = IdFilter(field_name="bulletin", label=_("预警发布"))
    open = django_filters.BooleanFilter(method="filter_open", label=_("仅未关闭"))
    escalated = django_filters.BooleanFilter(method="filter_escalated", label=_("已升级"))
    mine = django_filters.BooleanFilter(method="filter_mine", label=_("本单位待办"))

    class Meta:
        model = Alert
        fields = ["q", "status", "severity", "origin", "kind", "unit", "bulletin", "open"]

    def filter_unit(self, queryset, name, value):
        from xiaoan.orgs.models import Unit

        unit = Unit.objects.filter(pk=value).only("path").first()
        if unit is None:
            return queryset.none()
        return queryset.filter(unit__path__startswith=unit.path)

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        if value:
            return queryset.exclude(status=AlertStatus.CLOSED)
        return queryset.filter(status=AlertStatus.CLOSED)

    def filter_escalated(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(escalated_at__isnull=not value)

    def filter_mine(self, queryset, name, value):
        from xiaoan.core.todos import own_side

        if not value or self.request is None:
            return queryset
        return queryset.filter(own_side(self.request.user, "alerts.handle_alert"))
