"""/api/equipment/: the 一台一档 register's endpoints (xiaoan.core.api.registers), and
`POST {id}/inspection/` to record a new statutory inspection."""

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action

from xiaoan.core.api.registers import RegisterViewSet
from xiaoan.core.api.views import path_id, validated, with_errors
from xiaoan.equipment import services
from xiaoan.equipment.registers import EQUIPMENT
from xiaoan.equipment.serializers import EquipmentSerializer, InspectionSerializer


class EquipmentViewSet(RegisterViewSet):
    """一台一档：特种设备档案的列表、登记、修改、注销、导入与导出，登记定期检验。"""

    register = EQUIPMENT
    action_permission = {**RegisterViewSet.action_permission, "inspection": "change"}

    @extend_schema(
        summary="登记定期检验（更新上次检验日期、结论和下次检验日期）",
        request=InspectionSerializer,
        responses=with_errors({200: EquipmentSerializer}),
    )
    @action(detail=True, methods=["post"])
    def inspection(self, request, pk=None):
        body = validated(request, InspectionSerializer)
        item = services.record_inspection(request.user, path_id(pk), **body)
        return self._answer(item.pk)
