import django_filters
from django.utils.translation import gettext_lazy as _

from xiaoan.core.register_views import RegisterFilterSet
from xiaoan.emergency.choices import PlanKind, PlanTopic, TeamKind
from xiaoan.emergency.models import EmergencyPlan, EmergencyTeam


class PlanFilterSet(RegisterFilterSet):
    kind = django_filters.ChoiceFilter(label=_("预案类别"), choices=PlanKind.choices)
    topic = django_filters.ChoiceFilter(label=_("事件类型"), choices=PlanTopic.choices)
    filed = django_filters.BooleanFilter(label=_("已备案"))

    class Meta:
        model = EmergencyPlan
        fields = ["q", "unit", "kind", "topic", "filed", "due", "retired"]


class TeamFilterSet(RegisterFilterSet):
    kind = django_filters.ChoiceFilter(label=_("队伍类别"), choices=TeamKind.choices)
    is_staffed = django_filters.BooleanFilter(label=_("按要求配齐"))

    class Meta:
        model = EmergencyTeam
        fields = ["q", "unit", "kind", "is_staffed", "retired"]
