"""The 家校交通安全责任书 register's declaration (xiaoan.core.registers)."""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from xiaoan.core.registers import Due, Register, SheetColumn, registry
from xiaoan.traffic.filtersets import TrafficAgreementFilterSet
from xiaoan.traffic.forms import TrafficAgreementForm
from xiaoan.traffic.models import TrafficAgreement, semester_of
from xiaoan.traffic.serializers import TrafficAgreementSerializer

ATTACHMENT_KINDS = [
    ("signed", _("签字责任书扫描件")),
    ("other", _("其他")),
]


def counters(today: dt.date) -> dict[str, Q]:
    """The current semester's classes, and those with agreements still missing."""
    current = Q(semester=semester_of(today))
    return {"current": current, "below": current & Q(returned__lt=F("pupils"))}


TRAFFIC_AGREEMENTS = registry.register(
    Register(
        key="traffic_agreements",
        model=TrafficAgreement,
        label=_("家校交通安全责任书"),
        counters=counters,
        ranked=("below",),
        description=_("每班每学期的学生数、已回收责任书份数与回收率，签字扫描件"),
        form=TrafficAgreementForm,
        serializer=TrafficAgreementSerializer,
        filterset=TrafficAgreementFilterSet,
        list_fields=("name", "semester", "unit", "pupils", "returned", "share", "returned_by"),
        search_fields=("name", "grade", "semester", "note"),
        natural_key=("semester", "name"),
        columns=[
            SheetColumn("unit", _("所属单位"), 18, aliases=("单位", "学校")),
            SheetColumn(
                "semester",
                _("学期"),
                22,
                aliases=("学年学期",),
                required=True,
                help=_("如 2026-2027学年第一学期"),
            ),
            SheetColumn("grade", _("年级"), 10),
            SheetColumn("name", _("班级"), 14, aliases=("班级名称", "班别"), required=True),
            SheetColumn(
                "pupils", _("班级学生数"), 10, aliases=("学生数", "人数", "班级人数"), required=True
            ),
            SheetColumn(
                "returned",
                _("已回收责任书"),
                12,
                aliases=("已回收", "回收份数", "已签订"),
                required=True,
            ),
            SheetColumn("share", _("回收率（%）"), 10, export_only=True),
            SheetColumn("returned_by", _("回收截止日期"), 12, aliases=("截止日期",)),
            SheetColumn("note", _("备注"), 20),
        ],
        due=[Due("open_due_on", _("责任书回收截止"), warn_days=7)],
        attachment_kinds=ATTACHMENT_KINDS,
        order=65,
    )
)
