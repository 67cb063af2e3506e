import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoan.core.ids import IdFilter
from xiaoan.core.register_views import RegisterFilterSet
from xiaoan.fireassets.choices import AssetKind, AssetType, CheckResult
from xiaoan.fireassets.models import FireAsset, month_start


class FireAssetFilterSet(RegisterFilterSet):
    kind = django_filters.ChoiceFilter(label=_("类别"), choices=AssetKind.choices)
    asset_type = django_filters.ChoiceFilter(label=_("类型"), choices=AssetType.choices)
    place = IdFilter(label=_("场所（含下级）"), method="filter_place")
    expired = django_filters.BooleanFilter(label=_("已过期"), method="filter_expired")
    unchecked = django_filters.BooleanFilter(label=_("本月未检查"), method="filter_unchecked")
    last_check_result = django_filters.ChoiceFilter(
        label=_("最近月检结果"), choices=CheckResult.choices
    )

    class Meta:
        model = FireAsset
        fields = [
            "q",
            "unit",
            "kind",
            "asset_type",
            "place",
            "expired",
            "unchecked",
            "last_check_result",
            "due",
            "retired",
        ]

    def filter_place(self, queryset, name, value):
        return queryset.filter(
            Q(place_id=value) | Q(place__parent_id=value) | Q(place__parent__parent_id=value)
        )

    def filter_expired(self, queryset, name, value):
        if value is None:
            return queryset
        condition = Q(expires_on__lt=timezone.localdate())
        return queryset.filter(condition) if value else queryset.exclude(condition)

    def filter_unchecked(self, queryset, name, value):
        if value is None:
            return queryset
        checked = Q(last_checked_on__gte=month_start())
        return queryset.exclude(checked) if value else queryset.filter(checked)
