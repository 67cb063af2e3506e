import django_filters
from django.utils.translation import gettext_lazy as _

from xiaoan.buildings.choices import DANGEROUS, AppraisalGrade
from xiaoan.buildings.models import BuildingFile
from xiaoan.core.register_views import RegisterFilterSet
from xiaoan.orgs.choices import BuildingUse


class BuildingFilterSet(RegisterFilterSet):
    use = django_filters.ChoiceFilter(label=_("用途"), choices=BuildingUse.choices)
    appraisal_grade = django_filters.ChoiceFilter(
        label=_("鉴定等级"), choices=AppraisalGrade.choices
    )
    dangerous = django_filters.BooleanFilter(label=_("危房（C/D级）"), method="filter_dangerous")
    is_high_rise = django_filters.BooleanFilter(label=_("高层建筑"))

    class Meta:
        model = BuildingFile
        fields = [
            "q",
            "unit",
            "use",
            "appraisal_grade",
            "dangerous",
            "is_high_rise",
            "due",
            "retired",
        ]

    def filter_dangerous(self, queryset, name, value):
        if value is None:
            return queryset
        condition = {"appraisal_grade__in": DANGEROUS}
        return queryset.filter(**condition) if value else queryset.exclude(**condition)
