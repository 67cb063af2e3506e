"""/api/closure-samples/: the 销号复核 samples (list, draw, one with its reviews and the
reproducibility check) and the review of one item (POST …/reviews/{review_id}/)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from xiaoan.closure import services
from xiaoan.closure.api import serializers as s
from xiaoan.closure.models import ClosureSample
from xiaoan.core.api.parsers import upload_parsers
from xiaoan.core.api.views import ScopedViewSetMixin, path_id, validated, with_errors
from xiaoan.core.errors import NotFound


class ClosureSampleViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """销号复核：教育主管部门每月对下级单位已销号隐患按权重随机抽样（可复现），逐项复核；
    复核不合格的隐患退回整改并记为假整改。"""

    model = ClosureSample
    serializer_class = s.ClosureSampleSerializer
    parser_classes = upload_parsers()

    def has_access(self, user) -> bool:
        # A reviewer records the items given to them, whatever their rights elsewhere.
        if self.action == "review":
            return services.my_reviews(user).exists() or super().has_access(user)
        return super().has_access(user)

    def get_queryset(self):
        return services.samples_for(self.request.user).select_related("organiser")

    def detail_response(self, sample: ClosureSample, status: int = 200) -> Response:
        reviews = services.reviews_of(self.request.user).filter(sample=sample)
        reviews = reviews.select_related("hazard", "unit", "reviewer")
        data = s.ClosureSampleDetailSerializer(sample, context={"reviews": list(reviews)}).data
        return Response(data, status=status)

    @extend_schema(
        summary="销号复核抽样列表",
        responses=with_errors({200: s.ClosureSampleSerializer(many=True)}),
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="销号复核抽样（候选、权重、种子、抽中隐患、是否可复现、逐项复核）",
        responses=with_errors({200: s.ClosureSampleDetailSerializer}),
    )
    def retrieve(self, request, *args, **kwargs):
        return self.detail_response(services.load_sample(request.user, path_id(kwargs["pk"])))

    @extend_schema(
        summary="抽取销号复核（按月、按权重随机，可复现）",
        request=s.ClosureSampleCreateSerializer,
        responses=with_errors({201: s.ClosureSampleDetailSerializer}),
    )
    def create(self, request, *args, **kwargs):
        data = validated(request, s.ClosureSampleCreateSerializer)
        sample = services.create_sample(request.user, **data)
        return self.detail_response(sample, status=201)

    @extend_schema(
        summary="登记一项复核结果（不合格：隐患退回整改并记为假整改）",
        request={
            "application/json": s.ClosureReviewRecordSerializer,
            "multipart/form-data": s.ClosureReviewRecordSerializer,
        },
        responses=with_errors({200: s.ClosureReviewSerializer}),
        parameters=[OpenApiParameter("review_id", OpenApiTypes.INT, OpenApiParameter.PATH)],
    )
    @action(detail=True, methods=["post"], url_path=r"reviews/(?P<review_id>[^/.]+)")
    def review(self, request, pk=None, review_id=None):
        sample_pk, review_pk = path_id(pk), path_id(review_id)
        found = services.load_review(request.user, review_pk)
        if found.sample_id != sample_pk:
            raise NotFound()
        data = validated(request, s.ClosureReviewRecordSerializer)
        review = services.record_review(
            request.user,
            review_pk,
            passed=data["passed"],
            note=data.get("note", ""),
            photos=data.get("photos") or [],
            version=data.get("version"),
        )
        return Response(s.ClosureReviewSerializer(review).data)
