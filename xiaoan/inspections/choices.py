from django.db import models
from django.utils.translation import gettext_lazy as _


class InspectionKind(models.TextChoices):
    SELF_CHECK = "self_check", _("自查")
    SUPERVISION = "supervision", _("督查")
    CROSS_CHECK = "cross_check", _("交叉检查")
    JOINT = "joint", _("联合抽查")
    THIRD_PARTY = "third_party", _("第三方检查")
    EXPERT = "expert", _("专家评估")
    UNANNOUNCED = "unannounced", _("暗访")
    CAMPAIGN = "campaign", _("专项检查")
    TERM_START = "term_start", _("开学/节假日检查")


# Outside inspections whose failed items count against the unit's own self-check (自查未发现).
OUTSIDE_KINDS = (
    InspectionKind.SUPERVISION,
    InspectionKind.UNANNOUNCED,
    InspectionKind.JOINT,
    InspectionKind.CROSS_CHECK,
    InspectionKind.EXPERT,
    InspectionKind.THIRD_PARTY,
)


class InspectionStatus(models.TextChoices):
    PLANNED = "planned", _("待检查")
    IN_PROGRESS = "in_progress", _("检查中")
    SUBMITTED = "submitted", _("已提交")
    CLOSED = "closed", _("已结束")


class InspectionAction(models.TextChoices):
    """The steps an inspection's history records (xiaoan.inspections.workflow)."""

    CREATE = "create", _("创建检查")
    SAVE_DRAFT = "save_draft", _("保存草稿")
    SUBMIT = "submit", _("提交检查")
    CLOSE = "close", _("结束检查")
    INVITE = "invite", _("邀请检查人员")
    UNINVITE = "uninvite", _("取消邀请")
    TEAM = "team", _("设置检查组")


# Not yet done: what an unannounced visit hides from its target while in this state.
PENDING_STATUSES = (InspectionStatus.PLANNED, InspectionStatus.IN_PROGRESS)
DONE_STATUSES = (InspectionStatus.SUBMITTED, InspectionStatus.CLOSED)


class ResultValue(models.TextChoices):
    PASS = "pass", _("符合")
    FAIL = "fail", _("不符合")
    NA = "na", _("不适用")


class InviteRole(models.TextChoices):
    INSPECTOR = "inspector", _("检查员")
    PEER = "peer", _("交叉检查人员")
    EXPERT = "expert", _("校外专家")
    THIRD_PARTY = "third_party", _("第三方机构")


# ---------------------------------------------------------------- schedules


class Recurrence(models.TextChoices):
    MONTHLY = "monthly", _("每月")
    BIMONTHLY = "bimonthly", _("每两月")
    QUARTERLY = "quarterly", _("每季度")
    SEMESTER = "semester", _("每学期（2–7 月、9–次年 1 月）")
    HALF_YEARLY = "half_yearly", _("每半年")
    YEARLY = "yearly", _("每年")


class ScheduleTarget(models.TextChoices):
    SCHOOLS = "schools", _("组织单位下的全部学校")
    KIND = "kind", _("组织单位下某一类型的全部单位")
    CHOSEN = "chosen", _("指定单位")
