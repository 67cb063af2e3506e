"""The plan and assignment workflows, declared once: every action with its states,
permission, page form, API request, service and label. The record pages' buttons and forms,
their POST views, the API action endpoints and `allowed_actions` all come from here
(xiaoan.core.workflow).

A report is the assignment's "report" step (its event names the report). A report of 已完成
does not finish the assignment: it becomes submitted (待审核) until the task's issuing unit
accepts it (done) or returns it with a reason (in progress, or overdue when past its next
deadline; the reporter is told). These Assignment actions are the entry points; they also
settle the report's own state (ProgressReport.review, plans/review.py), so a returned report
stays with its reason and the accepted one is the one that counts. Only accepted work counts
as done in the roll-up; a submitted assignment keeps the progress it had. A report may name
the milestone (dated deadline) it fulfils: see plans/deadlines.py.

Overdue and the roll-up of a decomposed task are system steps
(services.mark_overdue, services.recompute) written with no actor.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from xiaoan.core.workflow import ANY_STATE, Action, Workflow
from xiaoan.plans import forms, review, services
from xiaoan.plans.api import serializers as api
from xiaoan.plans.choices import AssignmentAction, PlanAction, PlanStatus, Progress
from xiaoan.plans.models import Assignment, AssignmentEvent, Plan, PlanEvent
from xiaoan.reports import rollups

PLAN = Workflow(
    Plan,
    states=PlanStatus,
    events=PlanAction,
    event_model=PlanEvent,
    on_move=services.plan_moved,
    stale_message=_("该方案已被他人处理，请刷新后查看最新状态。"),
    state_message=_("方案当前为“%(status)s”，不能执行“%(action)s”。"),
    actions=[
        Action(
            name="activate",
            label=_("下发"),
            sources=[PlanStatus.DRAFT],
            target=PlanStatus.ACTIVE,
            permission="plans.change_plan",
            service=services.activate_plan,
            form=forms.ActivateForm,
            serializer=api.PlanVersionedSerializer,
            style="primary",
            confirm=_("确定下发？各项任务将分解到承办单位。"),
            api_summary=_("下发方案（草稿 → 执行中，任务分解到各单位）"),
        ),
        Action(
            name="close",
            label=_("结束方案"),
            sources=[PlanStatus.ACTIVE],
            target=PlanStatus.CLOSED,
            permission="plans.change_plan",
            service=services.close_plan,
            form=forms.CloseForm,
            serializer=api.PlanCloseSerializer,
            style="danger",
            confirm=_("确定结束该方案？"),
            api_summary=_("结束方案（执行中 → 已结束）"),
        ),
    ],
)

REPORTED = (Progress.IN_PROGRESS, Progress.SUBMITTED, Progress.ONGOING, Progress.OVERDUE)

ASSIGNMENT = Workflow(
    Assignment,
    states=Progress,
    events=AssignmentAction,
    event_model=AssignmentEvent,
    on_move=rollups.on_move("plans"),
    stale_message=_("该任务已被他人报送或处理，请刷新后查看最新状态。"),
    state_message=_("任务当前为“%(status)s”，不能执行“%(action)s”。"),
    actions=[
        Action(
            # Any state while the plan is active (its guard); a late "in progress" stays
            # overdue.
            name="report",
            label=_("报送进展"),
            sources=[ANY_STATE],
            target=REPORTED,
            permission="plans.report_plan",
            service=services.report_progress,
            form=forms.ReportForm,
            serializer=api.PlanReportInputSerializer,
            photos="",
            guard=services.may_report,
            style="primary",
            api_summary=_("报送进展"),
            api_status=201,
        ),
        Action(
            # A report of 已完成 leaves the assignment submitted (待审核): the people with
            # the right at the task's issuing unit accept it (only then done) …
            name="accept",
            label=_("审核通过"),
            sources=[Progress.SUBMITTED],
            target=Progress.DONE,
            permission="plans.change_plan",
            service=review.accept_report,
            form=forms.AcceptForm,
            serializer=api.PlanReviewSerializer,
            style="primary",
            api_summary=_("下达单位审核通过报送的完成情况（待审核 → 已完成）"),
        ),
        Action(
            # … or return it with the reason: in progress again (overdue when late).
            name="return_report",
            label=_("退回"),
            sources=[Progress.SUBMITTED],
            target=(Progress.IN_PROGRESS, Progress.OVERDUE),
            permission="plans.change_plan",
            service=review.return_report,
            form=forms.ReturnForm,
            serializer=api.PlanReviewSerializer,
            note=True,
            style="danger",
            api_summary=_("下达单位退回报送的完成情况（须填写理由；待审核 → 进行中）"),
        ),
        Action(
            # By the people who manage the assigned school, not the task's issuer: the
            # guard checks the right on the assignment's own unit.
            name="decompose",
            label=_("分解到各处室"),
            sources=[ANY_STATE],
            target=None,
            permission="plans.change_plan",
            scoped=False,
            service=services.decompose,
            form=forms.DecomposeForm,
            serializer=api.PlanDecomposeSerializer,
            guard=services.may_decompose,
            api_summary=_("学校把任务分解到本校处室"),
        ),
    ],
)
