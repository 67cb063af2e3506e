"""/api/hazards/: the ledger, the record, reporting, one POST per transition, counts and the
three official lists; /api/hazard-extensions/{id}/decide/.

Views only parse requests and call `xiaoan.hazards.services`; the services decide scope
(404), rights (403), state and version (409) and input (400). Before that, a caller who holds
the action's permission nowhere gets a 403 without the hazard being looked at.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Min, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import SearchFilter
from rest_framework.response import Response

from xiaoan.core.api.parsers import upload_parsers
from xiaoan.core.api.views import IDEMPOTENCY_KEY, path_id, validated, with_errors
from xiaoan.core.api.workflow import WorkflowViewSetMixin
from xiaoan.core.errors import Forbidden, Invalid, NotFound
from xiaoan.core.idempotency import request_fingerprint
from xiaoan.core.views import photo_response
from xiaoan.core.workflow import Action
from xiaoan.core.xlsx import XLSX
from xiaoan.hazards import exports, services, tally
from xiaoan.hazards.api.serializers import (
    DecideExtensionSerializer,
    ExtensionRequestSerializer,
    HazardCountsSerializer,
    HazardDetailSerializer,
    HazardListSerializer,
    HazardReportSerializer,
    HazardReportUploadSerializer,
)
from xiaoan.hazards.choices import OPEN_STATUSES, HazardLevel, HazardStatus
from xiaoan.hazards.filtersets import HazardFilterSet
from xiaoan.hazards.models import ExtensionRequest, Hazard, HazardEvent, HazardPhoto, Supervision
from xiaoan.hazards.workflow import HAZARD
from xiaoan.orgs.models import Place

EXPORT_KINDS = list(exports.EXPORT_KINDS)


# The people a hazard names (finder, owner) take part without a role: `restrict` widens
# "view" and "rectify" for them, so the gate does too.
def _gate(user: Any, action: str) -> None:
    """403 when `user` may `action` no hazard at all (the hazard itself is checked later)."""
    if not services.may_act_somewhere(user, action):
        raise Forbidden()


def _place(pk: int | None) -> Place | None:
    """The place named in a request; whether it belongs to the hazard's unit is the
    service's question."""
    if pk is None:
        return None
    place = Place.objects.filter(pk=pk).first()
    if place is None:
        raise Invalid(fields={"place": [_("场所不存在。")]})
    return place


def _photos(request, validated: dict) -> list:
    """Photos sent as `photos` (validated) or, as some form libraries do, `photos[]`."""
    return list(validated.get("photos") or request.FILES.getlist("photos[]"))


PARSERS = upload_parsers()


def _request(serializer, upload=None) -> dict:
    """JSON, or multipart when photos come along (`upload` adds the photos field)."""
    return {"application/json": serializer, "multipart/form-data": upload or serializer}


DETAIL = with_errors({200: HazardDetailSerializer})
FILTER_NOTE = "筛选参数与隐患台账相同。"


class HazardViewSet(
    WorkflowViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """隐患台账 in the caller's scope: the unit scope, plus what they reported or own; one POST
    per action of the hazard workflow (declared in xiaoan.hazards.workflow).

    Not ScopedViewSetMixin: its gate asks for "view" on lists, which would shut out the
    随手拍 reporters who see only their own reports."""

    serializer_class = HazardListSerializer
    filterset_class = HazardFilterSet
    # The filterset brings its own `ordering`; DRF's OrderingFilter would read it twice.
    filter_backends = [DjangoFilterBackend, SearchFilter]
    search_fields = ["number", "description", "place_text", "category"]
    parser_classes = PARSERS
    workflow = HAZARD
    workflow_response = HazardDetailSerializer
    # The permission each other endpoint needs somewhere (see `_gate`); the workflow's
    # actions need theirs (`workflow_gate`).
    action_permission = {
        "list": "view",
        "retrieve": "view",
        "counts": "view",
        "photo": "view",
        "export": "export",
        "create": "add",
    }

    def perform_content_negotiation(self, request, force=False):
        # The export answers a file whatever the client accepts (Accept: the xlsx type must
        # not get 406); errors stay JSON.
        return super().perform_content_negotiation(request, force=force or self.action == "export")

    def initial(self, request, *args, **kwargs):
        # Authentication and DRF permissions first (401/403 for anonymous), then the gate.
        super().initial(request, *args, **kwargs)
        if self.workflow_action() is None:
            _gate(request.user, self.action_permission.get(self.action, "view"))

    def get_queryset(self):
        return self.base_queryset(record=self.action == "retrieve").restrict(
            self.request.user, "view"
        )

    def base_queryset(self, record: bool = False):
        """Rows with their joins (a list page costs the same queries at any size); the
        record also prefetches its timeline, photos, supervisions and extensions."""
        queryset = Hazard.objects.select_related(
            "unit", "owner_unit", "owner", "finder", "place__parent__parent__parent"
        )
        if record:
            queryset = queryset.select_related(
                "submitted_by", "closed_by", "recurrence_of"
            ).prefetch_related(
                Prefetch("events", HazardEvent.objects.select_related("actor")),
                Prefetch("photos", HazardPhoto.objects.order_by("created_at", "pk")),
                Prefetch(
                    "supervisions",
                    Supervision.objects.select_related(
                        "supervising_unit", "listed_by", "accepted_by", "answered_by"
                    ).order_by("listed_at", "pk"),
                ),
                Prefetch(
                    "extensions",
                    ExtensionRequest.objects.select_related("requested_by", "decided_by").order_by(
                        "created_at", "pk"
                    ),
                ),
            )
        return queryset.order_by("-found_at", "-pk")

    def filter_queryset(self, queryset):
        return exports.ordered(super().filter_queryset(queryset))

    def known_total(self) -> int | None:
        """The list's total from the tally when nothing but the unit narrows it."""
        if self.action != "list":
            return None
        counts = tally.counts_for_query(self.request.user, self.request.query_params)
        return counts["total"] if counts else None

    # ------------------------------------------------------------ read

    def _detail(self, hazard_pk: int) -> Response:
        records = self.base_queryset(record=True)
        obj = records.restrict(self.request.user, "view").filter(pk=hazard_pk).first()
        if obj is None:
            # Services act only on hazards the caller sees; should the action itself have
            # taken it out of their sight, still answer with the record they acted on.
            obj = records.get(pk=hazard_pk)
        return Response(HazardDetailSerializer(obj, context=self._detail_context(obj)).data)

    def _detail_context(self, hazard: Hazard) -> dict:
        user = self.request.user
        by_event: dict[int, list[int]] = {}
        for photo in hazard.photos.all():
            if photo.event_id:
                by_event.setdefault(photo.event_id, []).append(photo.pk)
        return {
            "request": self.request,
            "allowed_actions": HAZARD.allowed_names(user, hazard),
            "may_decide_extension": services.may_decide_extension(user, hazard),
            "photos_by_event": by_event,
        }

    @extend_schema(
        summary="隐患台账",
        description=FILTER_NOTE + "search 在编号、描述、位置、类别中查找。",
        responses=with_errors({200: HazardListSerializer(many=True)}),
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="隐患记录（含处置过程、照片、督办、延期与可执行动作）", responses=DETAIL)
    def retrieve(self, request, *args, **kwargs):
        hazard = self.get_object()
        return Response(HazardDetailSerializer(hazard, context=self._detail_context(hazard)).data)

    @extend_schema(
        summary="隐患照片（JPEG）",
        parameters=[OpenApiParameter("photo_pk", OpenApiTypes.INT, OpenApiParameter.PATH)],
        responses=with_errors(
            {(200, "image/jpeg"): OpenApiResponse(OpenApiTypes.BINARY, description="JPEG 照片")}
        ),
    )
    @action(detail=True, methods=["get"], url_path=r"photos/(?P<photo_pk>\d+)")
    def photo(self, request, pk=None, photo_pk=None):
        """Photos are served only to those who see their hazard (no public media URL)."""
        visible = Hazard.objects.restrict(request.user, "view").filter(pk=path_id(pk))
        photo = HazardPhoto.objects.filter(hazard__in=visible, pk=path_id(photo_pk)).first()
        if photo is None:
            raise NotFound()
        return photo_response(photo)

    @extend_schema(
        summary="隐患统计（按状态、未销号重大隐患）",
        description=FILTER_NOTE,
        filters=True,
        responses=with_errors({200: HazardCountsSerializer}),
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def counts(self, request):
        queryset = self.filter_queryset(self.get_queryset()).order_by()
        open_q = Q(status__in=OPEN_STATUSES)
        open_major = open_q & Q(level=HazardLevel.MAJOR)
        tallied = tally.counts_for_query(self.request.user, request.query_params)
        if tallied is None:
            row = queryset.aggregate(
                total=Count("unit"),
                open=Count("unit", filter=open_q),
                open_major=Count("unit", filter=open_major),
                oldest_open_major=Min("found_at", filter=open_major),
                overdue=Count("unit", filter=open_q & Q(is_overdue=True)),
                supervised=Count("unit", filter=open_q & Q(is_supervised=True)),
                **{f"s_{s}": Count("unit", filter=Q(status=s)) for s in HazardStatus.values},
            )
        else:
            # A wide scope: the tally for the statuses, a partial index for each of the rest.
            # (Only open hazards are ever marked overdue; closing clears the mark.)
            row = queryset.filter(open_major).aggregate(
                open_major=Count("unit"), oldest_open_major=Min("found_at")
            )
            row.update(
                total=tallied["total"],
                open=sum(tallied[s] for s in OPEN_STATUSES),
                overdue=queryset.filter(is_overdue=True).count(),
                supervised=queryset.filter(open_q, is_supervised=True).count(),
                **{f"s_{s}": tallied[s] for s in HazardStatus.values},
            )
        oldest = row.pop("oldest_open_major")
        body = {
            "total": row["total"],
            "by_status": {s: row[f"s_{s}"] for s in HazardStatus.values},
            "open": row["open"],
            "open_major": row["open_major"],
            "oldest_open_major_days": (
                (timezone.localdate() - timezone.localtime(oldest).date()).days if oldest else None
            ),
            "overdue": row["overdue"],
            "supervised": row["supervised"],
        }
        return Response(HazardCountsSerializer(body).data)

    @extend_schema(
        summary="导出隐患清单（xlsx）",
        description=(
            "kind=problems 问题清单、measures 措施清单、responsibilities 责任清单。"
            + FILTER_NOTE
            + "需要导出权限。"
        ),
        filters=True,
        parameters=[
            OpenApiParameter(
                "kind",
                OpenApiTypes.STR,
                enum=EXPORT_KINDS,
                required=True,
                description="清单种类",
            )
        ],
        responses=with_errors(
            {(200, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description="xlsx 文件")}
        ),
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def export(self, request):
        kind = request.query_params.get("kind", "")
        if kind not in exports.KINDS:
            raise Invalid(
                _("请选择要导出的清单。"),
                fields={"kind": [_("可选 problems、measures、responsibilities。")]},
            )
        queryset = self.filter_queryset(exports.export_queryset(request.user))
        return exports.export_response(queryset, kind)

    # ------------------------------------------------------------ report

    @extend_schema(
        summary="上报隐患（随手拍）",
        description=(
            "multipart 上传照片 photos（可多张）。带 Idempotency-Key 请求头或 idempotency_key "
            "字段时，同一把钥匙的重试返回同一条隐患（200），不会重复创建；同一把钥匙用于内容不同的请求时"
            "返回 422（idempotency_mismatch）。"
        ),
        request=_request(HazardReportSerializer, HazardReportUploadSerializer),
        parameters=[IDEMPOTENCY_KEY],
        responses=with_errors({201: HazardDetailSerializer, 200: HazardDetailSerializer}),
    )
    def create(self, request, *args, **kwargs):
        data = validated(request, HazardReportUploadSerializer)
        key = (request.headers.get("Idempotency-Key") or data["idempotency_key"] or "").strip()
        key = key[:64] or None
        hazard = services.report(
            request.user,
            data["unit"],
            description=data["description"],
            source=data["source"],
            domain=data["domain"],
            category=data["category"],
            place=_place(data["place"]),
            place_text=data["place_text"],
            photos=_photos(request, data),
            idempotency_key=key,
            fingerprint=request_fingerprint(request) if key else "",
            found_at=data["found_at"],
            subject=data["subject"],
        )
        response = self._detail(hazard.pk)
        response.status_code = status.HTTP_200_OK if hazard.replayed else status.HTTP_201_CREATED
        return response

    # ------------------------------------------------------------ workflow actions

    def workflow_gate(self, user: Any, action: Action) -> None:
        _gate(user, action.scope_action)

    def workflow_input(self, action: Action, data: dict) -> dict:
        if "place" in data:
            data["place"] = _place(data["place"])
        return data

    def workflow_result(self, pk: int) -> Response:
        return self._detail(pk)


class HazardExtensionViewSet(viewsets.GenericViewSet):
    """延期申请: the superior unit approves or refuses."""

    serializer_class = ExtensionRequestSerializer
    parser_classes = PARSERS

    def get_queryset(self):
        visible = Hazard.objects.restrict(self.request.user, "view")
        return ExtensionRequest.objects.filter(hazard__in=visible)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        _gate(request.user, "decide_extension")

    @extend_schema(
        summary="审批延期申请",
        request=_request(DecideExtensionSerializer),
        responses=with_errors({200: ExtensionRequestSerializer}),
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        data = validated(request, DecideExtensionSerializer)
        extension = services.decide_extension(
            request.user, path_id(pk), approve=data["approve"], note=data["note"]
        )
        extension = ExtensionRequest.objects.select_related(
            "hazard__unit", "requested_by", "decided_by"
        ).get(pk=extension.pk)
        context = {
            "request": request,
            "may_decide_extension": services.may_decide_extension(request.user, extension.hazard),
        }
        return Response(ExtensionRequestSerializer(extension, context=context).data)


__all__ = ["HazardExtensionViewSet", "HazardViewSet"]
