from django.db import models
from django.utils.translation import gettext_lazy as _


class HazardStatus(models.TextChoices):
    REPORTED = "reported", _("待确认")
    # Confirmed (level set), not yet given to an owner: it no longer waits for confirmation.
    CONFIRMED = "confirmed", _("待交办")
    ASSIGNED = "assigned", _("待整改")
    RECTIFYING = "rectifying", _("整改中")
    SUBMITTED = "submitted", _("待验收")
    CLOSED = "closed", _("已销号")
    DISMISSED = "dismissed", _("不构成隐患")


OPEN_STATUSES = (
    HazardStatus.REPORTED,
    HazardStatus.CONFIRMED,
    HazardStatus.ASSIGNED,
    HazardStatus.RECTIFYING,
    HazardStatus.SUBMITTED,
)

# States in which a supervised unit owes the supervising unit an answer (a submitted fix
# answers it).
AWAITING_ANSWER = (
    HazardStatus.REPORTED,
    HazardStatus.CONFIRMED,
    HazardStatus.ASSIGNED,
    HazardStatus.RECTIFYING,
)


class HazardLevel(models.TextChoices):
    GENERAL = "general", _("一般隐患")
    MAJOR = "major", _("重大隐患")


class HazardSource(models.TextChoices):
    SELF_CHECK = "self_check", _("日常排查")
    INSPECTION = "inspection", _("检查发现")
    SNAPSHOT = "snapshot", _("随手拍")
    ALERT = "alert", _("预警转入")
    SUPERIOR = "superior", _("上级督查发现")
    DRILL = "drill", _("演练评估发现")
    INCIDENT = "incident", _("事件复盘发现")
    RISK_CHECK = "risk_check", _("风险管控检查发现")
    PUBLIC = "public", _("群众举报")


class HazardAction(models.TextChoices):
    REPORT = "report", _("上报")
    CONFIRM = "confirm", _("确认")
    DISMISS = "dismiss", _("不构成隐患")
    ASSIGN = "assign", _("交办")
    FIX_ON_SPOT = "fix_on_spot", _("立查立改")
    START = "start", _("开始整改")
    PROGRESS = "progress", _("整改进展")
    CONTROL = "control", _("临时管控措施")
    SUBMIT = "submit", _("提交验收")
    VERIFY = "verify", _("验收通过，待督办单位认可")
    CLOSE = "close", _("验收通过，销号")
    REJECT = "reject", _("验收不通过")
    EXTENSION_REQUEST = "extension_request", _("申请延期")
    EXTENSION_APPROVE = "extension_approve", _("同意延期")
    EXTENSION_REJECT = "extension_reject", _("不同意延期")
    SUPERVISE = "supervise", _("挂牌督办")
    SUPERVISION_ANSWER = "supervision_answer", _("答复督办")
    SUPERVISION_ACCEPT = "supervision_accept", _("督办单位认可销号")
    SUPERVISION_REJECT = "supervision_reject", _("督办单位不认可，退回整改")
    OVERDUE = "overdue", _("逾期")
    RECURRENCE = "recurrence", _("屡查屡犯")
    REOPEN = "reopen", _("销号复核不合格，重新整改")


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已同意")
    REJECTED = "rejected", _("未同意")
