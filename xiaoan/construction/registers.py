"""The 校园施工项目 register's declaration (xiaoan.core.registers)."""

from django.utils.translation import gettext_lazy as _

from xiaoan.construction import services
from xiaoan.construction.choices import ATTACHMENT_KINDS, ProjectStatus
from xiaoan.construction.filtersets import ConstructionProjectFilterSet
from xiaoan.construction.forms import ConstructionProjectForm
from xiaoan.construction.models import ConstructionProject
from xiaoan.construction.serializers import ConstructionProjectSerializer
from xiaoan.core.registers import Due, Register, SheetColumn, registry

PROJECTS = registry.register(
    Register(
        key="construction_projects",
        model=ConstructionProject,
        label=_("校园施工项目"),
        counters=lambda today: {
            "in_progress": services.status_condition(ProjectStatus.IN_PROGRESS, today),
            "uninspected": services.uninspected(today),
            "unsafe": services.unsafe(today),
            "expired": services.qualification_expired(today),
        },
        ranked=("unsafe", "uninspected"),
        # "Not inspected in 30 days": an inspection's every step recounts its unit.
        reads=("inspections.inspection",),
        description=_("校内施工：施工单位资质、安全管理协议、现场负责人、围挡隔离与施工检查"),
        form=ConstructionProjectForm,
        serializer=ConstructionProjectSerializer,
        filterset=ConstructionProjectFilterSet,
        list_fields=("name", "unit", "contractor", "starts_on", "ends_on", "segregated"),
        search_fields=("name", "code", "contractor", "site_manager", "location"),
        columns=[
            SheetColumn("unit", _("所属单位"), 18, aliases=("单位", "学校")),
            SheetColumn("name", _("项目名称"), 22, aliases=("名称", "工程名称"), required=True),
            SheetColumn("code", _("编号"), 12, aliases=("项目编号",)),
            SheetColumn("place", _("场所"), 18),
            SheetColumn("location", _("施工位置"), 18, aliases=("位置", "施工地点")),
            SheetColumn("contractor", _("施工单位"), 20, required=True),
            SheetColumn("qualification", _("施工资质"), 20, aliases=("资质", "资质等级")),
            SheetColumn("qualification_number", _("资质证书编号"), 18, aliases=("资质证号",)),
            SheetColumn("qualification_valid_until", _("资质有效期至"), 12),
            SheetColumn("agreement_signed", _("已签订安全管理协议"), 10, aliases=("安全协议",)),
            SheetColumn("agreement_signed_on", _("协议签订日期"), 12),
            SheetColumn("site_manager", _("现场负责人"), 10, required=True),
            SheetColumn(
                "site_manager_phone", _("现场负责人电话"), 14, aliases=("联系电话",), required=True
            ),
            SheetColumn("starts_on", _("开工日期"), 12, required=True),
            SheetColumn("ends_on", _("计划完工日期"), 12, aliases=("完工日期",), required=True),
            SheetColumn("segregated", _("硬质围挡隔离"), 10, aliases=("围挡隔离",)),
            SheetColumn(
                "status",
                _("状态"),
                10,
                export_only=True,
                # No model field (derived from the dates): written, never read.
                parse=lambda cell: None,
                render=lambda item: item.get_status_display(),
            ),
            SheetColumn("note", _("备注"), 20),
        ],
        due=[Due("qualification_valid_until", _("施工资质到期"), warn_days=30)],
        attachment_kinds=ATTACHMENT_KINDS,
        detail_context=services.detail_context,
        order=62,
    )
)
