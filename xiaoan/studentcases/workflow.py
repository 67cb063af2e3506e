"""The bullying case's workflow (xiaoan.core.workflow): reported → determined (认定) →
[review requested → reviewed (复查) → [re-examination requested → closed (复核)]] or closed
when no request comes. The school's steps (认定, recording a request, 结案) need
`studentcases.handle_bullyingcase` by the role at the school; the review (复查) is decided by
the county-level reviewer (`review_bullyingcase`) and the re-examination (复核) by the
city-level one (`reexamine_bullyingcase`), see xiaoan.studentcases.access; the limits are
xiaoan.studentcases.deadlines."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from xiaoan.core.workflow import Action, Button, Workflow
from xiaoan.studentcases import forms, services
from xiaoan.studentcases.api import serializers as api
from xiaoan.studentcases.choices import BullyingAction, BullyingStatus
from xiaoan.studentcases.models import BullyingCase, BullyingEvent

S = BullyingStatus
HANDLE = "studentcases.handle_bullyingcase"
REVIEW = "studentcases.review_bullyingcase"
REEXAMINE = "studentcases.reexamine_bullyingcase"

BULLYING = Workflow(
    BullyingCase,
    states=BullyingStatus,
    events=BullyingAction,
    event_model=BullyingEvent,
    stale_message=_("该欺凌事件已有变化，请刷新后查看最新状态。"),
    state_message=_("欺凌事件当前为“%(status)s”，不能执行“%(action)s”。"),
    actions=[
        Action(
            name="determine",
            label=_("认定"),
            sources=[S.REPORTED],
            target=S.DETERMINED,
            permission=HANDLE,
            service=services.determine,
            form=forms.DetermineForm,
            serializer=api.DetermineSerializer,
            style="primary",
            buttons=(
                Button(_("构成欺凌"), "danger", field="is_bullying", value=True),
                Button(_("不构成欺凌"), "secondary", field="is_bullying", value=False),
            ),
            api_summary=_("学生欺凌治理委员会认定（报告后 10 日内）"),
        ),
        Action(
            name="request_review",
            label=_("申请复查"),
            sources=[S.DETERMINED],
            target=S.REVIEW_REQUESTED,
            permission=HANDLE,
            service=services.request_review,
            form=forms.RequestForm,
            serializer=api.RequestSerializer,
            api_summary=_("当事方申请复查（认定后 5 日内）"),
        ),
        Action(
            name="review",
            label=_("复查结论"),
            sources=[S.REVIEW_REQUESTED],
            target=S.REVIEWED,
            permission=REVIEW,
            service=services.review,
            form=forms.ResultForm,
            serializer=api.ResultSerializer,
            style="primary",
            api_summary=_("区县学生欺凌防治机构的复查结论（申请后 15 日内）"),
        ),
        Action(
            name="request_reexam",
            label=_("申请复核"),
            sources=[S.REVIEWED],
            target=S.REEXAM_REQUESTED,
            permission=HANDLE,
            service=services.request_reexam,
            form=forms.RequestForm,
            serializer=api.RequestSerializer,
            api_summary=_("当事方申请复核（复查后 5 日内）"),
        ),
        Action(
            name="reexamine",
            label=_("复核结论"),
            sources=[S.REEXAM_REQUESTED],
            target=S.CLOSED,
            permission=REEXAMINE,
            service=services.reexamine,
            form=forms.ResultForm,
            serializer=api.ResultSerializer,
            style="primary",
            api_summary=_("市级学生欺凌防治机构的复核结论（申请后 15 日内），处理终结"),
        ),
        Action(
            name="close",
            label=_("结案"),
            sources=[S.DETERMINED, S.REVIEWED],
            target=S.CLOSED,
            permission=HANDLE,
            service=services.close_bullying,
            form=forms.BullyingCloseForm,
            serializer=api.VersionSerializer,
            confirm=_("确定结案？结案后不能再申请复查或复核。"),
            api_summary=_("结案（无人申请复查或复核）"),
        ),
    ],
)
