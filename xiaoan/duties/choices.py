from django.db import models
from django.utils.translation import gettext_lazy as _


class DutyRecurrence(models.TextChoices):
    """The inspection schedules' recurrences (same values, so `schedules.period_of` serves
    both) plus a one-off duty such as the three-year summary."""

    MONTHLY = "monthly", _("每月")
    BIMONTHLY = "bimonthly", _("每两月")
    QUARTERLY = "quarterly", _("每季度")
    SEMESTER = "semester", _("每学期（2–7 月、9–次年 1 月）")
    HALF_YEARLY = "half_yearly", _("每半年")
    YEARLY = "yearly", _("每年")
    ONCE = "once", _("一次性")


class DutyTarget(models.TextChoices):
    SCHOOLS = "schools", _("发布单位下的全部学校")
    KIND = "kind", _("发布单位下某一类型的全部单位")


class DueRule(models.TextChoices):
    PERIOD_END = "period_end", _("周期结束前")
    AFTER_START = "after_start", _("周期开始后若干天内")
    AFTER_END = "after_end", _("周期结束后若干天内")
    FIXED_DATES = "fixed_dates", _("固定日期（如 6-30、12-31）")
    # The periods are the windows of the proof source (an education day's days, a month):
    # the obligation runs over the window and is due at its end (xiaoan.duties.proofs).
    WINDOW = "window", _("按活动时段（教育日历）")


class ProofKind(models.TextChoices):
    INSPECTION = "inspection", _("完成相应类型的检查")
    RECORD = "record", _("上传记录")
    # Proved by another app's records (xiaoan.duties.proofs): a recorded and evaluated drill,
    # an education activity held.
    DRILL = "drill", _("完成并评估演练")
    ACTIVITY = "activity", _("开展安全教育活动")
    RISK_CHECK = "risk_check", _("完成风险管控检查")


class RecordKind(models.TextChoices):
    DRILL = "drill", _("演练记录")
    SUMMARY = "summary", _("工作总结")
    STAGE_REPORT = "stage_report", _("阶段报告")
    SCREENING = "screening", _("排查记录")
    REVIEW = "review", _("督查点评")
    OTHER = "other", _("其他记录")


class DutyStatus(models.TextChoices):
    """A duty is active (generates each period's obligations) or stopped (generates nothing
    new; what it generated stays)."""

    ACTIVE = "active", _("启用中")
    STOPPED = "stopped", _("已停用")


class DutyAction(models.TextChoices):
    """The steps of a duty's history."""

    CREATE = "create", _("发布")
    STOP = "stop", _("停用")
    RESUME = "resume", _("恢复启用")


class ObligationStatus(models.TextChoices):
    """`review`: a record awaits the issuing unit's review (a duty with `requires_review`);
    only an accepted record counts towards met."""

    PENDING = "pending", _("待完成")
    REVIEW = "review", _("待审核")
    MET = "met", _("已完成")
    MISSED = "missed", _("未按期完成")


class ObligationAction(models.TextChoices):
    """The steps of an obligation's history; `met`/`missed` are the daily evaluation's."""

    GENERATE = "generate", _("生成")
    RECORD = "record", _("报送记录")
    ACCEPT = "accept", _("审核通过")
    RETURN = "return", _("退回")
    MET = "met", _("判定完成")
    MISSED = "missed", _("判定未按期完成")


class RecordReview(models.TextChoices):
    """A record's review by the issuing unit; "" when its duty needs none (it counts)."""

    NONE = "", _("无需审核")
    PENDING = "pending", _("待审核")
    ACCEPTED = "accepted", _("审核通过")
    RETURNED = "returned", _("已退回")


# The records that count towards an obligation's required number.
COUNTED_REVIEWS = (RecordReview.NONE, RecordReview.ACCEPTED)
