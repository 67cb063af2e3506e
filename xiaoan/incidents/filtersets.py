import django_filters
from django.utils.translation import gettext_lazy as _

from xiaoan.core.ids import IdFilter
from xiaoan.incidents.choices import IncidentKind, IncidentStatus, Severity
from xiaoan.incidents.models import Incident


class IncidentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("地点或经过"))
    kind = django_filters.ChoiceFilter(choices=IncidentKind.choices, label=_("事件类型"))
    severity = django_filters.ChoiceFilter(choices=Severity.choices, label=_("事件等级"))
    status = django_filters.ChoiceFilter(choices=IncidentStatus.choices, label=_("状态"))
    late = django_filters.BooleanFilter(label=_("超时首报"))
    unit = IdFilter(method="filter_unit", label=_("单位（含下级）"))
    task = django_filters.ChoiceFilter(
        method="filter_task",
        choices=[("mine", _("交给我的复盘整改措施"))],
        label=_("复盘整改"),
    )
    occurred_after = django_filters.DateFilter(
        field_name="occurred_at", lookup_expr="date__gte", label=_("发生日期起")
    )
    occurred_before = django_filters.DateFilter(
        field_name="occurred_at", lookup_expr="date__lte", label=_("发生日期止")
    )

    class Meta:
        model = Incident
        fields = [
            "q", "kind", "severity", "status", "late", "unit", "occurred_after",
            "occurred_before", "task",
        ]  # fmt: skip

    def filter_q(self, queryset, name, value):
        from django.db.models import Q

        value = value.strip()[:100]
        return queryset.filter(Q(place__icontains=value) | Q(summary__icontains=value))

    def filter_task(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        if value != "mine" or user is None or not user.is_authenticated:
            return queryset
        return queryset.filter(findings__owner=user, findings__done_at__isnull=True).distinct()

    def filter_unit(self, queryset, name, value):
        from xiaoan.orgs.models import Unit

        unit = Unit.objects.filter(pk=value).only("path").first()
        if unit is None:
            return queryset.none()
        return queryset.filter(unit__path__startswith=unit.path)
