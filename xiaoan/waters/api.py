"""/api/waters/: the 重点水域 register's endpoints (xiaoan.core.api.registers), and
`GET|POST {id}/patrols/`: the water's patrols, and logging one."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from xiaoan.core.api.registers import RegisterViewSet
from xiaoan.core.api.views import path_id, validated, with_errors
from xiaoan.core.services import get_scoped
from xiaoan.waters import services
from xiaoan.waters.models import Water, WaterPatrol
from xiaoan.waters.registers import WATERS
from xiaoan.waters.serializers import PatrolSerializer


class WaterViewSet(RegisterViewSet):
    """重点水域：列表、登记、修改、注销、导入与导出；巡查记录的查看与登记。"""

    register = WATERS
    action_permission = {**RegisterViewSet.action_permission, "patrols": "view"}

    def has_access(self, user) -> bool:
        from xiaoan.core.scoping import has_permission_anywhere

        if getattr(self, "action", None) == "patrols" and self.request.method == "POST":
            return has_permission_anywhere(user, services.PATROL_PERM)
        return super().has_access(user)

    @extend_schema(
        summary="水域巡查记录（GET 列表；POST 登记一次巡查，可将发现的问题登记为隐患）",
        request=PatrolSerializer,
        responses=with_errors({200: PatrolSerializer(many=True), 201: PatrolSerializer}),
    )
    @action(detail=True, methods=["get", "post"])
    def patrols(self, request, pk=None):
        if request.method == "POST":
            body = validated(request, PatrolSerializer)
            patrol = services.record_patrol(request.user, path_id(pk), **body)
            return Response(PatrolSerializer(patrol).data, status=status.HTTP_201_CREATED)
        water = get_scoped(request.user, Water, path_id(pk))
        rows = WaterPatrol.objects.filter(water=water).select_related("recorded_by")[:100]
        return Response(PatrolSerializer(rows, many=True).data)
