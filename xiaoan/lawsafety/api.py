"""/api/legal-vice-principals/ (with `POST {id}/activities/` and
`POST {id}/activities/{activity}/remove/`), /api/police-rooms/ and /api/counsellors/: the
three registers' endpoints (xiaoan.core.api.registers)."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action

from xiaoan.core.api.registers import RegisterViewSet
from xiaoan.core.api.views import path_id, validated, with_errors
from xiaoan.lawsafety import services
from xiaoan.lawsafety.registers import COUNSELLORS, LEGAL_VICE_PRINCIPALS, POLICE_ROOMS
from xiaoan.lawsafety.serializers import ActivityInputSerializer, LegalVicePrincipalSerializer


class LegalVicePrincipalViewSet(RegisterViewSet):
    """法治副校长：列表、登记、修改、注销、导入与导出（联系电话掩码显示），登记与删除活动记录。"""

    register = LEGAL_VICE_PRINCIPALS
    action_permission = {
        **RegisterViewSet.action_permission,
        "add_activity": "change",
        "remove_activity": "change",
    }

    @extend_schema(
        summary="登记一次活动（法治讲座、到校巡查、个案约谈等）",
        request=ActivityInputSerializer,
        responses=with_errors({201: LegalVicePrincipalSerializer}),
    )
    @action(detail=True, methods=["post"], url_path="activities")
    def add_activity(self, request, pk=None):
        body = validated(request, ActivityInputSerializer)
        services.add_activity(request.user, path_id(pk), body)
        return self._answer(path_id(pk), status.HTTP_201_CREATED)

    @extend_schema(
        summary="删除一条误登记的活动",
        request=None,
        responses=with_errors({200: LegalVicePrincipalSerializer}),
    )
    @action(detail=True, methods=["post"], url_path=r"activities/(?P<activity>\d+)/remove")
    def remove_activity(self, request, pk=None, activity=None):
        services.remove_activity(request.user, path_id(pk), activity)
        return self._answer(path_id(pk))


class PoliceRoomViewSet(RegisterViewSet):
    """校园警务室：列表、登记、修改、注销、导入与导出。"""

    register = POLICE_ROOMS


class CounsellorViewSet(RegisterViewSet):
    """心理健康教师：列表、登记、修改、注销、导入与导出。"""

    register = COUNSELLORS
