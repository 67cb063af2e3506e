"""The 一楼一档 register's declaration (xiaoan.core.registers): everything its pages, API,
Excel sheets, due-date warnings and subject links are made from."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xiaoan.buildings.choices import ATTACHMENT_KINDS, DANGEROUS
from xiaoan.buildings.filtersets import BuildingFilterSet
from xiaoan.buildings.forms import BuildingForm
from xiaoan.buildings.models import BuildingFile
from xiaoan.buildings.rules import raise_danger
from xiaoan.buildings.serializers import BuildingSerializer
from xiaoan.core.registers import Due, Register, SheetColumn, registry

BUILDINGS = registry.register(
    Register(
        key="buildings",
        model=BuildingFile,
        label=_("一楼一档"),
        counters=lambda today: {
            "dangerous": Q(appraisal_grade__in=DANGEROUS),
            "high_rise": Q(is_high_rise=True),
            "overdue": Q(next_appraisal_on__lt=today),
        },
        ranked=("dangerous",),
        description=_("校舍楼栋档案：用途、层数与高度、安全鉴定、消防设施、疏散"),
        form=BuildingForm,
        serializer=BuildingSerializer,
        filterset=BuildingFilterSet,
        list_fields=(
            "name",
            "code",
            "unit",
            "use",
            "floors_above",
            "height",
            "is_high_rise",
            "appraisal_grade",
            "next_appraisal_on",
        ),
        search_fields=("name", "code", "note"),
        columns=[
            SheetColumn("unit", _("所属单位"), 18, aliases=("单位", "学校")),
            SheetColumn("name", _("名称"), 18, aliases=("楼栋名称", "建筑名称"), required=True),
            SheetColumn("code", _("编号"), 12, aliases=("楼栋编号",)),
            SheetColumn("place", _("场所"), 16),
            SheetColumn("use", _("用途"), 10, required=True),
            SheetColumn("floors_above", _("地上层数"), 8, aliases=("层数",), required=True),
            SheetColumn("floors_below", _("地下层数"), 8),
            SheetColumn("height", _("建筑高度（米）"), 10, aliases=("高度", "建筑高度")),
            SheetColumn("is_high_rise", _("高层建筑"), 8, export_only=True),
            SheetColumn("floor_area", _("建筑面积（平方米）"), 12, aliases=("建筑面积",)),
            SheetColumn("year_built", _("建成年份"), 8, aliases=("建成年代", "建造年份")),
            SheetColumn("structure", _("结构类型"), 12, aliases=("结构",)),
            SheetColumn("appraisal_grade", _("安全鉴定等级"), 10, aliases=("鉴定等级",)),
            SheetColumn("appraised_on", _("鉴定日期"), 12),
            SheetColumn("next_appraisal_on", _("下次鉴定日期"), 12),
            SheetColumn("fire_alarm", _("火灾自动报警系统"), 8, aliases=("自动报警",)),
            SheetColumn("sprinklers", _("自动喷水灭火系统"), 8, aliases=("自动喷淋", "喷淋")),
            SheetColumn("hydrants", _("室内消火栓"), 8, aliases=("消火栓",)),
            SheetColumn("smoke_exhaust", _("防排烟系统"), 8, aliases=("防排烟",)),
            SheetColumn("fire_acceptance", _("消防验收"), 12),
            SheetColumn("fire_accepted_on", _("验收（备案）日期"), 12, aliases=("验收日期",)),
            SheetColumn("exits", _("安全出口数"), 8),
            SheetColumn("evacuation_routes", _("疏散通道与楼梯"), 24, aliases=("疏散通道",)),
            SheetColumn("note", _("备注"), 20),
        ],
        due=[Due("next_appraisal_on", _("下次安全鉴定"), warn_days=30)],
        attachment_kinds=ATTACHMENT_KINDS,
        after_save=raise_danger,
        order=10,
    )
)
