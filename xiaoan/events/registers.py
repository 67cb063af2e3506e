"""The 大型活动 register's declaration (xiaoan.core.registers)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xiaoan.core.registers import Register, SheetColumn, registry
from xiaoan.events import services
from xiaoan.events.choices import ATTACHMENT_KINDS
from xiaoan.events.filtersets import EventFilterSet, signoff_condition
from xiaoan.events.forms import EventForm
from xiaoan.events.models import Event
from xiaoan.events.serializers import LargeEventSerializer

EVENTS = registry.register(
    Register(
        key="events",
        model=Event,
        label=_("大型活动"),
        counters=lambda today: {
            "upcoming": signoff_condition("upcoming", today),
            "upcoming_unsigned": signoff_condition("upcoming_unsigned", today),
            "missed": signoff_condition("missed", today),
            # The home page's to-do (xiaoan.events.todos): within 7 days, and of them today.
            "soon_unsigned": signoff_condition("soon", today),
            "today_unsigned": signoff_condition("soon", today) & Q(starts_on=today),
        },
        ranked=("missed", "upcoming_unsigned"),
        description=_(
            "考试、开学、毕业典礼、运动会、研学旅行、文艺演出：安全方案、活动前检查与签批"
        ),
        form=EventForm,
        serializer=LargeEventSerializer,
        filterset=EventFilterSet,
        list_fields=("name", "kind", "unit", "starts_on", "participants", "signed_off_at"),
        search_fields=("name", "code", "destination", "organiser"),
        select_related=("unit", "place", "signed_off_by"),
        columns=[
            SheetColumn("unit", _("所属单位"), 18, aliases=("单位", "学校")),
            SheetColumn("name", _("活动名称"), 22, aliases=("名称", "活动"), required=True),
            SheetColumn("code", _("编号"), 12),
            SheetColumn("kind", _("活动类别"), 12, aliases=("类别", "类型"), required=True),
            SheetColumn(
                "starts_on", _("开始日期"), 12, aliases=("活动日期", "日期"), required=True
            ),
            SheetColumn("ends_on", _("结束日期"), 12),
            SheetColumn("place", _("场所"), 18),
            SheetColumn("destination", _("活动地点或目的地"), 22, aliases=("地点", "目的地")),
            SheetColumn(
                "participants", _("预计参加人数"), 12, aliases=("人数", "参加人数"), required=True
            ),
            SheetColumn("organiser", _("活动负责人"), 12, aliases=("负责人",), required=True),
            SheetColumn("organiser_phone", _("负责人电话"), 14, aliases=("联系电话", "电话")),
            SheetColumn("safety_plan", _("安全工作方案摘要"), 30, aliases=("安全方案",)),
            SheetColumn("signed_off_at", _("签批时间"), 18, export_only=True),
            SheetColumn("note", _("备注"), 20),
        ],
        attachment_kinds=ATTACHMENT_KINDS,
        after_save=services.withdraw_changed_signoff,
        detail_context=services.detail_context,
        item_actions=[],
        order=60,
    )
)
