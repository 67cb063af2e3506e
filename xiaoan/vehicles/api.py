"""/api/campus-vehicles/: the 校园车辆管理 register's endpoints (xiaoan.core.api.registers),
`GET|POST {id}/violations/` to read and record a vehicle's violations (a POST may
blacklist it) and `POST {id}/lift/` to lift its blacklisting with a reason."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from xiaoan.core.api.registers import RegisterViewSet
from xiaoan.core.api.views import path_id, validated, with_errors
from xiaoan.core.registers import get_scoped
from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.vehicles import services
from xiaoan.vehicles.models import Violation
from xiaoan.vehicles.registers import CAMPUS_VEHICLES
from xiaoan.vehicles.serializers import (
    CampusVehicleSerializer,
    LiftSerializer,
    ViolationInputSerializer,
    ViolationResultSerializer,
    ViolationSerializer,
)


class CampusVehicleViewSet(RegisterViewSet):
    """校园车辆：车辆的列表、登记、修改、注销、导入与导出，违规登记与黑名单解除。"""

    register = CAMPUS_VEHICLES
    action_permission = {
        **RegisterViewSet.action_permission,
        "violations": "view",
        "record_violation": "view",
        "lift": "view",
    }

    def has_access(self, user) -> bool:
        # The gate's and the lifting's own permissions, not the register's.
        own = {"record_violation": services.RECORD_PERM, "lift": services.LIFT_PERM}
        if getattr(self, "action", None) in own:
            return has_permission_anywhere(user, own[self.action])
        if getattr(self, "action", None) == "violations":
            return has_permission_anywhere(user, services.VIEW_VIOLATIONS_PERM)
        return super().has_access(user)

    @extend_schema(
        summary="车辆违规记录", responses=with_errors({200: ViolationSerializer(many=True)})
    )
    @action(detail=True, methods=["get"])
    def violations(self, request, pk=None):
        vehicle = get_scoped(request.user, self.register.model, path_id(pk))
        rows = (
            Violation.objects.restrict(request.user, "view")
            .filter(vehicle=vehicle)
            .select_related("vehicle", "recorded_by")
            .order_by("-occurred_on", "-pk")[:200]
        )
        return Response(ViolationSerializer(rows, many=True).data)

    @extend_schema(
        summary="登记车辆违规（达到规则次数自动列入黑名单）",
        request=ViolationInputSerializer,
        responses=with_errors({201: ViolationResultSerializer}),
    )
    @violations.mapping.post
    def record_violation(self, request, pk=None):
        body = validated(request, ViolationInputSerializer)
        violation = services.record_violation(
            request.user,
            path_id(pk),
            kind=body["kind"],
            occurred_on=body.get("occurred_on"),
            note=body.get("note", ""),
        )
        data = {
            "violation": ViolationSerializer(violation).data,
            "blacklisted": violation.blacklisted,
        }
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="解除车辆黑名单",
        request=LiftSerializer,
        responses=with_errors({200: CampusVehicleSerializer}),
    )
    @action(detail=True, methods=["post"])
    def lift(self, request, pk=None):
        body = validated(request, LiftSerializer)
        item = services.lift_blacklist(request.user, path_id(pk), reason=body["reason"])
        return self._answer(item.pk)
