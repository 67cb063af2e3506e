"""The alert's workflow, declared once (xiaoan.core.workflow): raised → acknowledged →
handled → closed; handling may pass it to another unit, where it is raised again. Raising,
repeats and escalation are the services' and the jobs' own events."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from xiaoan.alerts import forms, services
from xiaoan.alerts.api import serializers as api
from xiaoan.alerts.choices import AlertAction, AlertStatus
from xiaoan.alerts.models import Alert, AlertEvent
from xiaoan.core.workflow import Action, Workflow

S = AlertStatus

ALERT = Workflow(
    Alert,
    states=AlertStatus,
    events=AlertAction,
    event_model=AlertEvent,
    stale_message=_("该预警已有变化，请刷新后查看最新状态。"),
    state_message=_("预警当前为“%(status)s”，不能执行“%(action)s”。"),
    actions=[
        Action(
            name="acknowledge",
            label=_("确认预警"),
            sources=[S.RAISED],
            target=S.ACKNOWLEDGED,
            permission="alerts.handle_alert",
            service=services.acknowledge,
            form=forms.AcknowledgeForm,
            serializer=api.AlertStepSerializer,
            style="primary",
            api_summary=_("确认预警（已知悉，正在处置；Idempotency-Key 重试不重复）"),
        ),
        Action(
            name="handle",
            label=_("登记处置"),
            sources=[S.RAISED, S.ACKNOWLEDGED],
            target=(S.HANDLED, S.RAISED),
            permission="alerts.handle_alert",
            service=services.handle,
            form=forms.HandleForm,
            serializer=api.AlertHandleSerializer,
            upload_serializer=api.AlertHandleUploadSerializer,
            photos="optional",
            note=True,
            style="primary",
            api_summary=_(
                "登记处置：误报、现场处置、转为隐患（经隐患服务登记）或转交其他单位（重新待确认）"
            ),
        ),
        Action(
            name="close",
            label=_("关闭预警"),
            sources=[S.HANDLED],
            target=S.CLOSED,
            permission="alerts.handle_alert",
            service=services.close,
            form=forms.CloseForm,
            serializer=api.AlertStepSerializer,
            style="primary",
            api_summary=_("关闭已处置的预警（之后同一指纹的预警将新建）"),
        ),
    ],
)
