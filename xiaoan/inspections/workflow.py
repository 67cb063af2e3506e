"""The inspection workflow, declared once: planned → in_progress → submitted → closed, and
the invitations kept on the same record. The record page's action forms, their POST views,
the API action endpoints and `allowed_actions` all come from here (xiaoan.core.workflow).

Adding an action: one `Action(...)` below and one service function.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from xiaoan.core.workflow import Action, Workflow
from xiaoan.inspections import forms, services, team
from xiaoan.inspections.api import serializers as api
from xiaoan.inspections.choices import InspectionAction, InspectionStatus
from xiaoan.inspections.models import Inspection, InspectionEvent
from xiaoan.reports import rollups

S = InspectionStatus
OPEN = (S.PLANNED, S.IN_PROGRESS)
NOT_CLOSED = (S.PLANNED, S.IN_PROGRESS, S.SUBMITTED)

INSPECTION = Workflow(
    Inspection,
    states=InspectionStatus,
    events=InspectionAction,
    event_model=InspectionEvent,
    on_move=rollups.on_move("inspections"),
    stale_message=_("检查已被他人修改，请刷新后重试。"),
    state_message=_("检查当前为“%(status)s”，不能执行“%(action)s”。"),
    actions=[
        Action(
            # The phone page (inspection_run) saves drafts and submits with its own form.
            name="save_draft",
            label=_("保存草稿"),
            sources=OPEN,
            target=S.IN_PROGRESS,
            permission="inspections.conduct_inspection",
            service=services.save_draft,
            serializer=api.InspectionDraftSerializer,
            api_path="draft",
            api_method="draft",
            api_summary=_("保存草稿（可多次保存，稍后继续）"),
        ),
        Action(
            name="submit",
            label=_("提交检查"),
            sources=OPEN,
            target=S.SUBMITTED,
            permission="inspections.conduct_inspection",
            service=services.submit,
            serializer=api.InspectionSubmitSerializer,
            style="primary",
            api_summary=_("提交检查"),
        ),
        Action(
            # Recorded on the history but leaves the version alone: a draft open on a phone
            # stays valid. The API answers the invitation itself (InspectionViewSet.invite).
            name="invite",
            label=_("邀请检查人员"),
            sources=NOT_CLOSED,
            target=None,
            permission="inspections.change_inspection",
            service=services.invite,
            form=forms.InviteForm,
            api=False,
        ),
        Action(
            # One button per invited person on the record page (inspection_uninvite).
            name="uninvite",
            label=_("取消邀请"),
            sources=NOT_CLOSED,
            target=None,
            permission="inspections.change_inspection",
            service=services.uninvite,
            api=False,
            api_names=(),
        ),
        Action(
            # 带队领导 and 检查组成员; like an invitation, it leaves the version alone.
            name="team",
            label=_("检查组"),
            sources=NOT_CLOSED,
            target=None,
            permission="inspections.change_inspection",
            service=team.set_team,
            guard=team.may_set_team,
            form=forms.TeamForm,
            serializer=api.InspectionTeamSerializer,
            api_summary=_("设置带队领导和检查组成员"),
        ),
        Action(
            name="close",
            label=_("结束检查"),
            sources=[S.SUBMITTED],
            target=S.CLOSED,
            permission="inspections.change_inspection",
            service=services.close,
            form=forms.CloseForm,
            serializer=api.InspectionCloseSerializer,
            style="danger",
            confirm=_("结束后不能再修改，确定？"),
            api_summary=_("结束检查"),
        ),
    ],
)
