import django_filters
from django.utils.translation import gettext_lazy as _

from xiaoan.chemicals.choices import MeasureUnit, StorageKind
from xiaoan.chemicals.models import Chemical, Storage
from xiaoan.core.register_views import RegisterFilterSet


class ChemicalFilterSet(RegisterFilterSet):
    controlled = django_filters.BooleanFilter(label=_("管制类（双人双锁）"))
    measure = django_filters.ChoiceFilter(label=_("计量单位"), choices=MeasureUnit.choices)

    class Meta:
        model = Chemical
        fields = ["q", "unit", "controlled", "measure", "retired"]


class StorageFilterSet(RegisterFilterSet):
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=StorageKind.choices)

    class Meta:
        model = Storage
        fields = ["q", "unit", "kind", "due", "retired"]
