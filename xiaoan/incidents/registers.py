"""The 值班 roster's declaration (xiaoan.core.registers): pages, Excel, API come from it."""

import django_filters
from django.utils.translation import gettext_lazy as _

from xiaoan.core.register_views import RegisterFilterSet
from xiaoan.core.registers import Register, SheetColumn, registry
from xiaoan.incidents.forms import DutyShiftForm
from xiaoan.incidents.models import DutyShift
from xiaoan.incidents.serializers import DutyShiftSerializer


class DutyShiftFilterSet(RegisterFilterSet):
    duty_after = django_filters.DateFilter(
        field_name="duty_date", lookup_expr="gte", label=_("值班日期起")
    )
    duty_before = django_filters.DateFilter(
        field_name="duty_date", lookup_expr="lte", label=_("值班日期止")
    )

    class Meta:
        model = DutyShift
        fields = ["q", "unit", "duty_after", "duty_before", "retired"]


ROSTER = registry.register(
    Register(
        key="duty-rosters",
        namespace="incidents",
        model=DutyShift,
        label=_("值班安排"),
        description=_("节假日和敏感时期的值班表：值班人员、带班领导和联系电话"),
        form=DutyShiftForm,
        serializer=DutyShiftSerializer,
        filterset=DutyShiftFilterSet,
        list_fields=("duty_date", "starts_at", "ends_at", "name", "phone", "leader", "unit"),
        search_fields=("name", "leader", "period", "phone"),
        select_related=("unit", "place", "user"),
        columns=[
            SheetColumn("unit", _("所属单位"), 18, aliases=("单位", "学校")),
            SheetColumn("duty_date", _("值班日期"), 12, aliases=("日期",), required=True),
            SheetColumn("starts_at", _("开始时间"), 10),
            SheetColumn("ends_at", _("结束时间"), 10),
            SheetColumn("name", _("值班人员"), 12, aliases=("值班人",), required=True),
            SheetColumn("phone", _("联系电话"), 14, aliases=("电话",)),
            SheetColumn("leader", _("带班领导"), 12),
            SheetColumn("leader_phone", _("带班领导电话"), 14),
            SheetColumn("period", _("值班时段"), 14),
            SheetColumn("code", _("编号"), 12),
            SheetColumn("note", _("备注"), 20),
        ],
        attachment_kinds=[("roster", _("值班表（盖章件）")), ("other", _("其他"))],
        item_actions=[],
        order=90,
    )
)
