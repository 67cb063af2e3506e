"""The 技防 registers' declarations (xiaoan.core.registers): video surveillance points and
one-click alarm points, two registers of one app sharing its URL namespace."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xiaoan.cameras.choices import ALARM_ATTACHMENTS, CAMERA_ATTACHMENTS, CameraStatus
from xiaoan.cameras.filtersets import AlarmPointFilterSet, CameraFilterSet
from xiaoan.cameras.forms import AlarmPointForm, CameraForm
from xiaoan.cameras.models import AlarmPoint, Camera, standard_name
from xiaoan.cameras.serializers import AlarmPointSerializer, CameraSerializer
from xiaoan.core.registers import Due, Register, SheetColumn, registry


def _camera_name(values: dict) -> str:
    return standard_name(values.get("unit"), values.get("location", ""), values.get("direction"))


CAMERAS = registry.register(
    Register(
        key="cameras",
        model=Camera,
        label=_("视频监控点位"),
        description=_("视频监控点位：命名、重点部位、接入上级平台与公安、巡检与运行状态"),
        counters=lambda today: {
            "not_connected": Q(platform_connected=False),
            "no_police": Q(police_connected=False),
            "faulty": Q(status=CameraStatus.FAULTY),
            "check_overdue": Q(next_check_on__isnull=True) | Q(next_check_on__lt=today),
        },
        ranked=("not_connected", "faulty"),
        form=CameraForm,
        serializer=CameraSerializer,
        filterset=CameraFilterSet,
        list_fields=(
            "name",
            "unit",
            "key_area",
            "platform_connected",
            "police_connected",
            "status",
            "last_checked_on",
            "next_check_on",
        ),
        search_fields=("name", "code", "location", "note"),
        select_related=("unit", "place__parent__parent"),
        columns=[
            SheetColumn("unit", _("所属单位"), 18, aliases=("单位", "学校")),
            SheetColumn("location", _("安装位置"), 18, aliases=("位置", "点位位置"), required=True),
            SheetColumn("direction", _("朝向"), 8, aliases=("方向",), required=True),
            SheetColumn(
                "name",
                _("点位名称"),
                28,
                aliases=("名称", "监控点位名称"),
                help=str(_("按“学校名称-安装位置-朝向”命名，不填则自动生成")),
            ),
            SheetColumn("code", _("编号"), 12, aliases=("点位编号", "设备编号")),
            SheetColumn("key_area", _("重点部位"), 10, aliases=("覆盖部位", "部位"), required=True),
            SheetColumn("place", _("场所"), 16, aliases=("所在场所",)),
            SheetColumn("platform_connected", _("接入上级平台"), 10, aliases=("联网上级平台",)),
            SheetColumn("police_connected", _("接入公安"), 10, aliases=("联网公安",)),
            SheetColumn("status", _("运行状态"), 8, aliases=("状态",)),
            SheetColumn("last_checked_on", _("最近巡检日期"), 12, aliases=("巡检日期",)),
            SheetColumn("last_check_result", _("最近巡检结果"), 10, aliases=("巡检结果",)),
            SheetColumn("next_check_on", _("下次巡检"), 12, export_only=True),
            SheetColumn("note", _("备注"), 20),
        ],
        due=[Due("next_check_on", _("监控点位巡检"), warn_days=7)],
        attachment_kinds=CAMERA_ATTACHMENTS,
        default_name=_camera_name,
        namespace="cameras",
        order=60,
    )
)

ALARM_POINTS = registry.register(
    Register(
        key="alarm_points",
        model=AlarmPoint,
        label=_("一键报警点位"),
        description=_("一键报警点位：安装位置、联网公安与定期测试"),
        counters=lambda today: {
            "not_linked": Q(police_linked=False),
            "untested": Q(next_test_on__isnull=True) | Q(next_test_on__lt=today),
        },
        ranked=("not_linked",),
        form=AlarmPointForm,
        serializer=AlarmPointSerializer,
        filterset=AlarmPointFilterSet,
        list_fields=("name", "unit", "place", "police_linked", "last_tested_on", "next_test_on"),
        search_fields=("name", "code", "location", "note"),
        select_related=("unit", "place__parent__parent"),
        columns=[
            SheetColumn("unit", _("所属单位"), 18, aliases=("单位", "学校")),
            SheetColumn("location", _("安装位置"), 18, aliases=("位置",), required=True),
            SheetColumn("name", _("名称"), 18, aliases=("点位名称",)),
            SheetColumn("code", _("编号"), 12),
            SheetColumn("place", _("场所"), 16, aliases=("所在场所",)),
            SheetColumn("police_linked", _("联网公安"), 10, aliases=("接入公安",)),
            SheetColumn("last_tested_on", _("最近测试日期"), 12, aliases=("测试日期",)),
            SheetColumn("next_test_on", _("下次测试"), 12, export_only=True),
            SheetColumn("note", _("备注"), 20),
        ],
        due=[Due("next_test_on", _("一键报警测试"), warn_days=7)],
        attachment_kinds=ALARM_ATTACHMENTS,
        default_name=lambda values: (values.get("location") or "").strip(),
        namespace="cameras",
        order=61,
    )
)
