import django_filters
from django.utils.translation import gettext_lazy as _

from xiaoan.core.ids import IdFilter
from xiaoan.orgs.choices import SchoolType, UnitKind
from xiaoan.orgs.models import Unit


def unit_path(pk) -> str | None:
    return Unit.objects.filter(pk=pk).values_list("path", flat=True).first()


def within_unit(queryset, pk, lookup: str = "unit"):
    """Rows whose unit (`lookup`; "" for units themselves) lies under unit `pk`, itself
    included; none if there is no such unit. Records are matched by unit id, not by a join
    on the path, so their own unit index stays usable."""
    path = unit_path(pk)
    if not path:
        return queryset.none()
    if not lookup:
        return queryset.filter(path__startswith=path)
    return queryset.filter(
        **{f"{lookup}__in": Unit.objects.filter(path__startswith=path).values("pk")}
    )


class UnitFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("名称"), method="filter_q")
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=UnitKind.choices)
    school_type = django_filters.ChoiceFilter(label=_("学校类型"), choices=SchoolType.choices)
    boarding = django_filters.BooleanFilter(label=_("寄宿制"))
    is_active = django_filters.BooleanFilter(label=_("启用"))
    within = IdFilter(label=_("在此单位之下（含本级）"), method="filter_within")
    parent = IdFilter(label=_("直属上级单位"), method="filter_parent")

    class Meta:
        model = Unit
        fields = ["q", "kind", "school_type", "boarding", "is_active", "within", "parent"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(name__icontains=value) if value else queryset

    def filter_within(self, queryset, name, value):
        return within_unit(queryset, value, "")

    def filter_parent(self, queryset, name, value):
        path = unit_path(value)
        if not path:
            return queryset.none()
        return queryset.filter(path__startswith=path, depth=len(path) // Unit.steplen + 1)
