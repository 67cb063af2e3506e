import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoan.core.register_views import RegisterFilterSet
from xiaoan.lawsafety.choices import EmployerKind, Employment
from xiaoan.lawsafety.models import Counsellor, LegalVicePrincipal, PoliceRoom


class LegalVicePrincipalFilterSet(RegisterFilterSet):
    employer_kind = django_filters.ChoiceFilter(
        label=_("派出单位类别"), choices=EmployerKind.choices
    )
    term_over = django_filters.BooleanFilter(label=_("聘期已满"), method="filter_term_over")

    class Meta:
        model = LegalVicePrincipal
        fields = ["q", "unit", "employer_kind", "term_over", "due", "retired"]

    def filter_term_over(self, queryset, name, value):
        if value is None:
            return queryset
        condition = Q(term_until__lt=timezone.localdate())
        return queryset.filter(condition) if value else queryset.exclude(condition)


class PoliceRoomFilterSet(RegisterFilterSet):
    unstaffed = django_filters.BooleanFilter(
        label=_("上放学时段未全部值守"), method="filter_unstaffed"
    )

    class Meta:
        model = PoliceRoom
        fields = ["q", "unit", "unstaffed", "retired"]

    def filter_unstaffed(self, queryset, name, value):
        if value is None:
            return queryset
        condition = Q(staffed_arrival=False) | Q(staffed_dismissal=False)
        return queryset.filter(condition) if value else queryset.exclude(condition)


class CounsellorFilterSet(RegisterFilterSet):
    employment = django_filters.ChoiceFilter(label=_("专兼职"), choices=Employment.choices)
    expired = django_filters.BooleanFilter(label=_("证书已过期"), method="filter_expired")

    class Meta:
        model = Counsellor
        fields = ["q", "unit", "employment", "expired", "due", "retired"]

    def filter_expired(self, queryset, name, value):
        if value is None:
            return queryset
        condition = Q(valid_until__lt=timezone.localdate())
        return queryset.filter(condition) if value else queryset.exclude(condition)
