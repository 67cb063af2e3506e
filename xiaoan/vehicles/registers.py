"""The 校园车辆管理 register's declaration (xiaoan.core.registers)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xiaoan.core.registers import Due, Register, SheetColumn, registry
from xiaoan.vehicles.choices import ATTACHMENT_KINDS, VehicleClass
from xiaoan.vehicles.filtersets import CampusVehicleFilterSet
from xiaoan.vehicles.forms import CampusVehicleForm
from xiaoan.vehicles.models import CampusVehicle
from xiaoan.vehicles.serializers import CampusVehicleSerializer


def counters(today: dt.date) -> dict[str, Q]:
    found = {f"class_{value}": Q(vehicle_class=value) for value in VehicleClass.values}
    found["blacklisted"] = Q(blacklisted=True)
    found["expired"] = Q(valid_until__lt=today)
    return found


def detail_context(actor: Any, item: CampusVehicle) -> dict:
    """The record page's violations, blacklist history, rule and the steps the person may
    take (record at the gate, lift the blacklist)."""
    from django.urls import reverse

    from xiaoan.vehicles import services
    from xiaoan.vehicles.models import Blacklisting, Violation

    in_use = not item.is_retired
    violations = list(
        Violation.objects.filter(vehicle=item)
        .select_related("recorded_by")
        .order_by("-occurred_on", "-pk")[:30]
    )
    threshold, window = services.rule_for(item.unit)
    return {
        "violations": violations,
        "blacklistings": list(
            Blacklisting.objects.filter(vehicle=item).select_related("lifted_by")[:20]
        ),
        "rule": {"threshold": threshold, "window_days": window},
        "may_record": in_use and services.recordable(actor).filter(pk=item.pk).exists(),
        "may_lift": in_use
        and item.blacklisted
        and CampusVehicle.objects.with_permission(actor, services.LIFT_PERM)
        .filter(pk=item.pk)
        .exists(),
        "gate_url": reverse("campus_vehicles:gate") + f"?vehicle={item.pk}",
        "lift_url": reverse("campus_vehicles:campusvehicle_lift", args=[item.pk]),
        "may_enter": item.may_enter(),
    }


CAMPUS_VEHICLES = registry.register(
    Register(
        key="campus_vehicles",
        model=CampusVehicle,
        label=_("校园车辆"),
        counters=counters,
        ranked=("blacklisted",),
        description=_("教职工、服务、访客车辆与电动自行车：通行权限、违规记录与黑名单"),
        form=CampusVehicleForm,
        serializer=CampusVehicleSerializer,
        filterset=CampusVehicleFilterSet,
        list_fields=(
            "name",
            "vehicle_class",
            "owner",
            "unit",
            "phone",
            "valid_until",
            "status",
            "blacklisted",
        ),
        search_fields=("name", "owner", "code", "phone", "employer", "description"),
        columns=[
            SheetColumn("unit", _("所属单位"), 18, aliases=("单位", "学校")),
            SheetColumn(
                "name", _("车牌号"), 12, aliases=("车牌", "号牌", "车牌号码"), required=True
            ),
            SheetColumn(
                "vehicle_class", _("车辆类别"), 16, aliases=("类别", "车辆类型"), required=True
            ),
            SheetColumn(
                "owner", _("车主/驾驶人"), 10, aliases=("车主", "驾驶人", "姓名"), required=True
            ),
            SheetColumn("code", _("通行证编号"), 12, aliases=("通行证号",)),
            SheetColumn("phone", _("联系电话"), 14, aliases=("电话", "手机", "手机号")),
            SheetColumn("description", _("品牌型号/颜色"), 14, aliases=("品牌型号", "车型")),
            SheetColumn("employer", _("所属单位/事由"), 16, aliases=("工作单位", "事由")),
            SheetColumn("allowed_gates", _("允许通行校门"), 14, aliases=("通行校门", "校门")),
            SheetColumn(
                "allowed_hours",
                _("允许通行时段"),
                16,
                aliases=("通行时段", "时段"),
                help=_("如 07:00-08:30、16:30-18:00；不填为不限"),
            ),
            SheetColumn("valid_until", _("通行有效期至"), 12, aliases=("有效期至", "有效期")),
            SheetColumn("status", _("通行状态"), 10, aliases=("状态",)),
            SheetColumn("blacklisted", _("黑名单"), 8, export_only=True),
            SheetColumn("note", _("备注"), 20),
        ],
        due=[Due("valid_until", _("通行有效期"), warn_days=15)],
        attachment_kinds=ATTACHMENT_KINDS,
        detail_context=detail_context,
        natural_key=("name",),
        order=60,
    )
)
