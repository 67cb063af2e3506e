"""The hazard workflow, declared once: every action with its states, permission, page form,
API request, service and label. The record page's buttons and forms, its POST views, the API
action endpoints and `allowed_actions` all come from here (xiaoan.core.workflow).

Adding an action: one `Action(...)` below and one service function.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from xiaoan.core.workflow import ANY_STATE, Action, Button, Workflow
from xiaoan.hazards import forms, services
from xiaoan.hazards.api import serializers as api
from xiaoan.hazards.choices import AWAITING_ANSWER, OPEN_STATUSES, HazardAction, HazardStatus
from xiaoan.hazards.models import Hazard, HazardEvent, allows

S = HazardStatus
WORKING = (S.ASSIGNED, S.RECTIFYING)


def _unconfirmed(actor: Any, hazard: Hazard) -> bool:
    return hazard.confirmed_at is None


def _confirmed(actor: Any, hazard: Hazard) -> bool:
    """Assign only once the level is confirmed."""
    return hazard.confirmed_at is not None


def _may_assign(actor: Any, hazard: Hazard) -> bool:
    """Confirm and assign at once: the confirmer also holds the assign right here."""
    return allows(actor, hazard, "assign")


# Owners rectify, superiors supervise: every step declared with the rectify right is the
# owning side's (services.may_rectify; `_begin` refuses it to others with 403).
_owner = services.may_rectify


def _owner_may_extend(actor: Any, hazard: Hazard) -> bool:
    return services.may_rectify(actor, hazard) and services.may_request_extension(actor, hazard)


# The steps a superior unit is there for: the one opened first on a superior's page.
SUPERVISING = ("supervise", "supervision_accept", "extension_decide")


def open_first(actor: Any, hazard: Hazard, entries: list) -> None:
    """On a superior's page (one who may not rectify here) open a supervising step, never
    the owning side's or the school's own first step; owners keep the first primary one."""
    if services.may_rectify(actor, hazard):
        return
    for entry in entries:
        entry.open = False
    first = next((e for e in entries if e.action.name in SUPERVISING), None)
    if first is not None:
        first.open = True


HAZARD = Workflow(
    Hazard,
    states=HazardStatus,
    events=HazardAction,
    event_model=HazardEvent,
    allows=allows,
    on_move=services.move_tally,
    stale_message=_("该隐患已被他人处理，请刷新后查看最新状态。"),
    state_message=_("隐患当前为“%(status)s”，不能执行“%(action)s”。"),
    actions=[
        Action(
            # 确认 and 交办 in one step, for one who holds both rights on the hazard: two
            # events (确认: 待确认 → 待交办, 交办: 待交办 → 待整改), one transaction.
            name="confirm_assign",
            label=_("确认并交办整改"),
            sources=[S.REPORTED],
            target=S.ASSIGNED,
            permission="hazards.confirm_hazard",
            service=services.confirm_and_assign,
            form=forms.ConfirmAssignForm,
            serializer=api.ConfirmAssignSerializer,
            guard=_may_assign,
            style="primary",
            api_summary=_("确认隐患并交办整改（须同时有确认和交办权限）"),
        ),
        Action(
            name="confirm",
            label=_("确认隐患"),
            sources=[S.REPORTED],
            target=S.CONFIRMED,
            permission="hazards.confirm_hazard",
            service=services.confirm,
            form=forms.ConfirmForm,
            serializer=api.ConfirmSerializer,
            guard=_unconfirmed,
            style="primary",
            api_summary=_("确认隐患（定级）"),
        ),
        Action(
            name="dismiss",
            label=_("不构成隐患"),
            sources=[S.REPORTED, S.CONFIRMED],
            target=S.DISMISSED,
            permission="hazards.confirm_hazard",
            service=services.dismiss,
            form=forms.DismissForm,
            serializer=api.NoteSerializer,
            note=True,
            style="danger",
            confirm=_("确定不构成隐患？"),
            api_summary=_("不构成隐患（须填写理由）"),
        ),
        Action(
            name="assign",
            label=_("交办整改"),
            sources=[S.CONFIRMED],
            target=S.ASSIGNED,
            permission="hazards.assign_hazard",
            service=services.assign,
            form=forms.AssignForm,
            serializer=api.AssignSerializer,
            guard=_confirmed,
            style="primary",
            api_summary=_("交办整改"),
        ),
        Action(
            name="fix_on_spot",
            label=_("立查立改"),
            sources=[S.REPORTED, S.CONFIRMED],
            target=S.SUBMITTED,
            permission="hazards.rectify_hazard",
            guard=_owner,
            service=services.fix_on_spot,
            form=forms.FixOnSpotForm,
            upload_serializer=api.FixOnSpotSerializer,
            note=True,
            photos="required",
            style="primary",
            api_summary=_("立查立改（附整改后照片，直接待验收）"),
        ),
        Action(
            name="start",
            label=_("开始整改"),
            sources=[S.ASSIGNED],
            target=S.RECTIFYING,
            permission="hazards.rectify_hazard",
            guard=_owner,
            service=services.start,
            form=forms.StartForm,
            serializer=api.StartSerializer,
            style="primary",
            api_summary=_("开始整改（重大或期限较长的隐患须有临时管控措施）"),
        ),
        Action(
            name="progress",
            label=_("报告整改进展"),
            sources=WORKING,
            target=S.RECTIFYING,
            permission="hazards.rectify_hazard",
            guard=_owner,
            service=services.progress,
            form=forms.ProgressForm,
            serializer=api.ProgressSerializer,
            upload_serializer=api.ProgressUploadSerializer,
            note=True,
            photos="optional",
            api_summary=_("报送整改进展"),
        ),
        Action(
            name="control",
            label=_("登记临时管控措施"),
            sources=WORKING,
            target=None,
            permission="hazards.rectify_hazard",
            guard=_owner,
            service=services.add_control,
            form=forms.ControlForm,
            serializer=api.ControlSerializer,
            upload_serializer=api.ControlUploadSerializer,
            note=True,
            photos="optional",
            api_summary=_("登记临时管控措施"),
        ),
        Action(
            name="submit",
            label=_("提交验收"),
            sources=WORKING,
            target=S.SUBMITTED,
            permission="hazards.rectify_hazard",
            guard=_owner,
            service=services.submit,
            form=forms.SubmitForm,
            upload_serializer=api.SubmitSerializer,
            note=True,
            photos="required",
            style="primary",
            api_summary=_("提交验收（附整改后照片）"),
        ),
        Action(
            name="verify",
            label=_("验收"),
            sources=[S.SUBMITTED],
            target=(S.CLOSED, S.RECTIFYING),
            permission="hazards.verify_hazard",
            service=services.verify,
            form=forms.VerifyForm,
            serializer=api.VerifySerializer,
            upload_serializer=api.VerifyUploadSerializer,
            note=True,
            photos="optional",
            guard=services.may_verify,
            style="primary",
            buttons=(
                Button(_("验收通过，销号"), "success", field="passed", value=True),
                Button(_("验收不通过"), "outline-danger", field="passed", value=False),
            ),
            api_summary=_("验收（passed=true 销号，false 退回整改）"),
            api_names=(HazardAction.CLOSE, HazardAction.REJECT),
        ),
        Action(
            name="extension_request",
            label=_("申请延期"),
            sources=WORKING,
            target=None,
            permission="hazards.rectify_hazard",
            service=services.request_extension,
            form=forms.ExtensionRequestForm,
            serializer=api.ExtensionCreateSerializer,
            note=True,
            guard=_owner_may_extend,
            api_summary=_("申请延期（由上级单位审批）"),
            api_status=201,
        ),
        Action(
            # Decided by the unit above the hazard's (its guard), on any state; the API
            # decides at /api/hazard-extensions/{id}/decide/.
            name="extension_decide",
            label=_("审批延期申请"),
            sources=[ANY_STATE],
            target=None,
            permission="hazards.decide_extension_hazard",
            scoped=False,
            service=services.decide_pending_extension,
            form=forms.ExtensionDecideForm,
            note=True,
            guard=services.may_decide_pending,
            buttons=(
                Button(_("同意延期"), "success", field="approve", value=True),
                Button(_("不同意"), "outline-danger", field="approve", value=False),
            ),
            api=False,
            api_names=(),
        ),
        Action(
            name="supervise",
            label=_("挂牌督办"),
            sources=OPEN_STATUSES,
            target=None,
            permission="hazards.supervise_hazard",
            service=services.supervise,
            form=forms.SuperviseForm,
            serializer=api.SuperviseSerializer,
            note=True,
            guard=services.may_supervise,
            api_summary=_("挂牌督办（上级单位）"),
            api_status=201,
        ),
        Action(
            # The supervised (owning) side answers its supervisors by the deadline.
            name="supervision_answer",
            label=_("答复督办"),
            sources=AWAITING_ANSWER,
            target=None,
            permission="hazards.rectify_hazard",
            service=services.answer_supervision,
            form=forms.SupervisionAnswerForm,
            serializer=api.SupervisionAnswerSerializer,
            upload_serializer=api.SupervisionAnswerUploadSerializer,
            note=True,
            photos="optional",
            guard=services.may_answer_supervision,
            api_path="answer-supervision",
            api_method="answer_supervision",
            api_summary=_("被督办单位答复挂牌督办（整改方案或进展）"),
        ),
        Action(
            # The page accepts; the API also refuses (accepted=false → back to rectification).
            name="supervision_accept",
            label=_("认可销号"),
            sources=[S.SUBMITTED],
            target=(S.CLOSED, S.RECTIFYING),
            permission="hazards.supervise_hazard",
            service=services.accept_supervision,
            form=forms.SupervisionAcceptForm,
            serializer=api.SupervisionDecisionSerializer,
            note=True,
            guard=services.may_accept_supervision,
            style="primary",
            api_path="accept-supervision",
            api_method="accept_supervision",
            api_summary=_("督办单位认可销号或退回整改"),
            api_names=(HazardAction.SUPERVISION_ACCEPT, HazardAction.SUPERVISION_REJECT),
        ),
    ],
)
