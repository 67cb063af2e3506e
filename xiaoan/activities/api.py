"""/api/activities/: the education activities in scope (filters as on the ledger page), one
activity, recording one (JSON or multipart with photos; an `Idempotency-Key` header makes a
retry answer with the first, 200), changing one, adding photos; `calendar/`: the built-in
calendar with this year's windows; `coverage/`: who did and who did not for an event's
window below a unit."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from xiaoan.activities import calendar, services
from xiaoan.activities.filtersets import ActivityFilterSet
from xiaoan.activities.models import Activity
from xiaoan.activities.serializers import (
    ActivityCoverageSerializer,
    ActivityPhotoSerializer,
    ActivityPhotosSerializer,
    ActivitySerializer,
    ActivityWriteSerializer,
    CalendarEventSerializer,
)
from xiaoan.core.api.parsers import upload_parsers
from xiaoan.core.api.views import (
    IDEMPOTENCY_KEY,
    ScopedViewSetMixin,
    path_id,
    validated,
    with_errors,
)
from xiaoan.core.errors import Invalid, NotFound
from xiaoan.core.idempotency import request_fingerprint
from xiaoan.core.services import get_scoped
from xiaoan.core.views import photo_response

ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="活动 id")
COVERAGE_PAGE = 100
STR, INT = OpenApiTypes.STR, OpenApiTypes.INT
COVERAGE_PARAMETERS = [
    OpenApiParameter("event", STR, description="教育日（月）代码", required=True),
    OpenApiParameter("window", STR, description="活动时段，如 2026、2026-autumn；默认最近一次"),
    OpenApiParameter("unit", INT, description="单位 id（含下级）；默认本人范围最高一级"),
    OpenApiParameter(
        "state", STR, enum=["done", "missing"], description="只看已开展（done）或未开展（missing）"
    ),
    OpenApiParameter("page", INT, description="学校分页"),
]


def _window(p) -> dict:
    return {"key": p.key, "start": p.start, "end": p.end, "label": p.label}


class ActivityViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """安全教育活动：按范围查看、登记（可附照片）、修改、补充照片；教育日历；开展情况。"""

    model = Activity
    queryset = Activity.objects.none()  # the schema's model; requests use get_queryset
    serializer_class = ActivitySerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ActivityFilterSet
    parser_classes = upload_parsers()
    action_permission = {
        **ScopedViewSetMixin.action_permission,
        "photos": "view",  # adding asks the service for the right to change
        "photo": "view",
        "calendar": "view",
        "coverage": "view",
    }

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("unit", "recorded_by")
            .prefetch_related("photos")
            .order_by("-held_on", "-pk")
        )

    @extend_schema(parameters=[ID])
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary="登记安全教育活动",
        request={
            "application/json": ActivityWriteSerializer,
            "multipart/form-data": ActivityWriteSerializer,
        },
        parameters=[IDEMPOTENCY_KEY],
        responses=with_errors({201: ActivitySerializer, 200: ActivitySerializer}),
    )
    def create(self, request, *args, **kwargs):
        body = validated(request, ActivityWriteSerializer)
        if "unit" not in body:
            raise Invalid(fields={"unit": ["必填。"]})
        body.pop("version", None)
        activity = services.record(
            request.user,
            body.pop("unit"),
            photos=body.pop("photos", []),
            idempotency_key=request.headers.get("Idempotency-Key"),
            fingerprint=request_fingerprint(request),
            **body,
        )
        code = status.HTTP_200_OK if activity.replayed else status.HTTP_201_CREATED
        return Response(self._read(activity.pk), status=code)

    def _read(self, pk: int) -> dict:
        return ActivitySerializer(self.get_queryset().get(pk=pk)).data

    @extend_schema(
        summary="修改活动（只需给出要改的字段）",
        parameters=[ID],
        request=ActivityWriteSerializer,
        responses=with_errors({200: ActivitySerializer}),
    )
    def partial_update(self, request, pk=None):
        body = validated(request, ActivityWriteSerializer)
        body.pop("unit", None)
        photos = body.pop("photos", [])
        version = body.pop("version", None)
        activity = services.update(request.user, path_id(pk), version=version, **body)
        if photos:
            services.add_photos(request.user, activity.pk, photos)
        return Response(self._read(activity.pk))

    @extend_schema(
        summary="修改活动",
        parameters=[ID],
        request=ActivityWriteSerializer,
        responses=with_errors({200: ActivitySerializer}),
    )
    def update(self, request, pk=None):
        return self.partial_update(request, pk)

    @extend_schema(
        methods=["GET"],
        summary="活动照片列表",
        parameters=[ID],
        responses=with_errors({200: ActivityPhotoSerializer(many=True)}),
    )
    @extend_schema(
        methods=["POST"],
        summary="补充活动照片（multipart，photos 可多张）",
        parameters=[ID],
        request={"multipart/form-data": ActivityPhotosSerializer},
        responses=with_errors({201: ActivityPhotoSerializer(many=True)}),
    )
    @action(detail=True, methods=["get", "post"])
    def photos(self, request, pk=None):
        # Another school's activity is not found before an upload is read.
        activity = get_scoped(request.user, Activity, path_id(pk))
        if request.method == "GET":
            return Response(ActivityPhotoSerializer(activity.photos.all(), many=True).data)
        body = validated(request, ActivityPhotosSerializer)
        made = services.add_photos(request.user, path_id(pk), body["photos"])
        return Response(
            ActivityPhotoSerializer(made, many=True).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="活动照片文件（JPEG）",
        parameters=[
            ID,
            OpenApiParameter(
                "photo", OpenApiTypes.INT, OpenApiParameter.PATH, description="照片 id"
            ),
        ],
        responses=with_errors({200: OpenApiResponse(OpenApiTypes.BINARY, description="照片")}),
    )
    @action(detail=True, methods=["get"], url_path=r"photos/(?P<photo>[^/.]+)")
    def photo(self, request, pk=None, photo=None):
        found = services.photo_for(request.user, path_id(photo))
        if found.activity_id != path_id(pk):
            raise NotFound()
        return photo_response(found)

    @extend_schema(
        summary="安全教育日历（内置的国家教育日、月及本年活动时段）",
        filters=False,
        responses=with_errors({200: CalendarEventSerializer(many=True)}),
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def calendar(self, request):
        today = timezone.localdate()
        rows = [
            {
                "code": e.code,
                "name": str(e.name),
                "rule": str(e.rule_text),
                "kinds": list(e.kinds),
                "windows": [_window(p) for p in e.windows(today.year)],
                "open": e.window_of(today) is not None,
            }
            for e in calendar.EVENTS
        ]
        return Response(CalendarEventSerializer(rows, many=True).data)

    @extend_schema(
        summary="开展情况：某教育日（月）某时段，单位下各学校已开展、未开展",
        filters=False,
        parameters=COVERAGE_PARAMETERS,
        responses=with_errors({200: ActivityCoverageSerializer}),
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def coverage(self, request):
        params = request.query_params
        cover = services.coverage(
            request.user, params.get("event"), params.get("window"), params.get("unit")
        )
        schools = services.schools_of(request.user, cover.root, cover.event, cover.window)
        state = params.get("state")
        if state == "done":
            schools = schools.filter(done=True)
        elif state == "missing":
            schools = schools.filter(done=False)
        page = Paginator(schools, COVERAGE_PAGE).get_page(params.get("page"))
        acts = services.activities_by_school(page.object_list, cover.event, cover.window)
        data = {
            "event": cover.event.code,
            "window": _window(cover.window),
            "unit": cover.root.pk,
            "total": cover.total,
            "done": cover.done,
            "missing": cover.missing,
            "branches": [
                {
                    "unit": b.unit_id,
                    "unit_name": b.name,
                    "total": b.total,
                    "done": b.done,
                    "missing": b.missing,
                }
                for b in cover.branches
            ],
            "schools": [
                {
                    "unit": s.pk,
                    "unit_name": s.name,
                    "done": s.done,
                    "activities": [a.pk for a in acts.get(s.pk, [])],
                }
                for s in page.object_list
            ],
            "count": page.paginator.count,
        }
        return Response(ActivityCoverageSerializer(data).data)
