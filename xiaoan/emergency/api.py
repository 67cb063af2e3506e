"""/api/emergency-plans/ and /api/emergency-teams/ (xiaoan.core.api.registers), and a
team's members one at a time: `POST {id}/members/` and `POST {id}/members/{member}/remove/`
(the whole roster is also written by `members` in a team's PUT/PATCH)."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from xiaoan.core.api.registers import RegisterViewSet
from xiaoan.core.api.views import path_id, validated, with_errors
from xiaoan.emergency import services
from xiaoan.emergency.registers import PLANS, TEAMS
from xiaoan.emergency.serializers import EmergencyTeamSerializer, TeamMemberSerializer


class EmergencyPlanViewSet(RegisterViewSet):
    """应急预案：综合预案、专项预案、现场处置方案的列表、登记、修改、注销、导入与导出。"""

    register = PLANS


class EmergencyTeamViewSet(RegisterViewSet):
    """应急队伍：义务消防队、应急救援队及其队员。"""

    register = TEAMS
    action_permission = {
        **RegisterViewSet.action_permission,
        "add_member": "change",
        "remove_member": "change",
    }

    @extend_schema(
        summary="增加队员",
        request=TeamMemberSerializer,
        responses=with_errors({201: EmergencyTeamSerializer}),
    )
    @action(detail=True, methods=["post"], url_path="members")
    def add_member(self, request, pk=None):
        body = validated(request, TeamMemberSerializer)
        services.add_member(request.user, path_id(pk), body)
        return self._answer(path_id(pk), status.HTTP_201_CREATED)

    @extend_schema(
        summary="移除队员", request=None, responses=with_errors({200: EmergencyTeamSerializer})
    )
    @action(detail=True, methods=["post"], url_path=r"members/(?P<member>\d+)/remove")
    def remove_member(self, request, pk=None, member=None):
        services.remove_member(request.user, path_id(pk), member)
        return self._answer(path_id(pk))


__all__ = ["EmergencyPlanViewSet", "EmergencyTeamViewSet", "Response"]
