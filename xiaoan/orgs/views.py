from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import reverse, reverse_lazy
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoan.audit.files import file_served
from xiaoan.core.errors import Invalid
from xiaoan.core.history import entries_for
from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.core.views import (
    ScopedDetailView,
    ScopedListView,
    ServiceActionView,
    ServiceFormView,
)
from xiaoan.core.xlsx import XLSX
from xiaoan.orgs import importer, maps, services
from xiaoan.orgs.filtersets import UnitFilterSet
from xiaoan.orgs.forms import (
    AreaMapForm,
    UnitCreateForm,
    UnitForm,
    UnitImportForm,
    UnitMoveForm,
)
from xiaoan.orgs.models import AreaMap, Unit, ancestor_paths


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


class UnitCreateView(ServiceFormView):
    model = Unit
    permission_action = "add"
    form_class = UnitCreateForm
    template_name = "orgs/unit_form.html"
    extra_context = {"creating": True}

    def get_initial(self):
        return {"parent": self.request.GET["parent"]} if "parent" in self.request.GET else {}

    def get_form_kwargs(self):
        user = self.request.user
        return {
            **super().get_form_kwargs(),
            "parent_queryset": services.parent_choices(user),
            "allow_root": services.can_add_root(user),
        }

    def perform(self, form):
        data = dict(form.cleaned_data)
        parent = data.pop("parent")
        return services.create_unit(self.request.user, parent, data)

    def get_success_message(self) -> str:
        return _("已创建单位“%(name)s”。") % {"name": self.result.name}

    def get_success_url(self):
        return reverse("orgs:unit_detail", args=[self.result.pk])


class _UnitChangeView(ServiceFormView):
    """A form on one unit the person may change."""

    model = Unit
    permission_action = "change"

    @cached_property
    def record(self):
        return self.get_record(self.kwargs["pk"], "change")

    def get_success_url(self):
        return reverse("orgs:unit_detail", args=[self.record.pk])


class UnitUpdateView(_UnitChangeView):
    form_class = UnitForm
    template_name = "orgs/unit_form.html"
    success_message = gettext_lazy("已保存。")

    def get_form_kwargs(self):
        # A copy: the page keeps the saved name whatever was typed.
        return {**super().get_form_kwargs(), "instance": Unit.objects.get(pk=self.record.pk)}

    def perform(self, form):
        return services.update_unit(self.request.user, self.record.pk, form.cleaned_data)


class UnitMoveView(_UnitChangeView):
    form_class = UnitMoveForm
    template_name = "orgs/unit_move.html"
    success_message = gettext_lazy("已移动。")

    def get_form_kwargs(self):
        choices = services.parent_choices(self.request.user).exclude(
            path__startswith=self.record.path
        )
        return {**super().get_form_kwargs(), "parent_queryset": choices}

    def perform(self, form):
        return services.move_unit(self.request.user, self.record.pk, form.cleaned_data["parent"])


class AreaMapView(_UnitChangeView):
    """An authority's area map: upload (or replace) its GeoJSON boundary, or remove it."""

    form_class = AreaMapForm
    template_name = "orgs/area_map.html"
    success_message = gettext_lazy("已保存区域地图。")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["area_map"] = AreaMap.objects.filter(unit=self.record).first()
        return context

    def perform(self, form):
        upload = form.cleaned_data["file"]
        return maps.set_area_map(
            self.request.user,
            self.record.pk,
            name=form.cleaned_data["name"],
            content=upload.read(maps.MAX_BYTES + 1),
        )


class AreaMapRemoveView(ServiceActionView):
    model = Unit
    permission_action = "change"
    success_message = gettext_lazy("已删除区域地图。")

    def perform(self):
        maps.remove_area_map(self.request.user, self.kwargs["pk"])

    def get_success_url(self):
        return reverse("orgs:area_map", args=[self.kwargs["pk"]])


class UnitImportView(ServiceFormView):
    """Upload a sheet of units: a dry run shows what would happen, a real one imports all
    rows or none; row errors come back as a table with the form."""

    model = Unit
    permission_action = "add"
    form_class = UnitImportForm
    template_name = "orgs/unit_import.html"
    success_url = reverse_lazy("orgs:unit_list")

    def perform(self, form):
        upload = form.cleaned_data["file"]
        if upload.size > settings.XIAOAN_IMPORT_MAX_BYTES:
            raise Invalid(fields={"file": [_("文件太大。")]})
        self.form, self.dry_run = form, form.cleaned_data["dry_run"]
        return importer.import_units(self.request.user, upload.read(), dry_run=self.dry_run)

    def success_response(self):
        result = self.result
        if result.ok and not self.dry_run:
            return super().success_response()
        context = self.get_context_data(form=self.form, result=result)
        return self.render_to_response(context, status=200 if result.ok else 400)

    def get_success_message(self) -> str:
        return _("导入完成：新建 %(c)d 个，更新 %(u)d 个。") % {
            "c": self.result.created,
            "u": self.result.updated,
        }


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
            "经度",
            "纬度",
        ]
    )
    sheet.append(
        ["示例小学", "学校", "某区教育局", "小学", 800, "否", "", 60, "", "示例小", 114.75, 30.25]
    )
    buffer = BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type=XLSX,
    )
    response["Content-Disposition"] = "attachment; filename*=UTF-8''units-template.xlsx"
    file_served("download", "units-template", filename="units-template.xlsx")
    return response
