"""The drill's workflow, declared once (xiaoan.core.workflow): planned → recorded → evaluated,
or cancelled while planned; observers invited and let go on the same record. The record and
evaluation have their own pages (the phone's record page, the checklist page); the API's
action endpoints and `allowed_actions` come from here."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from xiaoan.core.workflow import Action, Workflow
from xiaoan.drills import forms, services
from xiaoan.drills.api import serializers as api
from xiaoan.drills.choices import DrillAction, DrillStatus
from xiaoan.drills.models import Drill, DrillEvent

S = DrillStatus
NOT_CANCELLED = (S.PLANNED, S.RECORDED, S.EVALUATED)

DRILL = Workflow(
    Drill,
    states=DrillStatus,
    events=DrillAction,
    event_model=DrillEvent,
    stale_message=_("该演练已有变化，请刷新后查看最新状态。"),
    state_message=_("演练当前为“%(status)s”，不能执行“%(action)s”。"),
    actions=[
        Action(
            # The plan's page (drill_edit) and PUT/PATCH /api/drills/{id}/.
            name="edit",
            label=_("修改演练计划"),
            sources=[S.PLANNED],
            target=None,
            permission="drills.change_drill",
            service=services.update_plan,
            api=False,
        ),
        Action(
            # The phone page (drill_record).
            name="record",
            label=_("记录实施情况"),
            sources=[S.PLANNED],
            target=S.RECORDED,
            permission="drills.record_drill",
            service=services.record,
            serializer=api.DrillRecordSerializer,
            upload_serializer=api.DrillRecordUploadSerializer,
            photos="optional",
            style="primary",
            api_summary=_("记录演练实施情况（可附照片；Idempotency-Key 重试不重复记录）"),
        ),
        Action(
            # The checklist page (drill_evaluate).
            name="evaluate",
            label=_("评估"),
            sources=[S.RECORDED],
            target=S.EVALUATED,
            permission="drills.evaluate_drill",
            service=services.evaluate,
            serializer=api.DrillEvaluateSerializer,
            style="primary",
            api_summary=_("评估演练：逐项良好/存在问题，每个问题登记为隐患"),
        ),
        Action(
            name="invite",
            label=_("邀请观摩"),
            sources=NOT_CANCELLED,
            target=None,
            permission="drills.change_drill",
            service=services.invite,
            form=forms.InviteForm,
            serializer=api.DrillObserverSerializer,
            api_summary=_("邀请上级单位人员或校外专家观摩（只能查看本次演练）"),
        ),
        Action(
            # One button per observer on the drill's page.
            name="uninvite",
            label=_("取消邀请"),
            sources=NOT_CANCELLED,
            target=None,
            permission="drills.change_drill",
            service=services.uninvite,
            form=forms.UninviteForm,
            serializer=api.DrillObserverSerializer,
            api_names=(),
            api_summary=_("取消观摩邀请"),
        ),
        Action(
            name="cancel",
            label=_("取消演练"),
            sources=[S.PLANNED],
            target=S.CANCELLED,
            permission="drills.change_drill",
            service=services.cancel,
            form=forms.CancelForm,
            serializer=api.DrillNoteSerializer,
            note=True,
            style="danger",
            confirm=_("确定取消这次演练？"),
            api_summary=_("取消演练（须填写原因）"),
        ),
    ],
)
