import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoan.certificates import idnumbers
from xiaoan.certificates.choices import CertificateKind, Post
from xiaoan.certificates.models import Certificate
from xiaoan.core.register_views import RegisterFilterSet


class CertificateFilterSet(RegisterFilterSet):
    post = django_filters.ChoiceFilter(label=_("岗位"), choices=Post.choices)
    kind = django_filters.ChoiceFilter(label=_("证书类别"), choices=CertificateKind.choices)
    expired = django_filters.BooleanFilter(label=_("已过期"), method="filter_expired")
    id_number = django_filters.CharFilter(label=_("身份证号（完整）"), method="filter_id_number")

    class Meta:
        model = Certificate
        fields = ["q", "unit", "post", "kind", "expired", "id_number", "due", "retired"]

    def filter_expired(self, queryset, name, value):
        if value is None:
            return queryset
        condition = Q(valid_until__lt=timezone.localdate())
        return queryset.filter(condition) if value else queryset.exclude(condition)

    def filter_id_number(self, queryset, name, value):
        # Equality only, through the keyed hash: the column itself is encrypted.
        value = idnumbers.normalize(value)[:18]
        return queryset.filter(id_number_hash__matches=value) if value else queryset
