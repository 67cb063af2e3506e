"""The risk point's workflow (xiaoan.core.workflow): in use (在管) ↔ retired (已撤销); while in
use it is edited, assessed, given measures and checked. Every step is an event of its
history and a stale version is 409."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from xiaoan.core.workflow import Action, Workflow
from xiaoan.risks import forms, plans, services
from xiaoan.risks.api import serializers as api
from xiaoan.risks.choices import RiskAction, RiskStatus
from xiaoan.risks.models import RiskEvent, RiskPoint

S = RiskStatus

RISK_POINT = Workflow(
    RiskPoint,
    states=RiskStatus,
    events=RiskAction,
    event_model=RiskEvent,
    stale_message=_("该风险点已被他人修改，请刷新后重试。"),
    state_message=_("风险点当前为“%(status)s”，不能执行“%(action)s”。"),
    actions=[
        Action(
            name="record_check",
            label=_("管控检查"),
            sources=[S.ACTIVE],
            target=None,
            permission="risks.view_riskpoint",
            service=services.record_check,
            guard=services.may_check,
            form=forms.CheckForm,
            serializer=api.CheckInputSerializer,
            upload_serializer=api.CheckUploadSerializer,
            photos="optional",
            style="primary",
            api_path="record-check",
            api_summary=_("记录一次管控检查（未落实的形成隐患）；可附一张照片（multipart）"),
        ),
        Action(
            name="assess",
            label=_("风险评估"),
            sources=[S.ACTIVE],
            target=None,
            permission="risks.assess_riskpoint",
            service=services.assess,
            form=forms.AssessForm,
            serializer=api.AssessSerializer,
            api_summary=_("按本单位的评估方法评估，等级由系统计算"),
        ),
        Action(
            name="add_measure",
            label=_("增加管控措施"),
            sources=[S.ACTIVE],
            target=None,
            permission="risks.change_riskpoint",
            service=services.add_measure,
            form=forms.MeasureForm,
            serializer=api.MeasureInputSerializer,
            api_path="add-measure",
            api_summary=_("增加一条管控措施（类型、层级、责任人、检查频次）"),
        ),
        Action(
            name="change_measure",
            label=_("调整管控措施"),
            sources=[S.ACTIVE],
            target=None,
            permission="risks.change_riskpoint",
            service=services.change_measure,
            guard=services.has_active_measure,
            form=forms.ChangeMeasureForm,
            serializer=api.ChangeMeasureSerializer,
            api_path="change-measure",
            api_summary=_("改交管控措施的责任人，或调整其层级、检查频次"),
        ),
        Action(
            name="remove_measure",
            label=_("停用管控措施"),
            sources=[S.ACTIVE],
            target=None,
            permission="risks.change_riskpoint",
            service=services.remove_measure,
            guard=services.has_active_measure,
            form=forms.RemoveMeasureForm,
            serializer=api.RemoveMeasureSerializer,
            api_path="remove-measure",
            api_summary=_("停用一条管控措施（保留其检查记录）"),
        ),
        Action(
            name="edit",
            label=_("修改风险点"),
            sources=[S.ACTIVE],
            target=None,
            permission="risks.change_riskpoint",
            service=services.edit,
            form=forms.EditForm,
            serializer=api.RiskPointEditSerializer,
            api_summary=_("修改风险点（只修改所给的项）"),
        ),
        Action(
            # On the 四色图 page (xiaoan.risks.plan_views), not in the record's panel.
            name="place",
            label=_("标注四色图位置"),
            sources=[S.ACTIVE],
            target=None,
            permission="risks.change_riskpoint",
            service=plans.place_point,
            api=False,
        ),
        Action(
            name="retire",
            label=_("撤销风险点"),
            sources=[S.ACTIVE],
            target=S.RETIRED,
            permission="risks.change_riskpoint",
            service=services.retire,
            form=forms.RetireForm,
            serializer=api.RiskNoteSerializer,
            style="danger",
            confirm=_("确定撤销该风险点？其管控措施不再需要检查。"),
            api_summary=_("撤销风险点（须写明原因）"),
        ),
        Action(
            name="restore",
            label=_("恢复风险点"),
            sources=[S.RETIRED],
            target=S.ACTIVE,
            permission="risks.change_riskpoint",
            service=services.restore,
            form=forms.RestoreForm,
            serializer=api.RiskNoteSerializer,
            api_summary=_("恢复已撤销的风险点"),
        ),
    ],
)
