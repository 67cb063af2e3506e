"""/api/events/: the 大型活动 register's endpoints (xiaoan.core.api.registers), and
`POST {id}/signoff/` for the sign-off (签批)."""

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action

from xiaoan.core.api.registers import RegisterViewSet
from xiaoan.core.api.views import path_id, validated, with_errors
from xiaoan.events import services
from xiaoan.events.registers import EVENTS
from xiaoan.events.serializers import LargeEventSerializer, SignOffSerializer


class EventViewSet(RegisterViewSet):
    """大型活动：活动的列表、登记、修改、注销、导入与导出，活动前签批。"""

    register = EVENTS
    action_permission = {**RegisterViewSet.action_permission, "signoff": "signoff"}

    @extend_schema(
        summary="签批大型活动（须已上传安全方案、活动前检查已完成且重大隐患已销号，开始日期前）",
        request=SignOffSerializer,
        responses=with_errors({200: LargeEventSerializer}),
    )
    @action(detail=True, methods=["post"])
    def signoff(self, request, pk=None):
        body = validated(request, SignOffSerializer)
        item = services.sign_off(request.user, path_id(pk), **body)
        return self._answer(item.pk)
