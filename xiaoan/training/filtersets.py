import django_filters
from django.utils.translation import gettext_lazy as _

from xiaoan.core.choices import SafetyDomain
from xiaoan.core.register_views import RegisterFilterSet
from xiaoan.training.choices import audience_role_choices
from xiaoan.training.models import TrainingSession


class TrainingFilterSet(RegisterFilterSet):
    domain = django_filters.ChoiceFilter(label=_("领域"), choices=SafetyDomain.choices)
    held_after = django_filters.DateFilter(
        label=_("培训日期起"), field_name="held_on", lookup_expr="gte"
    )
    held_before = django_filters.DateFilter(
        label=_("培训日期止"), field_name="held_on", lookup_expr="lte"
    )
    audience_role = django_filters.ChoiceFilter(
        label=_("参训角色"), choices=audience_role_choices(), method="filter_role"
    )
    unattended = django_filters.BooleanFilter(label=_("未登记参训人员"), method="filter_unattended")

    class Meta:
        model = TrainingSession
        fields = [
            "q",
            "unit",
            "domain",
            "held_after",
            "held_before",
            "audience_role",
            "unattended",
            "retired",
        ]

    def filter_role(self, queryset, name, value):
        # JSON containment is not on SQLite: the list is short, match the quoted code.
        return queryset.filter(audience_roles__icontains=f'"{value}"') if value else queryset

    def filter_unattended(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(attendee_count=0) if value else queryset.filter(attendee_count__gt=0)
