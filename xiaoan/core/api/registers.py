"""The API of a register (`xiaoan.core.registers.Register`): one viewset per register,

    class BuildingViewSet(RegisterViewSet):
        register = BUILDINGS

and `router.register("buildings", BuildingViewSet, basename="building")` in
`xiaoan/api_urls.py`. Endpoints: list (the register's filters: q, unit, retired, due and its
own), retrieve, create (POST), update (PUT/PATCH), `POST {id}/retire/` {reason},
`POST import/` (multipart `file`, `dry_run`; 400 with the per-row report when any row is
wrong, nothing written), `GET export/` (xlsx of the filtered list), `GET template/`, and for
a register with attachment kinds `GET|POST {id}/attachments/` (multipart `kind`, `file`:
the signed scans, drawings, reports) and `GET {id}/attachments/{n}/` (the file).
Every write goes through the register's services: 403 without the permission anywhere,
404 out of scope, 400 with the fields, 409 for a retired item.
"""

from __future__ import annotations

from typing import Any

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from xiaoan.core import registers
from xiaoan.core.api import error_body
from xiaoan.core.api.parsers import upload_parsers
from xiaoan.core.api.views import ScopedViewSetMixin, path_id, validated, with_errors
from xiaoan.core.errors import Invalid, NotFound
from xiaoan.core.models import RegisterAttachment
from xiaoan.core.register_sheets import export_response, import_items, template_response
from xiaoan.core.views import evidence_response


class RegisterRetireSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, help_text="注销原因（拆除、报废、调出…）")


class RegisterImportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="Excel 工作簿（.xlsx），表头见 template/")
    dry_run = serializers.BooleanField(required=False, default=False, help_text="只检查，不导入")


class RegisterRowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    column = serializers.CharField()
    message = serializers.CharField()


class RegisterImportResultSerializer(serializers.Serializer):
    rows = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField(help_text="与已有记录相同、未改动的行")
    ok = serializers.BooleanField()
    errors = RegisterRowErrorSerializer(many=True)


class RegisterAttachmentSerializer(serializers.ModelSerializer):
    kind_label = serializers.SerializerMethodField()
    uploaded_by_name = serializers.CharField(source="uploaded_by.display_name", read_only=True)
    url = serializers.SerializerMethodField(help_text="下载地址")

    class Meta:
        model = RegisterAttachment
        fields = [
            "id",
            "kind",
            "kind_label",
            "name",
            "size",
            "uploaded_by_name",
            "uploaded_at",
            "url",
        ]
        read_only_fields = fields

    def get_kind_label(self, obj) -> str:
        return str(getattr(obj, "kind_label", obj.kind))

    def get_url(self, obj) -> str:
        request = self.context.get("request")
        path = request.path.rstrip("/") if request is not None else ""
        if path.endswith("/attachments"):
            return f"{path}/{obj.pk}/"
        return f"{path}/attachments/{obj.pk}/" if path else ""


class RegisterAttachSerializer(serializers.Serializer):
    kind = serializers.CharField(max_length=20, help_text="附件类别（见台账的附件类别）")
    file = serializers.FileField(help_text="PDF、图片、Word 或 Excel，不超过 20 MB")


XLSX = OpenApiResponse(OpenApiTypes.BINARY, description="Excel 工作簿（.xlsx）")
FILE = OpenApiResponse(OpenApiTypes.BINARY, description="附件文件")


class RegisterViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    register: registers.Register = None  # type: ignore[assignment]
    filter_backends = [DjangoFilterBackend]
    action_permission = {
        "list": "view",
        "retrieve": "view",
        "create": "add",
        "update": "change",
        "partial_update": "change",
        "retire": "change",
        "import_sheet": "add",
        "export": "view",
        "template": "add",
        "attachments": "view",  # uploading asks the service for the right to change
        "attachment": "view",
    }

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        register = cls.__dict__.get("register")
        if register is None:
            return
        cls.model = register.model
        cls.serializer_class = register.serializer
        cls.filterset_class = register.filterset
        item = register.serializer
        label = str(register.label)
        # The schema names this register's serializer on each endpoint.
        for name, summary, request, responses in (
            ("list", f"{label}列表", None, {200: item(many=True)}),
            ("retrieve", label, None, {200: item}),
            ("create", f"登记{label}", item, {201: item}),
            ("update", f"修改{label}", item, {200: item}),
            ("partial_update", f"修改{label}（部分字段）", item, {200: item}),
            ("retire", f"注销{label}", RegisterRetireSerializer, {200: item}),
            (
                "import_sheet",
                f"导入{label}",
                RegisterImportSerializer,
                {200: RegisterImportResultSerializer},
            ),
            ("export", f"导出{label}", None, {200: XLSX}),
            ("template", f"{label}导入模板", None, {200: XLSX}),
        ):
            method = getattr(RegisterViewSet, name)

            def wrapper(self, request, *args, _method=method, **kw):
                return _method(self, request, *args, **kw)

            wrapper.__name__ = name
            for attr in ("mapping", "detail", "url_path", "url_name", "kwargs"):
                if hasattr(method, attr):
                    setattr(wrapper, attr, getattr(method, attr))
            setattr(
                cls,
                name,
                extend_schema(summary=summary, request=request, responses=with_errors(responses))(
                    wrapper
                ),
            )

    def get_queryset(self):
        return self.register.queryset(self.request.user)

    def get_parsers(self):
        if getattr(self, "action", None) in ("import_sheet", "attachments"):
            return [p() for p in upload_parsers()]
        return super().get_parsers()

    def _answer(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        item = self.register.queryset(self.request.user).get(pk=pk)
        return Response(self.register.serializer(item).data, status=code)

    def retrieve(self, request, *args, **kwargs):
        # Any item in scope, retired ones included (the list's filters do not apply).
        item = registers.get_scoped(request.user, self.register.model, path_id(kwargs.get("pk")))
        return self._answer(item.pk)

    def create(self, request, *args, **kwargs):
        data = validated(request, self.register.serializer)
        item = registers.create(self.register, request.user, data)
        return self._answer(item.pk, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        pk = path_id(kwargs.get("pk"))
        partial = kwargs.pop("partial", False)
        current = registers.get_scoped(request.user, self.register.model, pk, "change")
        data = validated(request, self.register.serializer, instance=current, partial=partial)
        registers.update(self.register, request.user, pk, data)
        return self._answer(pk)

    def partial_update(self, request, *args, **kwargs):
        kwargs["partial"] = True
        return self.update(request, *args, **kwargs)

    @action(detail=True, methods=["post"])
    def retire(self, request, pk=None):
        # Another unit's item is not found before the body is read (a 400 for a missing
        # reason would tell that the id exists).
        registers.get_scoped(request.user, self.register.model, path_id(pk))
        body = validated(request, RegisterRetireSerializer)
        item = registers.retire(self.register, request.user, path_id(pk), reason=body["reason"])
        return Response(self.register.serializer(item).data)

    @action(detail=False, methods=["post"], url_path="import")
    def import_sheet(self, request):
        body = validated(request, RegisterImportSerializer)
        result = import_items(self.register, request.user, body["file"], dry_run=body["dry_run"])
        if result.ok:
            return Response(result.as_dict())
        fields: dict[str, list[str]] = {}
        for error in result.errors:
            key = f"第{error.row}行" + (f" {error.column}" if error.column else "")
            fields.setdefault(key, []).append(error.message)
        body = error_body("invalid", str(Invalid.default_message), fields)
        body["result"] = result.as_dict()
        return Response(body, status=status.HTTP_400_BAD_REQUEST)

    @action(detail=False, methods=["get"])
    def export(self, request):
        return export_response(self.register, self.filter_queryset(self.get_queryset()))

    @action(detail=False, methods=["get"])
    def template(self, request):
        return template_response(self.register)

    def _item(self, request, pk):
        if not self.register.attachment_kinds:
            raise NotFound()
        return registers.get_scoped(request.user, self.register.model, path_id(pk))

    @extend_schema(
        methods=["GET"],
        summary="附件列表",
        responses=with_errors({200: RegisterAttachmentSerializer(many=True)}),
    )
    @extend_schema(
        methods=["POST"],
        summary="上传附件",
        request={"multipart/form-data": RegisterAttachSerializer},
        responses=with_errors({201: RegisterAttachmentSerializer}),
    )
    @action(detail=True, methods=["get", "post"])
    def attachments(self, request, pk=None):
        item = self._item(request, pk)
        context = {"request": request}
        if request.method == "POST":
            row = registers.attach(
                self.register,
                request.user,
                item.pk,
                kind=str(request.data.get("kind", "")),
                upload=request.FILES.get("file"),
            )
            row.kind_label = dict(self.register.attachment_kinds).get(row.kind, row.kind)
            data = RegisterAttachmentSerializer(row, context=context).data
            return Response(data, status=status.HTTP_201_CREATED)
        rows = registers.attachments_of(self.register, item)
        return Response(RegisterAttachmentSerializer(rows, many=True, context=context).data)

    @extend_schema(
        summary="下载附件",
        parameters=[OpenApiParameter("attachment", OpenApiTypes.INT, OpenApiParameter.PATH)],
        responses=with_errors({200: FILE}),
    )
    @action(detail=True, methods=["get"], url_path=r"attachments/(?P<attachment>[^/.]+)")
    def attachment(self, request, pk=None, attachment=None):
        item = self._item(request, pk)
        row = registers.load_attachment(self.register, request.user, path_id(attachment))
        if row.object_id != item.pk:
            raise NotFound()
        return evidence_response(row, row.file, row.name, f"register-{self.register.key}")
