"""The public report's workflow (xiaoan.core.workflow): new (待确认) → accepted (已受理, a
hazard of the ledger), rejected (不予受理) or duplicate (重复)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from xiaoan.core.workflow import Action, Workflow
from xiaoan.publicreports import forms, services
from xiaoan.publicreports.api import serializers as api
from xiaoan.publicreports.choices import ReportAction, ReportStatus
from xiaoan.publicreports.models import PublicReport, PublicReportEvent

S = ReportStatus

PUBLIC_REPORT = Workflow(
    PublicReport,
    states=ReportStatus,
    events=ReportAction,
    event_model=PublicReportEvent,
    stale_message=_("该举报已有新的处理，请刷新后查看最新状态。"),
    state_message=_("举报当前为“%(status)s”，不能执行“%(action)s”。"),
    actions=[
        Action(
            name="accept",
            label=_("受理（登记为隐患）"),
            sources=[S.NEW],
            target=S.ACCEPTED,
            permission=services.HANDLE,
            guard=services.may_handle,
            service=services.accept,
            form=forms.AcceptForm,
            serializer=api.AcceptSerializer,
            style="primary",
            api_summary=_("受理：登记为本校隐患台账中的待确认隐患（来源：群众举报）"),
        ),
        Action(
            name="reject",
            label=_("不予受理"),
            sources=[S.NEW],
            target=S.REJECTED,
            permission=services.HANDLE,
            guard=services.may_handle,
            service=services.reject,
            form=forms.RejectForm,
            serializer=api.RejectSerializer,
            style="danger",
            api_summary=_("不予受理（理由举报人可见）"),
        ),
        Action(
            name="mark_duplicate",
            label=_("标记为重复"),
            sources=[S.NEW],
            target=S.DUPLICATE,
            permission=services.HANDLE,
            guard=services.may_handle,
            service=services.mark_duplicate,
            form=forms.DuplicateForm,
            serializer=api.DuplicateSerializer,
            api_path="mark-duplicate",
            api_summary=_("标记为重复：与本校另一举报或隐患重复"),
        ),
    ],
)
