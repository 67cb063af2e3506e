import django_filters
from django.utils.translation import gettext_lazy as _

from xiaoan.channels.choices import ChannelKind, DeliveryStatus
from xiaoan.channels.models import Channel, Delivery
from xiaoan.core.ids import IdFilter


def _subtree(queryset, value):
    from xiaoan.orgs.models import Unit

    unit = Unit.objects.filter(pk=value).only("path").first()
    if unit is None:
        return queryset.none()
    return queryset.filter(unit__path__startswith=unit.path)


class ChannelFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=ChannelKind.choices, label=_("渠道类型"))
    is_active = django_filters.BooleanFilter(label=_("启用"))
    unit = IdFilter(method="filter_unit", label=_("单位（含下级）"))

    class Meta:
        model = Channel
        fields = ["kind", "is_active", "unit"]

    def filter_unit(self, queryset, name, value):
        return _subtree(queryset, value)


class DeliveryFilter(django_filters.FilterSet):
    channel = IdFilter(field_name="channel_id", label=_("渠道"))
    status = django_filters.ChoiceFilter(choices=DeliveryStatus.choices, label=_("状态"))
    ref = django_filters.CharFilter(field_name="ref", label=_("关联记录"))
    unit = IdFilter(method="filter_unit", label=_("单位（含下级）"))

    class Meta:
        model = Delivery
        fields = ["channel", "status", "ref", "unit"]

    def filter_unit(self, queryset, name, value):
        return _subtree(queryset, value)
