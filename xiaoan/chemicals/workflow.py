"""The movement workflow (xiaoan.core.workflow): a movement of a controlled chemical is
recorded 待复核 and a second person confirms it (posted: the balance changes) or sends it back
(rejected: it never changes anything). Movements of other chemicals are posted when recorded.
Both steps need `chemicals.confirm_stockmovement` in the movement's unit; confirming also
needs someone other than the 经办人 (双人双锁)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from xiaoan.chemicals import forms, services
from xiaoan.chemicals.api import serializers as api
from xiaoan.chemicals.choices import MovementAction, MovementStatus
from xiaoan.chemicals.models import StockMovement, StockMovementEvent
from xiaoan.core.workflow import Action, Workflow

MOVEMENT = Workflow(
    StockMovement,
    states=MovementStatus,
    events=MovementAction,
    event_model=StockMovementEvent,
    stale_message=_("该出入库记录已有变化，请刷新后查看最新状态。"),
    state_message=_("出入库记录当前为“%(status)s”，不能执行“%(action)s”。"),
    actions=[
        Action(
            name="confirm",
            label=_("复核确认"),
            sources=[MovementStatus.PENDING],
            target=MovementStatus.POSTED,
            permission="chemicals.confirm_stockmovement",
            service=services.confirm_movement,
            form=forms.ConfirmForm,
            serializer=api.MovementConfirmSerializer,
            guard=services.may_confirm,
            style="primary",
            api_summary=_("第二人复核确认出入库（双人双锁；确认后计入结存）"),
        ),
        Action(
            name="reject",
            label=_("退回"),
            sources=[MovementStatus.PENDING],
            target=MovementStatus.REJECTED,
            permission="chemicals.confirm_stockmovement",
            service=services.reject_movement,
            form=forms.RejectForm,
            serializer=api.MovementRejectSerializer,
            note=True,
            style="danger",
            confirm=_("确定退回？退回的记录不计入结存。"),
            api_summary=_("复核退回出入库（须填写原因；不计入结存）"),
        ),
    ],
)
