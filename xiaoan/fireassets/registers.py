"""The fire assets register's declaration (xiaoan.core.registers): everything its pages,
API, Excel sheets, due-date warnings and subject links are made from."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xiaoan.core.registers import Due, Register, SheetColumn, registry
from xiaoan.fireassets.choices import ATTACHMENT_KINDS
from xiaoan.fireassets.filtersets import FireAssetFilterSet
from xiaoan.fireassets.forms import FireAssetForm
from xiaoan.fireassets.models import FireAsset, default_name
from xiaoan.fireassets.rules import after_save
from xiaoan.fireassets.serializers import FireAssetSerializer


def detail_context(actor: Any, item: FireAsset) -> dict:
    """The record page's monthly checks (the latest twelve) and the phone check's link."""
    from django.urls import reverse

    from xiaoan.core.scoping import has_permission_anywhere
    from xiaoan.fireassets.models import FireAssetCheck
    from xiaoan.fireassets.services import CHECK_PERM, checkable

    checks = list(
        FireAssetCheck.objects.filter(asset=item)
        .select_related("checker")
        .order_by("-checked_on", "-pk")[:12]
    )
    for check in checks:
        check.photo_url = reverse("fireassets:check_photo", args=[check.pk]) if check.photo else ""
    may_check = (
        has_permission_anywhere(actor, CHECK_PERM)
        and not item.is_retired
        and checkable(actor).filter(pk=item.pk).exists()
    )
    check_url = reverse("fireassets:check")
    if item.place_id:
        check_url += f"?place={item.place_id}"
    return {"checks": checks, "may_check": may_check, "check_url": check_url}


FIRE_ASSETS = registry.register(
    Register(
        key="fireassets",
        model=FireAsset,
        label=_("消防器材"),
        counters=lambda today: {
            "expired": Q(expires_on__lt=today),
            "unchecked": Q(last_checked_on__isnull=True)
            | Q(last_checked_on__lt=today.replace(day=1)),
        },
        ranked=("expired",),
        description=_("灭火器、消火栓、火灾探测器、微型消防站：位置、类型、有效期与月检"),
        form=FireAssetForm,
        serializer=FireAssetSerializer,
        filterset=FireAssetFilterSet,
        list_fields=(
            "name",
            "code",
            "unit",
            "kind",
            "asset_type",
            "place",
            "position",
            "expires_on",
            "last_checked_on",
            "last_check_result",
        ),
        search_fields=("name", "code", "position", "note"),
        # The list shows each place's full name (building / floor / room).
        select_related=("unit", "place__parent__parent"),
        columns=[
            SheetColumn("unit", _("所属单位"), 18, aliases=("单位", "学校")),
            SheetColumn(
                "kind", _("类别"), 10, aliases=("器材类别", "器材种类", "设施类别"), required=True
            ),
            SheetColumn("code", _("编号"), 12, aliases=("器材编号", "设备编号", "序号编号")),
            SheetColumn("name", _("名称"), 16, aliases=("器材名称",)),
            SheetColumn(
                "asset_type", _("类型"), 10, aliases=("型号类型", "灭火剂类型", "种类", "型号")
            ),
            SheetColumn("capacity", _("规格/容量"), 10, aliases=("规格", "容量", "规格型号")),
            SheetColumn("place", _("场所"), 16, aliases=("所在场所", "楼栋")),
            SheetColumn(
                "position", _("具体位置"), 18, aliases=("位置", "放置位置", "设置位置", "安装位置")
            ),
            SheetColumn("produced_on", _("生产日期"), 12, aliases=("出厂日期",)),
            SheetColumn(
                "expires_on",
                _("有效期至"),
                12,
                aliases=("有效期至（报废期限）", "有效期", "报废期限", "报废日期", "有效日期"),
            ),
            SheetColumn(
                "last_serviced_on",
                _("上次维修检测"),
                12,
                aliases=("上次检测", "上次维修", "维保日期"),
            ),
            SheetColumn("next_service_on", _("下次维修检测"), 12, aliases=("下次检测", "下次维修")),
            SheetColumn("last_checked_on", _("最近月检"), 12, export_only=True),
            SheetColumn("last_check_result", _("最近月检结果"), 10, export_only=True),
            SheetColumn("note", _("备注"), 20),
        ],
        due=[
            Due("expires_on", _("有效期（报废期限）"), warn_days=30),
            Due("next_service_on", _("下次维修检测"), warn_days=30),
        ],
        attachment_kinds=ATTACHMENT_KINDS,
        after_save=after_save,
        detail_context=detail_context,
        default_name=lambda values: default_name(values.get("kind"), values.get("code")),
        order=40,
    )
)
