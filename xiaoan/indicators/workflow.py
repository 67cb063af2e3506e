"""The reported value's workflow (xiaoan.core.workflow): a school reports (待审核); the unit
directly above accepts (已通过, it counts) or returns it with the reason (已退回); the school
reports again (待审核). Reviewing is the superior's right, checked by the guard."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from xiaoan.core.workflow import Action, Workflow
from xiaoan.indicators import forms, services
from xiaoan.indicators.api import serializers as api
from xiaoan.indicators.choices import ValueAction, ValueStatus
from xiaoan.indicators.models import IndicatorValue, IndicatorValueEvent

S = ValueStatus

VALUE = Workflow(
    IndicatorValue,
    states=ValueStatus,
    events=ValueAction,
    event_model=IndicatorValueEvent,
    stale_message=_("该指标填报已有变化，请刷新后查看最新状态。"),
    state_message=_("指标填报当前为“%(status)s”，不能执行“%(action)s”。"),
    actions=[
        Action(
            name="resubmit",
            label=_("重新填报"),
            sources=[S.RETURNED],
            target=S.PENDING,
            permission=services.REPORT,
            scoped=False,  # the school's own people, checked by the guard
            service=services.resubmit,
            form=forms.ResubmitForm,
            upload_serializer=api.ResubmitSerializer,
            guard=services.may_resubmit,
            style="primary",
            api_summary=_("学校重新填报被退回的指标值（须填写佐证说明）"),
        ),
        Action(
            name="accept",
            label=_("审核通过"),
            sources=[S.PENDING],
            target=S.ACCEPTED,
            permission=services.REVIEW,
            scoped=False,  # the unit directly above, checked by the guard
            service=services.accept,
            form=forms.AcceptForm,
            serializer=api.IndicatorReviewSerializer,
            guard=services.may_review,
            style="primary",
            api_summary=_("上一级单位审核通过指标填报（计入完成情况）"),
        ),
        Action(
            name="send_back",
            label=_("退回"),
            sources=[S.PENDING],
            target=S.RETURNED,
            permission=services.REVIEW,
            scoped=False,
            service=services.send_back,
            form=forms.ReturnForm,
            serializer=api.IndicatorReviewSerializer,
            note=True,
            guard=services.may_review,
            style="danger",
            api_path="return",
            api_method="send_back",
            api_names=("return",),
            api_summary=_("上一级单位退回指标填报（须填写理由；学校重新填报）"),
        ),
    ],
)
