import datetime as dt

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoan.core.register_views import RegisterFilterSet
from xiaoan.events.choices import EventKind
from xiaoan.events.models import Event

SIGNOFF_CHOICES = [
    ("soon", _("7天内举办、未签批")),
    ("upcoming", _("30天内举办")),
    ("upcoming_unsigned", _("30天内举办、未签批")),
    ("missed", _("未签批即已举办")),
    ("signed", _("已签批")),
]


def signoff_condition(which: str, today: dt.date) -> Q:
    unsigned = Q(signed_off_at__isnull=True)
    within = {
        "soon": Q(starts_on__gte=today, starts_on__lte=today + dt.timedelta(days=7)),
        "upcoming": Q(starts_on__gte=today, starts_on__lte=today + dt.timedelta(days=30)),
    }
    return {
        "soon": within["soon"] & unsigned,
        "upcoming": within["upcoming"],
        "upcoming_unsigned": within["upcoming"] & unsigned,
        "missed": Q(starts_on__lt=today) & unsigned,
        "signed": Q(signed_off_at__isnull=False),
    }[which]


class EventFilterSet(RegisterFilterSet):
    kind = django_filters.ChoiceFilter(label=_("活动类别"), choices=EventKind.choices)
    signoff = django_filters.ChoiceFilter(
        label=_("签批"), choices=SIGNOFF_CHOICES, method="filter_signoff"
    )

    class Meta:
        model = Event
        fields = ["q", "unit", "kind", "signoff", "retired"]

    def filter_signoff(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(signoff_condition(value, timezone.localdate()))
