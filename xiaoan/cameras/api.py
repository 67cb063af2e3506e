"""/api/cameras/ and /api/alarm-points/: the 技防 registers' endpoints
(xiaoan.core.api.registers), and `GET /api/cameras/coverage/`: each school's key places
covered by a working camera."""

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from xiaoan.cameras.coverage import coverage_of
from xiaoan.cameras.registers import ALARM_POINTS, CAMERAS
from xiaoan.cameras.serializers import CameraCoverageRowSerializer
from xiaoan.core.api.registers import RegisterViewSet


class CameraViewSet(RegisterViewSet):
    """视频监控点位：列表、登记、修改、注销、导入与导出；重点部位覆盖情况。"""

    register = CAMERAS
    action_permission = {**RegisterViewSet.action_permission, "coverage": "view"}

    @extend_schema(
        summary="重点部位覆盖情况（每所学校：应覆盖、已覆盖、未覆盖的重点部位）",
        responses={200: CameraCoverageRowSerializer(many=True)},
    )
    @action(detail=False, methods=["get"])
    def coverage(self, request):
        from xiaoan.cameras.views import visible_schools

        rows = coverage_of(visible_schools(request.user))
        return Response([r.as_dict() for r in rows])


class AlarmPointViewSet(RegisterViewSet):
    """一键报警点位：列表、登记、修改、注销、导入与导出。"""

    register = ALARM_POINTS
