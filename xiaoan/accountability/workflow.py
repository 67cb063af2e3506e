"""The workflows of accountability, declared once (xiaoan.core.workflow).

Decision: draft → issued → closed, or cancelled while a draft; while a draft, its title, kind,
date and basis are edited and units are listed and taken off; once issued, the meeting is
recorded and commitments registered.
Commitment: open → reported → accepted, or returned (reported → open)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from xiaoan.accountability import forms, services
from xiaoan.accountability.api import serializers as api
from xiaoan.accountability.choices import (
    CALLED_IN,
    CommitmentAction,
    CommitmentStatus,
    DecisionAction,
    DecisionStatus,
)
from xiaoan.accountability.models import Commitment, CommitmentEvent, Decision, DecisionEvent
from xiaoan.core.workflow import Action, Workflow

S = DecisionStatus
C = CommitmentStatus
CHANGE = "accountability.change_decision"

DECISION = Workflow(
    Decision,
    states=DecisionStatus,
    events=DecisionAction,
    event_model=DecisionEvent,
    stale_message=_("该决定已有变化，请刷新后查看最新状态。"),
    state_message=_("该决定当前为“%(status)s”，不能执行“%(action)s”。"),
    actions=[
        Action(
            # The draft's page (decision_edit) and PATCH /api/accountability/{id}/.
            name="edit",
            label=_("修改草稿"),
            sources=[S.DRAFT],
            target=None,
            permission=CHANGE,
            service=services.edit,
            api=False,
        ),
        Action(
            name="add_entry",
            label=_("列入名单"),
            sources=[S.DRAFT],
            target=None,
            permission=CHANGE,
            service=services.add_entry,
            form=forms.AddEntryForm,
            serializer=api.AccAddEntrySerializer,
            style="primary",
            api_summary=_("列入名单（保存该单位当日数据）"),
        ),
        Action(
            # One button per entry on the decision's page.
            name="remove_entry",
            label=_("移出名单"),
            sources=[S.DRAFT],
            target=None,
            permission=CHANGE,
            service=services.remove_entry,
            form=forms.RemoveEntryForm,
            serializer=api.AccEntryRefSerializer,
            api_summary=_("移出名单"),
        ),
        Action(
            name="issue",
            label=_("印发"),
            sources=[S.DRAFT],
            target=S.ISSUED,
            permission=CHANGE,
            service=services.issue,
            form=forms.IssueForm,
            serializer=api.AccVersionSerializer,
            confirm=_("印发后名单不能再修改，确定印发？"),
            api_summary=_("印发（名单中的单位可见）"),
        ),
        Action(
            name="record_meeting",
            label=_("记录约谈"),
            sources=[S.ISSUED],
            target=None,
            permission=CHANGE,
            service=services.record_meeting,
            form=forms.MeetingForm,
            serializer=api.AccMeetingSerializer,
            guard=lambda actor, obj: obj.kind in CALLED_IN,
            style="primary",
            api_summary=_("记录约谈时间、地点、参加人员和纪要"),
        ),
        Action(
            name="commit",
            label=_("登记整改承诺"),
            sources=[S.ISSUED],
            target=None,
            permission=CHANGE,
            service=services.commit,
            form=forms.CommitForm,
            serializer=api.AccCommitSerializer,
            api_summary=_("登记名单单位作出的整改承诺"),
        ),
        Action(
            name="close",
            label=_("办结"),
            sources=[S.ISSUED],
            target=S.CLOSED,
            permission=CHANGE,
            service=services.close,
            form=forms.CloseForm,
            serializer=api.AccOptionalNoteSerializer,
            api_summary=_("办结（整改承诺均已验收）"),
        ),
        Action(
            name="cancel",
            label=_("撤销"),
            sources=[S.DRAFT],
            target=S.CANCELLED,
            permission=CHANGE,
            service=services.cancel,
            form=forms.NoteForm,
            serializer=api.AccNoteSerializer,
            note=True,
            style="danger",
            confirm=_("确定撤销这份草稿？"),
            api_summary=_("撤销草稿（须填写原因）"),
        ),
    ],
)

COMMITMENT = Workflow(
    Commitment,
    states=CommitmentStatus,
    events=CommitmentAction,
    event_model=CommitmentEvent,
    stale_message=_("该整改承诺已有变化，请刷新后查看最新状态。"),
    state_message=_("该整改承诺当前为“%(status)s”，不能执行“%(action)s”。"),
    actions=[
        Action(
            name="report",
            label=_("报告完成"),
            sources=[C.OPEN],
            target=C.REPORTED,
            permission="accountability.report_commitment",
            service=services.report,
            form=forms.ReportForm,
            serializer=api.AccNoteSerializer,
            note=True,
            style="primary",
            api_summary=_("承诺单位报告整改完成（须填写完成情况）"),
        ),
        Action(
            name="accept",
            label=_("验收通过"),
            sources=[C.REPORTED],
            target=C.ACCEPTED,
            permission="accountability.accept_commitment",
            service=services.accept,
            form=forms.AcceptForm,
            serializer=api.AccOptionalNoteSerializer,
            style="primary",
            api_summary=_("验收通过"),
        ),
        Action(
            name="send_back",
            label=_("退回"),
            sources=[C.REPORTED],
            target=C.OPEN,
            permission="accountability.accept_commitment",
            service=services.send_back,
            form=forms.NoteForm,
            serializer=api.AccNoteSerializer,
            note=True,
            style="danger",
            api_path="return",
            api_summary=_("退回重新整改（须填写原因）"),
        ),
    ],
)
