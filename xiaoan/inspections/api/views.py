"""/api/inspections/ and /api/checklists/.

Views only parse requests and call `xiaoan.inspections.services`; the services decide scope
(404), rights (403), state and version (409) and input (400). Before that, a caller who may
do the endpoint's action nowhere at all (and is invited nowhere) gets a 403.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F, Prefetch
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from xiaoan.accounts.models import User
from xiaoan.core.api.parsers import upload_parsers
from xiaoan.core.api.views import (
    IDEMPOTENCY_KEY,
    ScopedViewSetMixin,
    path_id,
    validated,
    with_errors,
)
from xiaoan.core.api.workflow import WorkflowViewSetMixin
from xiaoan.core.errors import NotFound
from xiaoan.core.idempotency import request_fingerprint
from xiaoan.core.views import photo_response
from xiaoan.inspections import checklists, missed, services
from xiaoan.inspections.api.serializers import (
    ChecklistCopySerializer,
    ChecklistDetailSerializer,
    ChecklistListSerializer,
    ChecklistReviseSerializer,
    InspectionCreateSerializer,
    InspectionDetailSerializer,
    InspectionListSerializer,
    InviteCandidateSerializer,
    InviteInputSerializer,
    InviteSerializer,
    MissedCountSerializer,
    PhotoUploadSerializer,
)
from xiaoan.inspections.filtersets import ChecklistFilterSet, InspectionFilterSet, period_validator
from xiaoan.inspections.models import (
    ChecklistTemplate,
    Inspection,
    InspectionInvite,
    ItemResult,
    ResultPhoto,
)
from xiaoan.inspections.workflow import INSPECTION
from xiaoan.orgs.models import Unit

PARSERS = upload_parsers()


def _invited(user: Any) -> bool:
    return InspectionInvite.objects.filter(user_id=user.pk).exists()


DETAIL = with_errors({200: InspectionDetailSerializer})


class InspectionViewSet(
    WorkflowViewSetMixin,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Inspections in the caller's scope, plus those they are invited to. The workflow's
    actions (draft, submit, close) come from xiaoan.inspections.workflow."""

    model = Inspection
    workflow = INSPECTION
    workflow_response = InspectionDetailSerializer
    serializer_class = InspectionListSerializer
    filterset_class = InspectionFilterSet
    filter_backends = [DjangoFilterBackend]
    parser_classes = PARSERS
    # The permission each endpoint needs somewhere; invited people may read and conduct.
    action_permission = {
        "list": "view",
        "retrieve": "view",
        "photo": "view",
        "missed": "view",
        "create": "add",
        "draft": "conduct",
        "submit": "conduct",
        "upload": "conduct",
        "invite": "change",
        "invite_candidates": "change",
        "team": "change",
        "close": "change",
    }

    def has_access(self, user) -> bool:
        if super().has_access(user):
            return True
        return self.permission_action() in ("view", "conduct") and _invited(user)

    def workflow_gate(self, user: Any, action: Any) -> None:
        if action.scope_action == "conduct" and _invited(user):
            return  # an invited person conducts that inspection (the service checks which)
        super().workflow_gate(user, action)

    def workflow_input(self, action: Any, data: dict[str, Any]) -> dict[str, Any]:
        if action.name == "submit":
            data["idempotency_key"] = self.request.headers.get("Idempotency-Key")
            data["fingerprint"] = request_fingerprint(self.request)
        return data

    def workflow_result(self, pk: int) -> Response:
        return self._detail(pk)

    def base_queryset(self):
        queryset = Inspection.objects.select_related(
            "unit", "organiser", "checklist__template"
        ).order_by("-scheduled_on", "-pk")
        if self.action == "retrieve":
            queryset = queryset.select_related(
                "created_by", "submitted_by", "leader__unit"
            ).prefetch_related(
                Prefetch("members", User.objects.select_related("unit").order_by("unit__path")),
                "checklist__items",
                Prefetch(
                    "results",
                    ItemResult.objects.select_related("item", "hazard").prefetch_related(
                        Prefetch("photos", ResultPhoto.objects.order_by("created_at", "pk"))
                    ),
                ),
                Prefetch("invites", InspectionInvite.objects.select_related("user")),
            )
        return queryset

    def _detail(self, pk: int) -> Response:
        obj = self.get_queryset_for_detail().filter(pk=pk).first()
        if obj is None:
            raise NotFound()
        return Response(self.detail_data(obj))

    def detail_data(self, obj: Inspection) -> dict[str, Any]:
        context = {
            "request": self.request,
            "allowed_actions": INSPECTION.allowed_names(self.request.user, obj),
        }
        return InspectionDetailSerializer(obj, context=context).data

    def get_queryset_for_detail(self):
        action_name = self.action
        self.action = "retrieve"
        try:
            return self.get_queryset()
        finally:
            self.action = action_name

    @extend_schema(
        summary="检查列表",
        description=(
            "筛选：q 标题或编号（JC-2026-0001）、kind 类型、status 状态、"
            "unit 被检查单位（含下级）、period 期间 YYYY-MM。"
        ),
        responses=with_errors({200: InspectionListSerializer(many=True)}),
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="检查记录（检查项、结果、照片、隐患、受邀人员）", responses=DETAIL)
    def retrieve(self, request, *args, **kwargs):
        return Response(self.detail_data(self.get_object()))

    def get_serializer_class(self):
        if self.action == "retrieve":
            return InspectionDetailSerializer
        return super().get_serializer_class()

    @extend_schema(
        summary="新建检查",
        request=InspectionCreateSerializer,
        responses=with_errors({201: InspectionDetailSerializer}),
    )
    def create(self, request, *args, **kwargs):
        data = validated(request, InspectionCreateSerializer)
        inspection = services.create_inspection(request.user, **data)
        response = self._detail(inspection.pk)
        response.status_code = status.HTTP_201_CREATED
        return response

    @extend_schema(
        summary="上传检查项照片",
        parameters=[OpenApiParameter("item_pk", OpenApiTypes.INT, OpenApiParameter.PATH)],
        request={"multipart/form-data": PhotoUploadSerializer},
        responses=DETAIL,
    )
    @action(detail=True, methods=["post"], url_path=r"items/(?P<item_pk>\d+)/photos")
    def upload(self, request, pk=None, item_pk=None):
        data = validated(request, PhotoUploadSerializer)
        services.save_draft(request.user, path_id(pk), photos={path_id(item_pk): data["photos"]})
        return self._detail(path_id(pk))

    @extend_schema(
        summary="检查照片（JPEG）",
        parameters=[OpenApiParameter("photo_pk", OpenApiTypes.INT, OpenApiParameter.PATH)],
        responses=with_errors(
            {(200, "image/jpeg"): OpenApiResponse(OpenApiTypes.BINARY, description="JPEG 照片")}
        ),
    )
    @action(detail=True, methods=["get"], url_path=r"photos/(?P<photo_pk>\d+)")
    def photo(self, request, pk=None, photo_pk=None):
        visible = Inspection.objects.restrict(request.user, "view").filter(pk=path_id(pk))
        photo = ResultPhoto.objects.filter(
            result__inspection__in=visible.values("pk"), pk=path_id(photo_pk)
        ).first()
        if photo is None:
            raise NotFound()
        return photo_response(photo)

    @extend_schema(
        summary="邀请检查人员（交叉检查、校外专家、第三方）",
        request=InviteInputSerializer,
        responses=with_errors({201: InviteSerializer}),
    )
    @action(detail=True, methods=["post"])
    def invite(self, request, pk=None):
        data = validated(request, InviteInputSerializer)
        invitation = services.invite(
            request.user, path_id(pk), user=data["user"], role=data["role"]
        )
        return Response(InviteSerializer(invitation).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="可邀请的人员（邀请选择器用）",
        description=(
            "只列出调用者可见的人员和平台专家库（无所属单位、无平台角色的在用账号），最多 20 人。"
        ),
        parameters=[OpenApiParameter("q", OpenApiTypes.STR, description="姓名、用户名或手机号")],
        responses=with_errors({200: InviteCandidateSerializer(many=True)}),
    )
    @action(detail=True, methods=["get"], url_path="invite-candidates")
    def invite_candidates(self, request, pk=None):
        people = services.invite_candidates(
            request.user, path_id(pk), request.query_params.get("q", "")
        )
        return Response(InviteCandidateSerializer(people, many=True).data)

    @extend_schema(
        summary="自查未发现：按单位统计",
        description="督查、暗访、联合抽查、交叉检查、专家评估、第三方检查判为不符合，而本单位同月自查判为符合的检查项数（无论自查先提交还是后提交）。",
        parameters=[
            OpenApiParameter("period", OpenApiTypes.STR, description="期间 YYYY-MM"),
            OpenApiParameter("unit", OpenApiTypes.INT, description="单位 id（含下级）"),
        ],
        filters=False,
        responses=with_errors({200: MissedCountSerializer(many=True)}),
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="missed-by-self-check",
        pagination_class=None,
        filter_backends=[],
    )
    def missed(self, request):
        from django.core.exceptions import ValidationError

        from xiaoan.core.errors import Invalid

        period = request.query_params.get("period") or None
        if period:
            try:
                period_validator(period)
            except ValidationError:
                raise Invalid(fields={"period": [_("期间格式为 YYYY-MM。")]}) from None
        unit = None
        raw = request.query_params.get("unit")
        if raw:
            unit = Unit.objects.restrict(request.user).filter(pk=path_id(raw)).first()
            if unit is None:
                raise NotFound()
        rows = missed.missed_counts(request.user, period=period, unit=unit)
        return Response(MissedCountSerializer(rows, many=True).data)


# The submission's retry key (a header, outside the declared request body).
InspectionViewSet.submit = extend_schema(
    description=(
        "可同时带上最后的结果。每个不符合项生成一条隐患（来源：检查发现），判定标准项直接"
        "确认为重大隐患。重复提交不会重复创建；检查已结束时返回 409；缺少结果、须拍照项"
        "没有照片或检查项不属于本检查表时返回 400，且不写入任何内容。"
    ),
    parameters=[IDEMPOTENCY_KEY],
)(InspectionViewSet.submit)


class ChecklistViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The checklist library the caller may use: built-ins and the copies of their units."""

    model = ChecklistTemplate
    serializer_class = ChecklistListSerializer
    filterset_class = ChecklistFilterSet
    filter_backends = [DjangoFilterBackend]
    action_permission = {
        "list": "view",
        "retrieve": "view",
        "copy": "add",
        "revise": "change",
    }

    def base_queryset(self):
        queryset = (
            ChecklistTemplate.objects.select_related("owner_unit", "current_version")
            .annotate(item_count=Count("current_version__items"))
            .order_by(F("owner_unit_id").asc(nulls_first=True), "code")
        )
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("versions")
        return queryset

    def get_serializer_class(self):
        if self.action == "retrieve":
            return ChecklistDetailSerializer
        return super().get_serializer_class()

    def _detail(self, pk: int) -> Response:
        self.action = "retrieve"
        obj = self.get_queryset().get(pk=pk)
        return Response(ChecklistDetailSerializer(obj).data)

    @extend_schema(
        summary="检查表库", responses=with_errors({200: ChecklistListSerializer(many=True)})
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="检查表（当前版本的检查项与历次版本）",
        responses=with_errors({200: ChecklistDetailSerializer}),
    )
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary="复制为本单位检查表",
        request=ChecklistCopySerializer,
        responses=with_errors({201: ChecklistDetailSerializer}),
    )
    @action(detail=True, methods=["post"])
    def copy(self, request, pk=None):
        data = validated(request, ChecklistCopySerializer)
        copy = checklists.copy_template(
            request.user, path_id(pk), unit=data["unit"], name=data["name"]
        )
        response = self._detail(copy.pk)
        response.status_code = status.HTTP_201_CREATED
        return response

    @extend_schema(
        summary="调整本单位检查表（检查项有变化时生成新版本）",
        request=ChecklistReviseSerializer,
        responses=with_errors({200: ChecklistDetailSerializer}),
    )
    @action(detail=True, methods=["post"])
    def revise(self, request, pk=None):
        data = validated(request, ChecklistReviseSerializer)
        checklists.revise_template(
            request.user,
            path_id(pk),
            items=data.get("items"),
            name=data.get("name"),
            description=data.get("description"),
            is_active=data.get("is_active"),
            note=data.get("note", ""),
        )
        return self._detail(path_id(pk))
