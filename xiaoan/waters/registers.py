"""The 重点水域 register's declaration (xiaoan.core.registers)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xiaoan.core.registers import Register, SheetColumn, registry
from xiaoan.waters import rules
from xiaoan.waters.choices import ATTACHMENT_KINDS
from xiaoan.waters.filtersets import WaterFilterSet
from xiaoan.waters.forms import WaterForm
from xiaoan.waters.models import Water, unpatrolled
from xiaoan.waters.serializers import WaterSerializer


def detail_context(actor: Any, item: Water) -> dict:
    """The record page's latest patrols."""
    from xiaoan.waters.models import WaterPatrol

    patrols = list(
        WaterPatrol.objects.filter(water=item).select_related("recorded_by", "hazard")[:20]
    )
    return {"patrols": patrols, "due_patrol": item.due_patrol()}


WATERS = registry.register(
    Register(
        key="waters",
        model=Water,
        label=_("重点水域"),
        description=_(
            "学校周边河流、水库、池塘等危险水域：责任人、警示标志、救生设施与防溺水季巡查"
        ),
        counters=lambda today: {
            "unpatrolled": unpatrolled(today),
            "no_signs": Q(has_signs=False),
        },
        ranked=("unpatrolled", "no_signs"),
        form=WaterForm,
        serializer=WaterSerializer,
        filterset=WaterFilterSet,
        list_fields=(
            "name",
            "kind",
            "unit",
            "village",
            "contact_person",
            "has_signs",
            "sign_count",
            "last_patrolled_on",
        ),
        search_fields=("name", "code", "location", "village", "contact_person"),
        prefetch_related=("schools",),
        columns=[
            SheetColumn("unit", _("所属单位"), 18, aliases=("单位", "学校")),
            SheetColumn("name", _("名称"), 18, aliases=("水域名称",), required=True),
            SheetColumn("code", _("编号"), 10),
            SheetColumn("kind", _("类型"), 10, aliases=("水域类型",), required=True),
            SheetColumn("location", _("位置"), 24, aliases=("具体位置", "地点"), required=True),
            SheetColumn("latitude", _("纬度"), 10),
            SheetColumn("longitude", _("经度"), 10),
            SheetColumn(
                "village",
                _("责任村（社区）"),
                14,
                aliases=("责任村", "所在村（社区）"),
                required=True,
            ),
            SheetColumn("contact_person", _("责任人"), 10, aliases=("联系人",), required=True),
            SheetColumn("contact_phone", _("联系电话"), 14, aliases=("电话",), required=True),
            SheetColumn("has_signs", _("设有警示标志"), 10, aliases=("警示标志",)),
            SheetColumn("sign_count", _("警示标志数量"), 10, aliases=("标志数量",)),
            SheetColumn("rescue_equipment", _("救生设施"), 18, aliases=("救生器材",)),
            SheetColumn(
                "schools",
                _("关联学校"),
                24,
                aliases=("周边学校",),
                parse=rules.parse_schools,
                render=rules.render_schools,
                same=rules.same_schools,
                help=str(_("多个学校用顿号分隔，须是所属单位管辖范围内的学校")),
            ),
            SheetColumn("last_patrolled_on", _("最近巡查"), 12, export_only=True),
            SheetColumn("note", _("备注"), 20),
        ],
        attachment_kinds=ATTACHMENT_KINDS,
        save_related=rules.save_schools,
        detail_context=detail_context,
        item_actions=[("water_patrol", _("登记巡查"))],
        order=70,
    )
)
