import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xiaoan.accounts.models import Role, RoleAssignment, User
from xiaoan.core.ids import IdFilter
from xiaoan.orgs.filtersets import within_unit


class UserFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("姓名/用户名/手机"), method="filter_q")
    unit = IdFilter(label=_("所属单位"), field_name="unit_id")
    within = IdFilter(label=_("在此单位之下"), method="filter_within")
    role = django_filters.ModelChoiceFilter(
        label=_("角色"),
        queryset=Role.objects.all(),
        field_name="assignments__role",
        distinct=True,
    )
    is_active = django_filters.BooleanFilter(label=_("启用"))

    class Meta:
        model = User
        fields = ["q", "unit", "within", "role", "is_active"]

    def filter_q(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            # A mobile number matches whole, through its keyed hash (the column is encrypted).
            Q(name__icontains=value) | Q(username__icontains=value) | Q(mobile_hash__matches=value)
        )

    def filter_within(self, queryset, name, value):
        return within_unit(queryset, value)


class RoleAssignmentFilterSet(django_filters.FilterSet):
    user = IdFilter(field_name="user_id", label=_("用户"))
    role = django_filters.CharFilter(field_name="role__code", label=_("角色代码"))
    unit = IdFilter(field_name="unit_id", label=_("授权单位"))
    within = IdFilter(label=_("在此单位之下"), method="filter_within")

    class Meta:
        model = RoleAssignment
        fields = ["user", "role", "unit", "within"]

    def filter_within(self, queryset, name, value):
        return within_unit(queryset, value)
