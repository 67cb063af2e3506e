from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from xiaoan.audit.files import file_served
from xiaoan.core.errors import ServiceError
from xiaoan.core.history import entries_for
from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.core.views import ScopedDetailView, ScopedListView, ScopedMixin, raise_for_service_error
from xiaoan.orgs import importer, services
from xiaoan.orgs.filtersets import UnitFilterSet
from xiaoan.orgs.forms import UnitCreateForm, UnitForm, UnitImportForm, UnitMoveForm
from xiaoan.orgs.models import Unit, ancestor_paths


class UnitListView(ScopedListView):
    model = Unit
    filterset_class = UnitFilterSet
    template_name = "orgs/unit_list.html"
    paginate_by = 100

    def get_queryset(self):
        queryset = super().get_queryset()
        current = self.request.current_unit
        if current is not None and "within" not in self.request.GET:
            queryset = queryset.filter(path__startswith=current.path)
        return queryset.order_by("path")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        units = context["object_list"]
        min_depth = min((u.depth for u in units), default=1)
        for unit in units:
            unit.indent = min(unit.depth - min_depth, 8)
        context["can_add"] = has_permission_anywhere(self.request.user, "orgs.add_unit")
        return context


class UnitDetailView(ScopedDetailView):
    model = Unit
    template_name = "orgs/unit_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        unit = self.object
        user = self.request.user
        visible = Unit.objects.restrict(user)
        context["ancestors"] = visible.filter(
            path__in=ancestor_paths(unit.path, include_self=False)
        )
        context["children"] = visible.filter(path__startswith=unit.path, depth=unit.depth + 1)
        context["can_change"] = Unit.objects.restrict(user, "change").filter(pk=unit.pk).exists()
        context["can_add_child"] = Unit.objects.restrict(user, "add").filter(pk=unit.pk).exists()
        context["history"] = entries_for(unit)
        from xiaoan.accounts.models import User

        context["member_count"] = User.objects.restrict(user).filter(unit=unit).count()
        return context


class UnitCreateView(ScopedMixin, View):
    model = Unit
    permission_action = "add"
    template_name = "orgs/unit_form.html"

    def form(self, data=None):
        user = self.request.user
        initial = {}
        if "parent" in self.request.GET:
            initial["parent"] = self.request.GET["parent"]
        return UnitCreateForm(
            data,
            initial=initial,
            parent_queryset=services.parent_choices(user),
            allow_root=services.can_add_root(user),
        )

    def get(self, request):
        return render(request, self.template_name, {"form": self.form(), "creating": True})

    def post(self, request):
        form = self.form(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            parent = data.pop("parent")
            try:
                unit = services.create_unit(request.user, parent, data)
            except ServiceError as error:
                raise_for_service_error(error, form)
            else:
                messages.success(request, _("已创建单位“%(name)s”。") % {"name": unit.name})
                return redirect("orgs:unit_detail", pk=unit.pk)
        return render(request, self.template_name, {"form": form, "creating": True}, status=400)


class UnitUpdateView(ScopedDetailView):
    model = Unit
    permission_action = "change"
    template_name = "orgs/unit_form.html"

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return render(
            request,
            self.template_name,
            {"form": UnitForm(instance=self.object), "object": self.object},
        )

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = UnitForm(request.POST, instance=Unit.objects.get(pk=self.object.pk))
        if form.is_valid():
            try:
                services.update_unit(request.user, self.object.pk, form.cleaned_data)
            except ServiceError as error:
                raise_for_service_error(error, form)
            else:
                messages.success(request, _("已保存。"))
                return redirect("orgs:unit_detail", pk=self.object.pk)
        return render(
            request, self.template_name, {"form": form, "object": self.object}, status=400
        )


class UnitMoveView(ScopedDetailView):
    model = Unit
    permission_action = "change"
    template_name = "orgs/unit_move.html"

    def form(self, data=None):
        choices = services.parent_choices(self.request.user).exclude(
            path__startswith=self.object.path
        )
        return UnitMoveForm(data, parent_queryset=choices)

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return render(request, self.template_name, {"form": self.form(), "object": self.object})

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = self.form(request.POST)
        if form.is_valid():
            try:
                services.move_unit(request.user, self.object.pk, form.cleaned_data["parent"])
            except ServiceError as error:
                raise_for_service_error(error, form)
            else:
                messages.success(request, _("已移动。"))
                return redirect("orgs:unit_detail", pk=self.object.pk)
        return render(
            request, self.template_name, {"form": form, "object": self.object}, status=400
        )


class UnitImportView(ScopedMixin, View):
    model = Unit
    permission_action = "add"
    template_name = "orgs/unit_import.html"

    def get(self, request):
        return render(request, self.template_name, {"form": UnitImportForm()})

    def post(self, request):
        form = UnitImportForm(request.POST, request.FILES)
        result = None
        status = 200
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                if upload.size > settings.XIAOAN_IMPORT_MAX_BYTES:
                    form.add_error("file", _("文件太大。"))
                else:
                    result = importer.import_units(
                        request.user, upload.read(), dry_run=form.cleaned_data["dry_run"]
                    )
            except ServiceError as error:
                raise_for_service_error(error, form)
            if result is not None and result.ok and not form.cleaned_data["dry_run"]:
                messages.success(
                    request,
                    _("导入完成：新建 %(c)d 个，更新 %(u)d 个。")
                    % {"c": result.created, "u": result.updated},
                )
                return redirect("orgs:unit_list")
        if form.errors or (result is not None and not result.ok):
            status = 400
        return render(request, self.template_name, {"form": form, "result": result}, status=status)


@login_required
def import_template(request):
    """A blank sheet with the expected columns, so nobody has to guess them."""
    if not has_permission_anywhere(request.user, "orgs.add_unit"):
        raise PermissionDenied
    from io import BytesIO

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "单位"
    sheet.append(
        [
            "名称",
            "类型",
            "上级单位",
            "学校类型",
            "在校学生数",
            "是否寄宿",
            "住宿学生数",
            "教职工数",
            "单位代码",
            "别名",
        ]
    )
    sheet.append(["示例小学", "学校", "某区教育局", "小学", 800, "否", "", 60, "", "示例小"])
    buffer = BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = "attachment; filename*=UTF-8''units-template.xlsx"
    file_served("download", "units-template", filename="units-template.xlsx")
    return response
