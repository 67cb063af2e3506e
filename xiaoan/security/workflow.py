"""The declaration's workflow, declared once (xiaoan.core.workflow): the school submits
(draft or returned → submitted); the bureau above verifies it or returns it with the reason."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from xiaoan.core.workflow import Action, Workflow
from xiaoan.security import forms, services
from xiaoan.security import serializers as api
from xiaoan.security.choices import PostureAction, PostureStatus
from xiaoan.security.models import VERIFY, SecurityPosture, SecurityPostureEvent

S = PostureStatus

POSTURE = Workflow(
    SecurityPosture,
    states=PostureStatus,
    events=PostureAction,
    event_model=SecurityPostureEvent,
    stale_message=_("该安防建设申报已有变化，请刷新后查看最新状态。"),
    state_message=_("安防建设申报当前为“%(status)s”，不能执行“%(action)s”。"),
    actions=[
        Action(
            name="submit",
            label=_("提交核验"),
            sources=[S.DRAFT, S.RETURNED],
            target=S.SUBMITTED,
            permission=services.CHANGE,
            service=services.submit,
            form=forms.SubmitForm,
            serializer=api.PostureNoteSerializer,
            guard=services.may_submit,
            style="primary",
            api_summary=_("学校提交安防建设申报，由上级教育局核验（须已上传佐证材料）"),
        ),
        Action(
            name="verify",
            label=_("核验通过"),
            sources=[S.SUBMITTED],
            target=S.VERIFIED,
            permission=VERIFY,
            service=services.verify,
            form=forms.VerifyForm,
            serializer=api.PostureNoteSerializer,
            guard=services.may_verify,
            style="primary",
            api_summary=_("上级教育局核验通过（计入四个100%指标；学校不能核验本校）"),
        ),
        Action(
            name="send_back",
            label=_("退回"),
            sources=[S.SUBMITTED],
            target=S.RETURNED,
            permission=VERIFY,
            service=services.send_back,
            form=forms.ReturnForm,
            serializer=api.PostureReturnSerializer,
            note=True,
            guard=services.may_verify,
            style="danger",
            api_path="return",
            api_method="send_back",
            api_names=("return",),
            api_summary=_("上级教育局退回申报（须填写理由；学校修改后重新提交）"),
        ),
    ],
)
