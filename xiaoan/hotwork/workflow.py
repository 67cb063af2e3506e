"""The hot-work permit's workflow, declared once (xiaoan.core.workflow): request →
approve (监护人 named) → start → finish; reject and cancel with reasons."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from xiaoan.core.workflow import Action, Workflow
from xiaoan.hotwork import forms, services
from xiaoan.hotwork.api import serializers as api
from xiaoan.hotwork.choices import PermitAction, PermitStatus
from xiaoan.hotwork.models import HotWorkEvent, HotWorkPermit

S = PermitStatus

PERMIT = Workflow(
    HotWorkPermit,
    states=PermitStatus,
    events=PermitAction,
    event_model=HotWorkEvent,
    stale_message=_("该动火作业许可已有变化，请刷新后查看最新状态。"),
    state_message=_("动火作业许可当前为“%(status)s”，不能执行“%(action)s”。"),
    actions=[
        Action(
            name="approve",
            label=_("批准并指定监护人"),
            sources=[S.REQUESTED],
            target=S.APPROVED,
            permission="hotwork.approve_hotworkpermit",
            service=services.approve,
            form=forms.ApproveForm,
            serializer=api.HotWorkApproveSerializer,
            guard=services.may_approve,
            style="primary",
            api_summary=_("批准动火申请并指定现场监护人（申请人不能审批自己的申请）"),
        ),
        Action(
            name="reject",
            label=_("驳回"),
            sources=[S.REQUESTED],
            target=S.REJECTED,
            permission="hotwork.approve_hotworkpermit",
            service=services.reject,
            form=forms.RejectForm,
            serializer=api.HotWorkNoteSerializer,
            note=True,
            style="danger",
            api_summary=_("驳回动火申请（须填写理由）"),
        ),
        Action(
            name="start",
            label=_("开工"),
            sources=[S.APPROVED],
            target=S.WORKING,
            permission="hotwork.supervise_hotworkpermit",
            service=services.start,
            form=forms.StartForm,
            upload_serializer=api.HotWorkPhotoStepSerializer,
            photos="required",
            guard=services.is_supervisor,
            style="primary",
            api_summary=_("监护人记录开工（仅在动火时段内，附作业前现场照片）"),
        ),
        Action(
            name="finish",
            label=_("完工"),
            sources=[S.WORKING],
            target=S.CLOSED,
            permission="hotwork.supervise_hotworkpermit",
            service=services.finish,
            form=forms.FinishForm,
            upload_serializer=api.HotWorkPhotoStepSerializer,
            photos="required",
            guard=services.is_supervisor,
            style="primary",
            api_summary=_("监护人记录完工（附作业后现场照片）"),
        ),
        Action(
            name="cancel",
            label=_("取消"),
            sources=[S.REQUESTED, S.APPROVED],
            target=S.CANCELLED,
            permission="hotwork.change_hotworkpermit",
            service=services.cancel,
            form=forms.CancelForm,
            serializer=api.HotWorkNoteSerializer,
            note=True,
            style="danger",
            confirm=_("确定取消这张动火作业许可？"),
            api_summary=_("取消动火作业许可（须填写原因）"),
        ),
    ],
)
