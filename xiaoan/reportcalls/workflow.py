"""The report's workflow, declared once (xiaoan.core.workflow): drafting → submitted →
accepted, or returned (with a reason) → drafting again when the unit edits it. The unit
edits (its own page and PATCH /api/reports/{id}/), refreshes its figures and submits; the
calling authority's people accept or return (the guard: they hold the right at the call's
unit, not the reporting unit's own people)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from xiaoan.core.workflow import Action, Workflow
from xiaoan.reportcalls import forms, services
from xiaoan.reportcalls.api import serializers as api
from xiaoan.reportcalls.choices import ReportAction, ReportStatus
from xiaoan.reportcalls.models import Report, ReportEvent

S = ReportStatus
OPEN = (S.DRAFTING, S.RETURNED)

REPORT = Workflow(
    Report,
    states=ReportStatus,
    events=ReportAction,
    event_model=ReportEvent,
    stale_message=_("该上报材料已有变化，请刷新后查看最新状态。"),
    state_message=_("上报材料当前为“%(status)s”，不能执行“%(action)s”。"),
    actions=[
        Action(
            # The draft's page (report_edit) and PATCH /api/reports/{id}/.
            name="edit",
            label=_("修改草稿"),
            sources=OPEN,
            target=S.DRAFTING,
            permission="reportcalls.change_report",
            service=services.edit,
            api=False,
        ),
        Action(
            name="refresh",
            label=_("更新数据"),
            sources=OPEN,
            target=None,
            permission="reportcalls.change_report",
            service=services.refresh,
            form=forms.WorkflowForm,
            serializer=api.ReportVersionSerializer,
            api_summary=_("按本单位当前数据重新生成草稿中的数据表和概述"),
        ),
        Action(
            name="submit",
            label=_("报送"),
            sources=OPEN,
            target=S.SUBMITTED,
            permission="reportcalls.submit_report",
            service=services.submit,
            form=forms.WorkflowForm,
            serializer=api.ReportVersionSerializer,
            style="primary",
            confirm=_("报送后不能再修改，确定报送？"),
            api_summary=_("报送（正文各部分须已填写）"),
        ),
        Action(
            name="accept",
            label=_("采用"),
            sources=[S.SUBMITTED],
            target=S.ACCEPTED,
            permission="reportcalls.accept_report",
            service=services.accept,
            guard=services.is_caller,
            form=forms.NoteForm,
            serializer=api.ReportNoteSerializer,
            style="primary",
            api_summary=_("发文单位采用上报材料"),
        ),
        Action(
            name="send_back",
            label=_("退回"),
            sources=[S.SUBMITTED],
            target=S.RETURNED,
            permission="reportcalls.accept_report",
            service=services.send_back,
            guard=services.is_caller,
            form=forms.ReasonForm,
            serializer=api.ReportReasonSerializer,
            note=True,
            style="danger",
            api_path="return",
            api_method="return_report",
            api_summary=_("发文单位退回上报材料（须填写原因），报送单位修改后重新报送"),
        ),
    ],
)
