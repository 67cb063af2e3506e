from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from xiaoan.core.api.views import ScopedViewSetMixin, validated, with_errors
from xiaoan.core.errors import Invalid
from xiaoan.core.history import entries_for
from xiaoan.orgs import importer, services
from xiaoan.orgs.api.serializers import (
    HistoryEntrySerializer,
    ImportResultSerializer,
    ImportUploadSerializer,
    UnitCreateSerializer,
    UnitSerializer,
    UnitUpdateSerializer,
)
from xiaoan.orgs.filtersets import UnitFilterSet
from xiaoan.orgs.models import Unit


class UnitViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    """Units in the caller's scope. Creating needs add rights at the parent."""

    model = Unit
    serializer_class = UnitSerializer
    filterset_class = UnitFilterSet
    search_fields = ["name", "aliases", "code"]
    ordering_fields = ["path", "name", "enrolment"]
    ordering = ["path"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    action_permission = {
        **ScopedViewSetMixin.action_permission,
        "history": "view",
        "import_sheet": "add",
    }

    @extend_schema(request=UnitCreateSerializer, responses=with_errors({201: UnitSerializer}))
    def create(self, request, *args, **kwargs):
        values = validated(request, UnitCreateSerializer)
        parent = values.pop("parent")
        unit = services.create_unit(request.user, parent, values)
        return Response(UnitSerializer(unit).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=UnitUpdateSerializer, responses=with_errors({200: UnitSerializer}))
    def partial_update(self, request, *args, **kwargs):
        unit = self.get_object()
        values = validated(request, UnitUpdateSerializer, instance=unit, partial=True)
        unit = services.update_unit(request.user, unit, values)
        return Response(UnitSerializer(unit).data)

    @extend_schema(responses=with_errors({200: HistoryEntrySerializer(many=True)}))
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        unit = self.get_object()
        return Response(HistoryEntrySerializer(entries_for(unit), many=True).data)

    @extend_schema(
        request={"multipart/form-data": ImportUploadSerializer},
        responses=with_errors({200: ImportResultSerializer, 201: ImportResultSerializer}),
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        parser_classes=[MultiPartParser, FormParser],
    )
    def import_sheet(self, request):
        upload = validated(request, ImportUploadSerializer)
        file = upload["file"]
        if file.size > settings.XIAOAN_IMPORT_MAX_BYTES:
            raise Invalid(_("文件太大。"))
        result = importer.import_units(request.user, file.read(), dry_run=upload["dry_run"])
        body = ImportResultSerializer(result).data
        if not result.ok:
            return Response(
                {
                    "error": {
                        "code": "invalid_rows",
                        "message": _("表格有错误，未导入任何数据。"),
                        "fields": {},
                    },
                    **body,
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        code = status.HTTP_200_OK if upload["dry_run"] else status.HTTP_201_CREATED
        return Response(body, status=code)
