"""/api/incidents/: list (filters), the incident (timeline, findings, who was on duty and the
actions allowed), the first report (POST) and one POST per workflow step (edit,
follow-up, classify, review, to-hazard, assign-finding, finish-finding, close).
/api/duty-rosters/ is the roster register's API."""

from __future__ import annotations

from django.db.models import Prefetch
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.response import Response

from xiaoan.core.api.registers import RegisterViewSet
from xiaoan.core.api.views import ScopedViewSetMixin, path_id, validated, with_errors
from xiaoan.core.api.workflow import WorkflowViewSetMixin
from xiaoan.incidents import services
from xiaoan.incidents.api import serializers as s
from xiaoan.incidents.filtersets import IncidentFilter
from xiaoan.incidents.models import Finding, FollowUp, Incident
from xiaoan.incidents.registers import ROSTER
from xiaoan.incidents.workflow import INCIDENT


class IncidentViewSet(
    WorkflowViewSetMixin,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """事件：首报、续报、上级定性、复盘（问题登记为隐患）、结案；较大及以上事件 2 小时首报。"""

    model = Incident
    serializer_class = s.IncidentSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = IncidentFilter
    workflow = INCIDENT
    workflow_response = s.IncidentDetailSerializer
    action_permission = {
        **ScopedViewSetMixin.action_permission,
        "edit": "change",
        "follow_up": "change",
        "assign_finding": "review",
        "finish_finding": "view",
        "classify": "classify",
        "review": "review",
        "to_hazard": "review",
        "close": "classify",
    }

    def has_access(self, user) -> bool:
        # The owner of a review problem reads its incident and records the problem done.
        return super().has_access(user) or services.reads_as_owner(user, self.owner_action())

    def owner_action(self) -> str:
        return "view" if self.action in ("list", "retrieve") else str(self.action or "")

    def workflow_gate(self, user, action) -> None:
        if not services.reads_as_owner(user, action.name):
            super().workflow_gate(user, action)

    def get_queryset(self):
        return (
            Incident.objects.restrict(self.request.user, "view")
            .select_related("unit")
            .order_by("-occurred_at", "-id")
        )

    def workflow_result(self, pk: int) -> Response:
        incident = services.load(self.request.user, pk)
        incident = (
            Incident.objects.filter(pk=incident.pk)
            .select_related("unit")
            .prefetch_related(
                Prefetch("follow_ups", FollowUp.objects.select_related("by")),
                Prefetch(
                    "findings",
                    Finding.objects.select_related("hazard", "owner").order_by("seq"),
                ),
                "events__actor",
            )
            .get()
        )
        data = s.IncidentDetailSerializer(incident, context={"request": self.request}).data
        return Response(data)

    @extend_schema(
        summary="事件列表", responses=with_errors({200: s.IncidentSerializer(many=True)})
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="事件（含续报、复盘问题、当时值班人员、处理记录和可执行动作）",
        responses=with_errors({200: s.IncidentDetailSerializer}),
    )
    def retrieve(self, request, *args, **kwargs):
        return self.workflow_result(path_id(kwargs.get("pk")))

    @extend_schema(
        summary="首报事件",
        request=s.IncidentReportSerializer,
        responses=with_errors({201: s.IncidentDetailSerializer}),
    )
    def create(self, request, *args, **kwargs):
        data = validated(request, s.IncidentReportSerializer)
        incident = services.report(request.user, **data)
        response = self.workflow_result(incident.pk)
        response.status_code = 201
        return response


class DutyRosterViewSet(RegisterViewSet):
    """值班安排：节假日和敏感时期的值班表（列表、登记、修改、注销、导入与导出）。"""

    register = ROSTER
