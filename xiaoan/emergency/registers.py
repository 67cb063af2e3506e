"""The declarations of the 应急预案 and 应急队伍 registers (xiaoan.core.registers): their
pages, API, Excel sheets, due-date warnings and subject links are made from these.

Re-import matches the layer's natural key: 预案编号 / 队伍编号 (code) within the unit, or the
name when there is no code (see models.py for why a plan's version is not in the key). A
team's members come in two cells, 队长 and 队员 (services.py says how they are written)."""

import datetime as dt

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xiaoan.core.registers import Due, Register, SheetColumn, registry
from xiaoan.emergency.choices import PLAN_ATTACHMENT_KINDS, TEAM_ATTACHMENT_KINDS
from xiaoan.emergency.filtersets import PlanFilterSet, TeamFilterSet
from xiaoan.emergency.forms import PlanForm, TeamForm
from xiaoan.emergency.models import EmergencyPlan, EmergencyTeam
from xiaoan.emergency.serializers import EmergencyPlanSerializer, EmergencyTeamSerializer
from xiaoan.emergency.services import (
    parse_leader,
    parse_people,
    render_leader,
    render_members,
    save_roster,
    semester_start,
)

# As the register's Due: a plan is due for revision this many days ahead.
WARN_DAYS = 30

PLANS = registry.register(
    Register(
        key="emergency_plans",
        model=EmergencyPlan,
        label=_("应急预案"),
        counters=lambda today: {
            "due": Q(next_revision_on__lte=today + dt.timedelta(days=WARN_DAYS)),
        },
        ranked=("due",),
        description=_("综合预案、专项预案与现场处置方案：版本、审批、修订与备案"),
        form=PlanForm,
        serializer=EmergencyPlanSerializer,
        filterset=PlanFilterSet,
        list_fields=(
            "name",
            "code",
            "unit",
            "kind",
            "topic",
            "version",
            "approved_on",
            "next_revision_on",
            "filed",
        ),
        search_fields=("name", "code", "approved_by", "note"),
        columns=[
            SheetColumn("unit", _("所属单位"), 18, aliases=("单位", "学校")),
            SheetColumn("name", _("预案名称"), 24, aliases=("名称", "预案", "标题"), required=True),
            SheetColumn("code", _("预案编号"), 12, aliases=("编号",)),
            SheetColumn("kind", _("预案类别"), 12, aliases=("类别", "预案类型"), required=True),
            SheetColumn("topic", _("事件类型"), 12, aliases=("专项类型", "事件类别")),
            SheetColumn("version", _("版本"), 10, aliases=("版本号",), required=True),
            SheetColumn("approved_by", _("审批（签发）人"), 10, aliases=("审批人", "签发人")),
            SheetColumn("approved_on", _("审批日期"), 12, aliases=("发布日期", "签发日期")),
            SheetColumn("next_revision_on", _("下次修订日期"), 12, aliases=("修订日期",)),
            SheetColumn("filed", _("已备案"), 8, aliases=("是否备案", "备案")),
            SheetColumn("filed_on", _("备案日期"), 12),
            SheetColumn("filed_with", _("备案部门"), 16, aliases=("备案单位",)),
            SheetColumn("note", _("备注"), 20),
        ],
        due=[Due("next_revision_on", _("预案修订"), warn_days=WARN_DAYS)],
        attachment_kinds=PLAN_ATTACHMENT_KINDS,
        order=60,
    )
)

TEAMS = registry.register(
    Register(
        key="emergency_teams",
        model=EmergencyTeam,
        label=_("应急队伍"),
        counters=lambda today: {
            "short": Q(is_staffed=False),
            # Not in an evaluated drill this semester (xiaoan.drills): not ready.
            "undrilled": Q(last_drilled_on__isnull=True)
            | Q(last_drilled_on__lt=semester_start(today)),
        },
        ranked=("short", "undrilled"),
        description=_("义务消防队（5–7人）与应急救援队（3–5人）：队长、队员与配备情况"),
        form=TeamForm,
        serializer=EmergencyTeamSerializer,
        filterset=TeamFilterSet,
        list_fields=(
            "name",
            "code",
            "unit",
            "kind",
            "leader_name",
            "member_count",
            "is_staffed",
            "last_drilled_on",
        ),
        search_fields=("name", "code", "leader_name", "note"),
        columns=[
            SheetColumn("unit", _("所属单位"), 18, aliases=("单位", "学校")),
            SheetColumn("name", _("队伍名称"), 20, aliases=("名称", "队伍"), required=True),
            SheetColumn("code", _("队伍编号"), 10, aliases=("编号",)),
            SheetColumn("kind", _("队伍类别"), 12, aliases=("类别",), required=True),
            SheetColumn(
                "sheet_leader",
                _("队长"),
                20,
                aliases=("负责人",),
                parse=parse_leader,
                render=render_leader,
                help=_("一人，写作 姓名（职务，手机号）；职务、手机号可省略"),
            ),
            SheetColumn(
                "sheet_members",
                _("队员"),
                48,
                aliases=("成员", "队员名单"),
                parse=parse_people,
                render=render_members,
                help=_(
                    "多人用“、”分隔，每人写作 姓名（职务，手机号）；留空则保留原名单，"
                    "填写则以本表为准替换"
                ),
            ),
            SheetColumn("member_count", _("人数"), 6, export_only=True),
            SheetColumn("is_staffed", _("按要求配齐"), 8, export_only=True),
            SheetColumn("last_drilled_on", _("最近参加演练"), 12, export_only=True),
            SheetColumn("note", _("备注"), 20),
        ],
        attachment_kinds=TEAM_ATTACHMENT_KINDS,
        prefetch_related=("members",),
        save_related=save_roster,
        select_related=("unit", "place"),
        order=61,
    )
)
