"""/api/trainings/ (xiaoan.core.api.registers: list with filters, read, create, update,
retire, import, export, materials as attachments) and a session's attendance:
`GET|POST {id}/attendance/` (list; mark people and outsiders), `POST {id}/attendance/sheet/`
(an Excel sheet, nothing written unless every row is right), `GET {id}/attendance/export/`,
`POST {id}/checkin/open|close/` (the QR code's token); and `POST /api/trainings/checkin/`
{token}: the caller checks in by the scanned code."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from xiaoan.core.api import error_body
from xiaoan.core.api.registers import XLSX, RegisterViewSet
from xiaoan.core.api.views import path_id, validated, with_errors
from xiaoan.core.errors import Invalid
from xiaoan.core.services import get_scoped
from xiaoan.training import services
from xiaoan.training.choices import AttendanceMethod
from xiaoan.training.models import TrainingSession
from xiaoan.training.registers import TRAININGS
from xiaoan.training.serializers import (
    TrainingAttendanceSerializer,
    TrainingCheckinResultSerializer,
    TrainingCheckinSerializer,
    TrainingMarkResultSerializer,
    TrainingMarkSerializer,
    TrainingSessionSerializer,
    TrainingSheetResultSerializer,
    TrainingSheetSerializer,
)


class TrainingViewSet(RegisterViewSet):
    """安全培训：培训场次的列表、登记、修改、注销、导入与导出，及参训人员。"""

    register = TRAININGS
    action_permission = {
        **RegisterViewSet.action_permission,
        "attendance": "view",  # marking asks the service for the right to change
        "attendance_sheet": "change",
        "attendance_export": "view",
        "checkin_open": "change",
        "checkin_close": "change",
    }

    def get_parsers(self):
        if getattr(self, "action", None) == "attendance_sheet":
            from xiaoan.core.api.parsers import upload_parsers

            return [p() for p in upload_parsers()]
        return super().get_parsers()

    @extend_schema(
        methods=["GET"],
        summary="参训人员列表",
        request=None,
        responses=with_errors({200: TrainingAttendanceSerializer(many=True)}),
    )
    @extend_schema(
        methods=["POST"],
        summary="登记参训人员",
        request=TrainingMarkSerializer,
        responses=with_errors({200: TrainingMarkResultSerializer}),
    )
    @action(detail=True, methods=["get", "post"], url_path="attendance")
    def attendance(self, request, pk=None):
        if request.method == "POST":
            body = validated(request, TrainingMarkSerializer)
            result = services.mark(
                request.user,
                path_id(pk),
                users=body["users"],
                outsiders=body["outsiders"],
                method=AttendanceMethod.API,
                replace=body["replace"],
            )
            return Response(result.as_dict())
        session = get_scoped(request.user, TrainingSession, path_id(pk))
        rows = services.attendance_of(session)
        return Response(TrainingAttendanceSerializer(rows, many=True).data)

    @extend_schema(
        summary="导入签到表",
        request={"multipart/form-data": TrainingSheetSerializer},
        responses=with_errors({200: TrainingSheetResultSerializer}),
    )
    @action(detail=True, methods=["post"], url_path="attendance/sheet")
    def attendance_sheet(self, request, pk=None):
        # Another unit's session is not found before its upload is read (a 400 would tell
        # that the id exists).
        get_scoped(request.user, TrainingSession, path_id(pk))
        body = validated(request, TrainingSheetSerializer)
        result = services.import_sheet(
            request.user, path_id(pk), body["file"], dry_run=body["dry_run"]
        )
        if result.ok:
            return Response(result.as_dict())
        fields = {f"第{row}行": [message] for row, message in result.errors}
        payload = error_body("invalid", str(Invalid.default_message), fields)
        payload["result"] = result.as_dict()
        return Response(payload, status=status.HTTP_400_BAD_REQUEST)

    @extend_schema(summary="导出签到表", request=None, responses=with_errors({200: XLSX}))
    @action(detail=True, methods=["get"], url_path="attendance/export")
    def attendance_export(self, request, pk=None):
        session = get_scoped(request.user, TrainingSession, path_id(pk))
        return services.attendance_response(session)

    @extend_schema(
        summary="开放（重新生成）扫码签到",
        request=None,
        responses=with_errors({200: TrainingSessionSerializer}),
    )
    @action(detail=True, methods=["post"], url_path="checkin/open")
    def checkin_open(self, request, pk=None):
        services.open_checkin(request.user, path_id(pk))
        return self._answer(path_id(pk))

    @extend_schema(
        summary="关闭扫码签到",
        request=None,
        responses=with_errors({200: TrainingSessionSerializer}),
    )
    @action(detail=True, methods=["post"], url_path="checkin/close")
    def checkin_close(self, request, pk=None):
        services.close_checkin(request.user, path_id(pk))
        return self._answer(path_id(pk))


class TrainingCheckinView(APIView):
    """扫码签到：登录用户凭二维码中的签到码签到（仅限培训覆盖单位的人员）。"""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="扫码签到",
        request=TrainingCheckinSerializer,
        responses=with_errors({200: TrainingCheckinResultSerializer}),
    )
    def post(self, request):
        body = validated(request, TrainingCheckinSerializer)
        session, recorded = services.check_in(request.user, body["token"])
        return Response({"session": session.pk, "name": session.name, "recorded": recorded})
