"""The incident's workflow (xiaoan.core.workflow): reported → classified (定性, by the
superior) → reviewed (复盘) → closed (结案, by the superior); follow-ups (续报) until closed,
review problems entered as hazards after the review."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from xiaoan.core.workflow import Action, Workflow
from xiaoan.incidents import forms, services
from xiaoan.incidents.api import serializers as api
from xiaoan.incidents.choices import IncidentAction, IncidentStatus
from xiaoan.incidents.models import Incident, IncidentEvent

S = IncidentStatus

INCIDENT = Workflow(
    Incident,
    states=IncidentStatus,
    events=IncidentAction,
    event_model=IncidentEvent,
    stale_message=_("该事件已有新的处理，请刷新后查看最新状态。"),
    state_message=_("事件当前为“%(status)s”，不能执行“%(action)s”。"),
    actions=[
        Action(
            name="edit",
            label=_("更正首报"),
            sources=[S.REPORTED],
            target=None,
            permission="incidents.change_incident",
            service=services.edit,
            form=forms.EditForm,
            serializer=api.IncidentEditSerializer,
            api_summary=_("定性前更正首报内容（只更正所给的项，首报时间不能更改）"),
        ),
        Action(
            name="follow_up",
            label=_("续报"),
            sources=[S.REPORTED, S.CLASSIFIED, S.REVIEWED],
            target=None,
            permission="incidents.change_incident",
            service=services.follow_up,
            form=forms.FollowUpForm,
            serializer=api.IncidentFollowUpInputSerializer,
            api_path="follow-up",
            api_summary=_("续报：补充事件进展（只增不改）"),
        ),
        Action(
            name="classify",
            label=_("定性"),
            sources=[S.REPORTED],
            target=S.CLASSIFIED,
            permission="incidents.classify_incident",
            service=services.classify,
            guard=services.is_superior,
            form=forms.ClassifyForm,
            serializer=api.IncidentClassifySerializer,
            style="primary",
            api_summary=_("上级单位定性（可调整事件等级）"),
        ),
        Action(
            name="review",
            label=_("复盘"),
            sources=[S.CLASSIFIED],
            target=S.REVIEWED,
            permission="incidents.review_incident",
            service=services.review,
            form=forms.ReviewForm,
            serializer=api.IncidentReviewSerializer,
            style="primary",
            api_summary=_("复盘：结论和存在的问题，问题可登记为隐患"),
        ),
        Action(
            # One button per problem not yet in the ledger.
            name="to_hazard",
            label=_("登记为隐患"),
            sources=[S.REVIEWED, S.CLOSED],
            target=None,
            permission="incidents.review_incident",
            service=services.to_hazard,
            form=forms.ToHazardForm,
            serializer=api.IncidentToHazardSerializer,
            api_path="to-hazard",
            api_summary=_("将复盘发现的一个问题登记为隐患"),
        ),
        Action(
            name="assign_finding",
            label=_("交办整改措施"),
            sources=[S.REVIEWED, S.CLOSED],
            target=None,
            permission="incidents.review_incident",
            service=services.assign_finding,
            guard=services.has_open_finding,
            form=forms.AssignFindingForm,
            serializer=api.IncidentAssignFindingSerializer,
            api_path="assign-finding",
            api_summary=_("将复盘发现的一个问题交给本单位人员限期落实"),
        ),
        Action(
            name="finish_finding",
            label=_("整改措施已落实"),
            sources=[S.REVIEWED, S.CLOSED],
            target=None,
            permission="incidents.view_incident",
            service=services.finish_finding,
            guard=services.may_finish,
            form=forms.FinishFindingForm,
            serializer=api.IncidentFinishFindingSerializer,
            api_path="finish-finding",
            api_summary=_("整改责任人（或复盘人员）确认复盘问题的整改措施已落实"),
        ),
        Action(
            name="close",
            label=_("结案"),
            sources=[S.REVIEWED],
            target=S.CLOSED,
            permission="incidents.classify_incident",
            service=services.close,
            guard=services.is_superior,
            form=forms.CloseForm,
            serializer=api.IncidentCloseSerializer,
            style="primary",
            confirm=_("确定结案？结案后不能再续报。"),
            api_summary=_("上级单位结案"),
        ),
    ],
)
