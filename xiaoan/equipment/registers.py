"""The 一台一档 register's declaration (xiaoan.core.registers): everything its pages, API,
Excel sheets, due-date warnings, the overdue-inspection hazard and subject links are made
from."""

import datetime as dt

from django.db.models import Prefetch, Q
from django.utils.translation import gettext_lazy as _

from xiaoan.certificates.models import Certificate
from xiaoan.core.registers import Due, Register, SheetColumn, registry
from xiaoan.equipment import operators
from xiaoan.equipment.choices import ATTACHMENT_KINDS
from xiaoan.equipment.filtersets import EquipmentFilterSet
from xiaoan.equipment.forms import EquipmentForm
from xiaoan.equipment.models import Equipment
from xiaoan.equipment.rules import raise_overdue
from xiaoan.equipment.serializers import EquipmentSerializer


def operators_context(actor, item) -> dict:
    """The record page's operators with their validity marks."""
    return {"operator_rows": operators.rows(item)}


EQUIPMENT = registry.register(
    Register(
        key="equipment",
        model=Equipment,
        label=_("一台一档"),
        counters=lambda today: {
            "overdue": Q(next_inspection_on__lt=today),
            "soon": Q(next_inspection_on__lte=today + dt.timedelta(days=30)),
            # On the operators' certificates (`reads`): the home page's to-do.
            "no_operator": ~operators.has_valid_operator(today),
        },
        reads=("certificates.certificate",),
        ranked=("overdue",),
        description=_("特种设备档案：类别、使用登记、维保单位、定期检验、作业人员"),
        form=EquipmentForm,
        serializer=EquipmentSerializer,
        filterset=EquipmentFilterSet,
        list_fields=(
            "name",
            "kind",
            "code",
            "unit",
            "place",
            "maintainer",
            "last_inspected_on",
            "conclusion",
            "next_inspection_on",
        ),
        search_fields=("name", "code", "device_code", "maintainer", "note"),
        columns=[
            SheetColumn("unit", _("所属单位"), 18, aliases=("单位", "学校", "使用单位")),
            SheetColumn("name", _("设备名称"), 18, aliases=("名称",), required=True),
            SheetColumn(
                "kind", _("设备类别"), 12, aliases=("设备种类", "类别", "种类"), required=True
            ),
            SheetColumn(
                "code",
                _("使用登记证编号"),
                16,
                aliases=("登记证编号", "使用登记证号", "登记编号", "编号"),
            ),
            SheetColumn("device_code", _("设备代码"), 20, aliases=("注册代码", "设备注册代码")),
            SheetColumn("place", _("安装地点"), 16, aliases=("场所", "使用地点", "安装位置")),
            SheetColumn("model_spec", _("规格型号"), 12, aliases=("型号",)),
            SheetColumn("manufacturer", _("制造单位"), 16, aliases=("生产厂家", "制造厂家")),
            SheetColumn("maintainer", _("维保单位"), 18, aliases=("维护保养单位",)),
            SheetColumn(
                "maintainer_contact",
                _("维保联系人及电话"),
                16,
                aliases=("维保联系人", "维保电话", "联系电话"),
            ),
            SheetColumn(
                "last_inspected_on", _("上次定期检验日期"), 12, aliases=("检验日期", "上次检验日期")
            ),
            SheetColumn("conclusion", _("检验结论"), 10),
            SheetColumn(
                "next_inspection_on",
                _("下次定期检验日期"),
                12,
                aliases=("下次检验日期", "下次检验时间"),
                required=True,
            ),
            SheetColumn(
                "operators",
                _("作业人员"),
                24,
                aliases=("作业人员及证书编号", "操作人员", "持证人员"),
                parse=operators.parse_cell,
                resolve=operators.resolve_cell,
                render=operators.render_cell,
                same=operators.same_cell,
                help=_(
                    "填本单位持证上岗台账中在用的特种设备作业人员（锅炉为锅炉作业）证书的"
                    "姓名或证书编号，多人用、或；分隔，如“张三（T2024001）、李四”；留空不改动"
                ),
            ),
            SheetColumn("note", _("备注"), 20),
        ],
        due=[
            Due(
                "next_inspection_on",
                _("下次定期检验"),
                warn_days=30,
                on_overdue=raise_overdue,
            )
        ],
        attachment_kinds=ATTACHMENT_KINDS,
        prefetch_related=(Prefetch("operators", queryset=Certificate.objects.order_by("name")),),
        save_related=operators.save_operators,
        detail_context=operators_context,
        item_actions=[("equipment_inspection", _("登记定期检验"))],
        order=20,
    )
)
