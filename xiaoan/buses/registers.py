"""The school bus register's declaration (xiaoan.core.registers): everything its pages, API,
Excel sheets, due-date warnings and subject links are made from."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch, Q
from django.utils.translation import gettext_lazy as _

from xiaoan.buses import crew
from xiaoan.buses.choices import ATTACHMENT_KINDS
from xiaoan.buses.filtersets import BusFilterSet
from xiaoan.buses.forms import BusForm
from xiaoan.buses.models import Bus, normalize_plate
from xiaoan.buses.serializers import BusSerializer
from xiaoan.certificates.models import Certificate
from xiaoan.core.registers import Due, Register, SheetColumn, registry


def detail_context(actor: Any, item: Bus) -> dict:
    """The record page's crew with validity marks, the latest checks and the check link."""
    from django.urls import reverse

    from xiaoan.buses.models import BusCheck
    from xiaoan.buses.services import CHECK_PERM, checkable
    from xiaoan.core.scoping import has_permission_anywhere

    checks = list(
        BusCheck.objects.filter(bus=item).select_related("checker").order_by("-checked_at")[:10]
    )
    for check in checks:
        check.photo_url = reverse("buses:check_photo", args=[check.pk]) if check.photo else ""
    may_check = (
        has_permission_anywhere(actor, CHECK_PERM)
        and not item.is_retired
        and checkable(actor).filter(pk=item.pk).exists()
    )
    return {
        "driver_rows": crew.rows(item, crew.DRIVERS),
        "escort_rows": crew.rows(item, crew.ESCORTS),
        "checks": checks,
        "may_check": may_check,
        "check_url": reverse("buses:check") + f"?bus={item.pk}",
    }


def _crew_column(role: crew.Role, header, aliases: tuple[str, ...], help_text) -> SheetColumn:
    return SheetColumn(
        role.field,
        header,
        22,
        aliases=aliases,
        parse=crew.parse_cell,
        resolve=crew.resolver(role),
        render=crew.render(role),
        same=crew.same(role),
        help=help_text,
    )


BUSES = registry.register(
    Register(
        key="buses",
        model=Bus,
        label=_("校车"),
        counters=lambda today: {
            "expired": Q(permit_valid_until__lt=today),
            "soon": Q(permit_valid_until__lte=today + dt.timedelta(days=30)),
            "no_face": Q(has_face_recognition=False),
            "no_infrared": Q(has_infrared=False),
            "no_monitoring": Q(has_monitoring=False),
            # Any of the three devices missing: what the district ranks schools by.
            "unequipped": Q(has_face_recognition=False)
            | Q(has_infrared=False)
            | Q(has_monitoring=False),
            "unchecked": Q(last_checked_on__isnull=True) | Q(last_checked_on__lt=today),
            # On the crew's certificates: a certificate's save recounts its unit (`reads`),
            # its expiry is as of the nightly recount.
            "no_driver": ~crew.has_valid(crew.DRIVERS, today),
            "no_escort": ~crew.has_valid(crew.ESCORTS, today),
            # Either missing: the school's to-do (xiaoan.buses.todos).
            "no_crew": ~crew.has_valid(crew.DRIVERS, today) | ~crew.has_valid(crew.ESCORTS, today),
        },
        ranked=("expired", "unequipped"),
        reads=("certificates.certificate",),
        description=_(
            "校车：车牌、线路站点、校车使用许可、安全设备、驾驶人与随车照管员、出车前检查"
        ),
        form=BusForm,
        serializer=BusSerializer,
        filterset=BusFilterSet,
        natural_key=("plate",),
        list_fields=(
            "plate",
            "unit",
            "seats",
            "operator",
            "permit_valid_until",
            "has_monitoring",
            "has_face_recognition",
            "has_infrared",
            "last_checked_on",
            "last_check_result",
        ),
        search_fields=("name", "plate", "operator", "route", "stops", "permit_number", "note"),
        prefetch_related=(
            Prefetch("drivers", queryset=Certificate.objects.order_by("name")),
            Prefetch("escorts", queryset=Certificate.objects.order_by("name")),
        ),
        columns=[
            SheetColumn("unit", _("所属单位"), 18, aliases=("单位", "学校")),
            SheetColumn(
                "plate",
                _("车牌号"),
                12,
                aliases=("车牌", "号牌号码"),
                required=True,
                # Read as stored (鄂G·12345 is 鄂G12345) before the row is matched by plate.
                resolve=lambda unit, text, cache: normalize_plate(text),
            ),
            SheetColumn("name", _("名称"), 14, aliases=("车辆名称", "校车名称")),
            SheetColumn("seats", _("核定载客人数"), 10, aliases=("核载人数", "座位数", "座位")),
            SheetColumn("operator", _("运营单位"), 20, aliases=("运营方", "校车服务提供者")),
            SheetColumn("route", _("行驶线路"), 20, aliases=("线路", "运行线路")),
            SheetColumn(
                "stops",
                _("停靠站点"),
                24,
                aliases=("站点", "停靠站"),
                help=_("多个站点换行或用、分隔"),
            ),
            SheetColumn(
                "permit_number", _("校车使用许可证号"), 18, aliases=("许可证号", "校车标牌号")
            ),
            SheetColumn(
                "permit_valid_until",
                _("许可有效期至"),
                12,
                aliases=("许可有效期", "校车使用许可有效期"),
            ),
            SheetColumn("has_monitoring", _("视频监控接入平台"), 10, aliases=("视频监控",)),
            SheetColumn("has_face_recognition", _("人脸识别"), 10, aliases=("人脸识别系统",)),
            SheetColumn(
                "has_infrared", _("红外生命探测"), 10, aliases=("红外生命探测装置", "红外探测")
            ),
            _crew_column(
                crew.DRIVERS,
                _("驾驶人"),
                ("驾驶员", "司机"),
                _(
                    "填本单位持证上岗台账中在用的机动车驾驶证的姓名或证书编号，多人用、分隔；留空不改动"
                ),
            ),
            _crew_column(
                crew.ESCORTS,
                _("随车照管员"),
                ("照管员", "随车照管人员"),
                _(
                    "填本单位持证上岗台账中在用的随车照管员证明的姓名或证书编号，多人用、分隔；留空不改动"
                ),
            ),
            SheetColumn("last_checked_on", _("最近出车前检查"), 12, export_only=True),
            SheetColumn("last_check_result", _("最近检查结果"), 10, export_only=True),
            SheetColumn("note", _("备注"), 20),
        ],
        due=[Due("permit_valid_until", _("校车使用许可"), warn_days=30)],
        attachment_kinds=ATTACHMENT_KINDS,
        save_related=crew.save_crew,
        detail_context=detail_context,
        default_name=lambda values: normalize_plate(values.get("plate")),
        order=45,
    )
)
