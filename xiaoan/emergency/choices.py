from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanKind(models.TextChoices):
    """The three layers of a unit's plans (《生产安全事故应急预案管理办法》第六条)."""

    COMPREHENSIVE = "comprehensive", _("综合应急预案")
    SPECIAL = "special", _("专项应急预案")
    ONSITE = "onsite", _("现场处置方案")


class PlanTopic(models.TextChoices):
    """What a special plan or an on-site scheme is for (the emergencies schools plan for)."""

    FIRE = "fire", _("火灾")
    EARTHQUAKE = "earthquake", _("地震")
    FLOOD = "flood", _("防汛防台")
    FOOD_POISONING = "food_poisoning", _("食物中毒")
    EPIDEMIC = "epidemic", _("传染病疫情")
    INTRUSION = "intrusion", _("暴力侵害（校园入侵）")
    STAMPEDE = "stampede", _("拥挤踩踏")
    TRAFFIC = "traffic", _("交通事故")
    DROWNING = "drowning", _("溺水")
    GAS_LEAK = "gas_leak", _("燃气泄漏")
    WEATHER = "weather", _("极端天气")
    OTHER = "other", _("其他")


class TeamKind(models.TextChoices):
    FIRE_TEAM = "fire_team", _("义务消防队")
    RESCUE_SQUAD = "rescue_squad", _("应急救援队")


# The staffing rule of each team, as the plans set it (the built-in indicators "fire-team":
# 5–7 people, "rescue-squad": 3–5 people), the leader counted.
TEAM_SIZE: dict[str, tuple[int, int]] = {
    TeamKind.FIRE_TEAM: (5, 7),
    TeamKind.RESCUE_SQUAD: (3, 5),
}


class MemberRole(models.TextChoices):
    LEADER = "leader", _("队长")
    DEPUTY = "deputy", _("副队长")
    MEMBER = "member", _("队员")


PLAN_ATTACHMENT_KINDS = [
    ("document", _("预案文本")),
    ("approval", _("审批（发布）文件")),
    ("filing", _("备案回执")),
    ("drill", _("演练与评估记录")),
    ("other", _("其他")),
]

TEAM_ATTACHMENT_KINDS = [
    ("roster", _("队伍名单（文件）")),
    ("training", _("培训记录")),
    ("photo", _("照片")),
    ("other", _("其他")),
]
