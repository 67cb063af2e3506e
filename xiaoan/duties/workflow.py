"""The duty and obligation workflows, declared once (xiaoan.core.workflow).

A duty is active (each period's obligations are generated) or stopped; the issuing unit's
people with `duties.change_duty` stop it (saying why) and resume it. Issuing it writes its
first event.

An obligation is pending until the daily evaluation (or a record reported) decides it met,
or its due date passes: missed, which is final. The unit reports records; when the duty
needs review, a record puts the obligation into review (待审核, left alone by the
evaluation) and the issuing unit's managers accept it (then it is decided: met, or pending
for more) or return it with the reason (pending again; xiaoan.duties.review). The
evaluation's steps (met, missed) and the generation are the system's (events without an
actor, written in bulk by `services.generate_duty` and `services.evaluate`).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from xiaoan.core.workflow import ANY_STATE, Action, Workflow
from xiaoan.duties import forms, review, services
from xiaoan.duties.api import serializers as api
from xiaoan.duties.choices import DutyAction, DutyStatus, ObligationAction, ObligationStatus
from xiaoan.duties.models import Duty, DutyEvent, Obligation, ObligationEvent
from xiaoan.reports import rollups

S = ObligationStatus

DUTY = Workflow(
    Duty,
    states=DutyStatus,
    events=DutyAction,
    event_model=DutyEvent,
    stale_message=_("该常态化任务已有变化，请刷新后查看最新状态。"),
    state_message=_("常态化任务当前为“%(status)s”，不能执行“%(action)s”。"),
    actions=[
        Action(
            name="stop",
            label=_("停用"),
            sources=[DutyStatus.ACTIVE],
            target=DutyStatus.STOPPED,
            permission="duties.change_duty",
            service=services.stop,
            form=forms.StopForm,
            serializer=api.DutyActionSerializer,
            note=True,
            style="danger",
            confirm=_("确定停用？停用后不再生成新的应办事项。"),
            api_summary=_("停用常态化任务（须填写理由；已生成的应办事项保留）"),
        ),
        Action(
            name="resume",
            label=_("恢复启用"),
            sources=[DutyStatus.STOPPED],
            target=DutyStatus.ACTIVE,
            permission="duties.change_duty",
            service=services.resume,
            form=forms.ResumeForm,
            serializer=api.DutyActionSerializer,
            style="primary",
            api_summary=_("恢复启用常态化任务"),
        ),
    ],
)

OBLIGATION = Workflow(
    Obligation,
    states=ObligationStatus,
    events=ObligationAction,
    event_model=ObligationEvent,
    on_move=rollups.on_move("duties"),
    stale_message=_("该应办事项已有变化，请刷新后查看最新状态。"),
    state_message=_("应办事项当前为“%(status)s”，不能执行“%(action)s”。"),
    actions=[
        Action(
            # Any state: a late record is kept (missed stays missed); a pending obligation
            # with enough records becomes met at once.
            name="record",
            label=_("报送记录"),
            sources=[ANY_STATE],
            target=(S.PENDING, S.REVIEW, S.MET, S.MISSED),
            permission="duties.report_obligation",
            service=services.submit_record,
            form=forms.RecordForm,
            upload_serializer=api.RecordInputSerializer,
            guard=services.may_record,
            style="primary",
            api_summary=_("报送记录（演练记录、总结、阶段报告等，附佐证材料）"),
            api_status=201,
        ),
        Action(
            name="accept",
            label=_("审核通过"),
            sources=[S.REVIEW],
            target=(S.PENDING, S.MET, S.MISSED),
            permission="duties.change_duty",
            scoped=False,  # the issuing unit's right, checked by the guard
            service=review.accept,
            form=forms.AcceptForm,
            serializer=api.ReviewSerializer,
            guard=review.may_review,
            style="primary",
            api_summary=_("发布单位审核通过报送记录（计入完成）"),
        ),
        Action(
            name="send_back",
            label=_("退回"),
            sources=[S.REVIEW],
            target=S.PENDING,
            permission="duties.change_duty",
            scoped=False,
            service=review.send_back,
            form=forms.ReturnForm,
            serializer=api.ReviewSerializer,
            note=True,
            guard=review.may_review,
            style="danger",
            api_path="return",
            api_method="send_back",
            api_names=("return",),
            api_summary=_("发布单位退回报送记录（须填写理由；记录保留，责任单位重新报送）"),
        ),
    ],
)
