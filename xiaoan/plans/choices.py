"""Plan vocabulary: lifecycle, progress statuses, deadline kinds."""

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ACTIVE = "active", _("执行中")
    CLOSED = "closed", _("已结束")


class PlanAction(models.TextChoices):
    """The steps of a plan's history (its workflow: xiaoan.plans.workflow)."""

    CREATE = "create", _("创建")
    ACTIVATE = "activate", _("下发")
    CLOSE = "close", _("结束方案")


class Progress(models.TextChoices):
    NOT_STARTED = "not_started", _("未开始")
    IN_PROGRESS = "in_progress", _("进行中")
    DONE = "done", _("已完成")
    # A report of 已完成 awaits the issuing unit's review; only accepted counts as done.
    SUBMITTED = "submitted", _("待审核")
    OVERDUE = "overdue", _("已逾期")
    ONGOING = "ongoing", _("长期坚持")


# What an assignee may report; overdue is set by the daily pass, not by people.
REPORT_STATUSES = (Progress.IN_PROGRESS, Progress.DONE, Progress.ONGOING)
REPORT_STATUS_CHOICES = [(s.value, s.label) for s in REPORT_STATUSES]
FINISHED = (Progress.DONE, Progress.ONGOING)
OPEN = (Progress.NOT_STARTED, Progress.IN_PROGRESS)


def current_progress(status: str, due_on: dt.date | None, today: dt.date) -> str:
    """The one overdue rule, used by the roll-up, the daily pass and every page: work past
    its deadline that is neither done nor 长期坚持 is 已逾期, whether or not the daily pass
    has written it down yet (so a task, its grid cells and 我的任务 always agree)."""
    if status in OPEN and due_on is not None and due_on < today:
        return Progress.OVERDUE
    return status


class AssignmentAction(models.TextChoices):
    """The steps of an assignment's history: people report and decompose; the system
    assigns, marks overdue and rolls a decomposed task's progress up."""

    ASSIGN = "assign", _("下达任务")
    REPORT = "report", _("报送进展")
    DECOMPOSE = "decompose", _("分解到各处室")
    OVERDUE = "overdue", _("逾期")
    ROLLUP = "rollup", _("汇总处室进展")
    ACCEPT = "accept", _("审核通过")
    RETURN = "return_report", _("退回")


class ReportReview(models.TextChoices):
    """A progress report's own state. A report of 已完成 is submitted for the issuer's
    review: accepted (the one that counts as done) or returned with the reason; any other
    report is noted as it is."""

    NOTED = "noted", _("已报送")
    SUBMITTED = "submitted", _("待审核")
    ACCEPTED = "accepted", _("已通过")
    RETURNED = "returned", _("已退回")


REVIEW_COLOURS = {
    ReportReview.NOTED: "secondary",
    ReportReview.SUBMITTED: "warning",
    ReportReview.ACCEPTED: "success",
    ReportReview.RETURNED: "danger",
}


class DeadlineKind(models.TextChoices):
    DATE = "date", _("日期")
    IMMEDIATE = "immediate", _("立即")
    ONGOING = "ongoing", _("长期坚持")


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    DISCARDED = "discarded", _("已放弃")


# Bootstrap colours of the progress table.
PROGRESS_COLOURS = {
    Progress.NOT_STARTED: "secondary",
    Progress.IN_PROGRESS: "primary",
    Progress.DONE: "success",
    Progress.SUBMITTED: "warning",
    Progress.OVERDUE: "danger",
    Progress.ONGOING: "info",
}
