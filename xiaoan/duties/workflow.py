"""The obligation workflow, declared once (xiaoan.core.workflow).

An obligation is pending until the daily evaluation (or a record reported) decides it met,
or its due date passes: missed, which is final. People take one action, reporting a record;
the evaluation's steps (met, missed) and the generation are the system's (events without an
actor, written in bulk by `services.generate_duty` and `services.evaluate`).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from xiaoan.core.workflow import ANY_STATE, Action, Workflow
from xiaoan.duties import forms, services
from xiaoan.duties.api import serializers as api
from xiaoan.duties.choices import ObligationAction, ObligationStatus
from xiaoan.duties.models import Obligation, ObligationEvent

S = ObligationStatus

OBLIGATION = Workflow(
    Obligation,
    states=ObligationStatus,
    events=ObligationAction,
    event_model=ObligationEvent,
    stale_message=_("该应办事项已有变化，请刷新后查看最新状态。"),
    state_message=_("应办事项当前为“%(status)s”，不能执行“%(action)s”。"),
    actions=[
        Action(
            # Any state: a late record is kept (missed stays missed); a pending obligation
            # with enough records becomes met at once.
            name="record",
            label=_("报送记录"),
            sources=[ANY_STATE],
            target=(S.PENDING, S.MET, S.MISSED),
            permission="duties.report_obligation",
            service=services.submit_record,
            form=forms.RecordForm,
            upload_serializer=api.RecordInputSerializer,
            guard=services.may_record,
            style="primary",
            api_summary=_("报送记录（演练记录、总结、阶段报告等，附佐证材料）"),
            api_status=201,
        ),
    ],
)
