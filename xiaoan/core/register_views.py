"""A register's pages, made from its declaration (`xiaoan.core.registers.Register`).

`register_urls(REGISTER)` returns the url patterns of one register; the app's urls.py is

    from xiaoan.buildings.registers import BUILDINGS
    from xiaoan.core.register_views import register_urls

    app_name = "buildings"
    urlpatterns = register_urls(BUILDINGS)

URL names are `<key>:<model>_<action>`: list, detail, add, edit, retire, export, template,
import, attach, attachment. Templates are `core/registers/*.html`; a register overrides
one by providing `<app>/<model>_<page>.html` (e.g. `buildings/buildingfile_detail.html`).
A register's own detail template extends `core/registers/detail.html` and fills its
`register_main` block with what `Register.detail_context` adds (a chemical's ledger).
`RegisterFilterSet` is the base of every register's list filters (search, unit, retired,
due dates). The 台账 index (`core:registers`) lists the registers a person may see.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpResponseBadRequest
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from xiaoan.core import history, registers
from xiaoan.core.errors import NotFound
from xiaoan.core.fields import LookupHashField
from xiaoan.core.forms import StyledFormMixin, style_widget
from xiaoan.core.ids import IdFilter
from xiaoan.core.register_sheets import export_response, import_items, template_response
from xiaoan.core.registers import Register
from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.core.views import (
    ScopedListView,
    ScopedMixin,
    ServiceActionView,
    ServiceFormView,
    evidence_response,
)

# ---------------------------------------------------------------- filters


class RegisterFilterSet(django_filters.FilterSet):
    """Search over the register's `search_fields`, the unit (its subtree included), retired
    items (hidden unless asked), due dates. A register's filterset subclasses it and adds
    its own fields in `Meta.fields`; set `register` on the subclass."""

    register: Register | None = None

    q = django_filters.CharFilter(label=_("搜索"), method="filter_q")
    unit = IdFilter(label=_("单位（含下级）"), method="filter_unit")
    retired = django_filters.ChoiceFilter(
        label=_("注销"),
        choices=[("with", _("含已注销")), ("only", _("仅已注销"))],
        method="filter_retired",
        empty_label=_("在用"),
    )
    due = django_filters.ChoiceFilter(
        label=_("到期"),
        choices=[("soon", _("即将到期或已过期")), ("overdue", _("已过期"))],
        method="filter_due",
        empty_label=_("全部"),
    )

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        # Unbound or without "retired", the list shows items in use.
        self._retired_given = bool(data and data.get("retired"))

    @property
    def qs(self):
        queryset = super().qs
        if not self._retired_given:
            queryset = queryset.filter(retired_at__isnull=True)
        return queryset

    def filter_q(self, queryset, name, value):
        value = (value or "").strip()[:100]
        if not value:
            return queryset
        condition = models.Q()
        for field_name in self.register.search_fields:
            condition |= models.Q(**{f"{field_name}__icontains": value})
        return queryset.filter(condition)

    def filter_unit(self, queryset, name, value):
        from xiaoan.orgs.filtersets import within_unit

        return within_unit(queryset, value)

    def filter_retired(self, queryset, name, value):
        if value == "only":
            return queryset.filter(retired_at__isnull=False)
        return queryset

    def filter_due(self, queryset, name, value):
        return queryset.filter(registers.due_filter(self.register, value))


# ---------------------------------------------------------------- forms


class RetireForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("注销原因"),
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("如：已拆除、已报废、已调出")}),
    )


class ImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=_("Excel 文件（.xlsx）"))
    dry_run = forms.BooleanField(label=_("只检查，不导入"), required=False)


class AttachForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("类别"))
    file = forms.FileField(label=_("文件"))

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = list(kinds)


def scope_form(form, register: Register, user: Any, action: str, unit_id: Any = None) -> None:
    """Limit the form's unit and place choices to the person's scope."""
    from xiaoan.orgs.models import Place

    if "unit" in form.fields:
        units = register.units(user, action).order_by("path")
        form.fields["unit"].queryset = units
        top = min((u.depth for u in units[:200]), default=1)
        form.fields["unit"].label_from_instance = lambda u: f"{'　' * (u.depth - top)}{u.name}"
        if "place" in form.fields or hasattr(form, "scope_to"):
            # Choices follow the unit: choosing another reloads the page with ?unit=.
            form.fields["unit"].widget.attrs["data-reload-param"] = "unit"
    if "place" in form.fields:
        places = Place.objects.none()
        if unit_id:
            unit = register.units(user, action).filter(pk=unit_id).first()
            if unit is not None:
                places = (
                    Place.objects.filter(
                        unit__path__startswith=registers.home_unit(unit).path, is_active=True
                    )
                    .select_related("parent__parent__parent")
                    .order_by("name")
                )
        form.fields["place"].queryset = places
        form.fields["place"].label_from_instance = lambda p: p.full_name
        form.fields["place"].required = False
    if hasattr(form, "scope_to"):
        # The register's own choices that depend on the unit (a certificate's holder).
        unit = register.units(user, action).filter(pk=unit_id).first() if unit_id else None
        form.scope_to(user, unit)


# ---------------------------------------------------------------- pages


class RegisterMixin:
    register: Register = None  # type: ignore[assignment]
    page = ""

    @property
    def model(self):  # ScopedMixin reads it
        return self.register.model

    def get_template_names(self):
        meta = self.register.model._meta
        return [
            f"{meta.app_label}/{meta.model_name}_{self.page}.html",
            f"core/registers/{self.page}.html",
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["register"] = self.register
        context["can_add"] = has_permission_anywhere(user, self.register.perm("add"))
        context["can_change"] = has_permission_anywhere(user, self.register.perm("change"))
        context["urls"] = {
            a: reverse(self.register.url_name(a))
            for a in ("list", "add", "export", "template", "import")
        }
        return context


def cell(item: Any, name: str) -> Any:
    """A field's value as the list and record pages show it: — when empty."""
    value = registers.field_display(item, name)
    return "—" if value is None else value


def style_filters(form: forms.Form) -> None:
    """Bootstrap classes and plain Chinese empty choices on a filter form: 全部 for a choice
    left open, 全部/是/否 for a yes-no filter (Django says 未知/是/否)."""
    from xiaoan.core.ids import IdFormField

    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(field, IdFormField) and name != "unit":
            # A record id (a place) comes from a link, never typed: carried, not shown.
            field.widget = forms.HiddenInput()
            continue
        if isinstance(widget, forms.NullBooleanSelect):
            widget.choices = [("unknown", _("全部")), ("true", _("是")), ("false", _("否"))]
        elif getattr(field, "empty_label", None) is not None:
            # django-filter's choice fields add their empty choice from `empty_label`.
            if str(field.empty_label).strip("-") == "":
                field.empty_label = _("全部")
                field.widget.choices = [("", _("全部")), *((v, t) for v, t in field.choices if v)]
        style_widget(field.widget)


class RegisterListView(RegisterMixin, ScopedListView):
    page = "list"
    paginate_by = 50

    def get_queryset(self):
        self.filterset_class = self.register.filterset
        queryset = self.register.queryset(self.request.user)
        self.filterset = self.filterset_class(
            self.request.GET or None, queryset=queryset, request=self.request
        )
        if self.filterset.is_bound and not self.filterset.is_valid():
            return queryset.none()
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        from xiaoan.orgs.models import Unit
        from xiaoan.orgs.place_views import unit_choices

        context = super().get_context_data(**kwargs)
        style_filters(self.filterset.form)
        user = self.request.user
        raw = self.filterset.form.data.get("unit") if self.filterset.is_bound else ""
        selected = (
            Unit.objects.with_permission(user, self.register.perm("view")).filter(pk=raw).first()
            if raw and str(raw).isdigit() and len(str(raw)) < 19
            else None
        )
        context["unit_options"] = unit_choices(user, self.register.perm("view"), selected)
        context["selected_unit"] = selected
        fields = [self.register.model._meta.get_field(n) for n in self.register.list_fields]
        context["headers"] = [f.verbose_name for f in fields]
        detail = self.register.url_name("detail")
        context["rows"] = [
            (item, [cell(item, f.name) for f in fields], reverse(detail, args=[item.pk]))
            for item in context["object_list"]
        ]
        # A phone shows each row as a card: the first column as its title, the others that
        # have a value as 表头：值.
        context["cards"] = [
            (
                item,
                cells[0],
                [
                    (h, v)
                    for h, v in zip(context["headers"][1:], cells[1:], strict=True)
                    if v not in (None, "")
                ],
                url,
            )
            for item, cells, url in context["rows"]
        ]
        return context


class RegisterDetailView(RegisterMixin, ScopedMixin, TemplateView):
    page = "detail"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        register, user = self.register, self.request.user
        item = self.get_record(self.kwargs["pk"])
        context["item"] = item
        context["fields"] = [
            (f.verbose_name, cell(item, f.name))
            for f in register.model._meta.concrete_fields
            if f.name not in ("id", "created_at", "updated_at", "retired_by", "retired_at")
            and f.name != "retire_reason"
            and not isinstance(f, LookupHashField)
        ]
        context["history"] = history.entries_for(item)
        context["attachments"] = registers.attachments_of(register, item)
        for row in context["attachments"]:
            row.url = reverse(register.url_name("attachment"), args=[row.pk])
        context["item_urls"] = {
            a: reverse(register.url_name(a), args=[item.pk]) for a in ("edit", "retire", "attach")
        }
        context["linked"] = registers.linked_records(register, user, item)
        context["due_dates"] = registers.due_rows(register, item)
        context["subject"] = registers.subject_token(item)
        context["may_change"] = (
            not item.is_retired
            and register.model._default_manager.restrict(user, "change").filter(pk=item.pk).exists()
        )
        context["may_report"] = has_permission_anywhere(user, "hazards.add_hazard")
        context["may_inspect"] = has_permission_anywhere(user, "inspections.add_inspection")
        context["item_actions"] = [
            (label, reverse(f"{register.namespace or register.key}:{name}", args=[item.pk]))
            for name, label in (register.item_actions if context["may_change"] else ())
        ]
        if register.attachment_kinds and context["may_change"]:
            context["attach_form"] = AttachForm(kinds=register.attachment_kinds)
        context["today"] = timezone.localdate()
        if register.detail_context is not None:
            context.update(register.detail_context(user, item))
        return context


class RegisterFormView(RegisterMixin, ServiceFormView):
    page = "form"

    def get_form_class(self):
        return self.register.form

    def unit_id(self) -> int | None:
        """The unit whose places the form offers (what was sent, asked or stored)."""
        from xiaoan.core.ids import record_id

        if self.request.method == "POST":
            raw = self.request.POST.get("unit")
        else:
            raw = self.request.GET.get("unit") or getattr(self.record, "unit_id", None)
        try:
            return record_id(raw) if raw not in (None, "") else None
        except NotFound:
            return None

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        scope_form(form, self.register, self.request.user, self.permission_action, self.unit_id())
        return form


class RegisterCreateView(RegisterFormView):
    permission_action = "add"
    success_message = _("已登记。")

    def unit_id(self) -> int | None:
        """What was sent or asked, else the header's unit, one's own unit or the top of the
        units where the person may add: the unit-dependent choices (places…) are offered
        from the start."""
        found = super().unit_id()
        if found is not None or self.request.method == "POST":
            return found
        units = self.register.units(self.request.user, "add")
        for candidate in (self.request.current_unit, getattr(self.request.user, "unit", None)):
            if candidate is not None and units.filter(pk=candidate.pk).exists():
                return candidate.pk
        return units.order_by("depth", "path").values_list("pk", flat=True).first()

    def get_initial(self):
        initial = super().get_initial()
        unit = self.unit_id()
        if unit:
            initial["unit"] = unit
        return initial

    def perform(self, form):
        return registers.create(self.register, self.request.user, form.cleaned_data)

    def get_success_url(self):
        return reverse(self.register.url_name("detail"), args=[self.result.pk])


class ItemInUseMixin:
    """A page that changes one item in use (`self.record`, loaded before anything else): 404
    out of scope or retired, 403 when the person sees it but may not change it."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.has_access(request.user):
            self.record = self.get_record(kwargs["pk"], "change")
            if self.record.is_retired:
                raise Http404
        return super().dispatch(request, *args, **kwargs)


class RegisterEditView(ItemInUseMixin, RegisterFormView):
    permission_action = "change"
    success_message = _("已保存。")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        # A copy: a refused form must not leave its values on the record page's object.
        kwargs["instance"] = self.register.model._default_manager.get(pk=self.record.pk)
        return kwargs

    def perform(self, form):
        return registers.update(self.register, self.request.user, self.record.pk, form.cleaned_data)

    def get_success_url(self):
        return reverse(self.register.url_name("detail"), args=[self.record.pk])


class RegisterRetireView(RegisterMixin, ServiceFormView):
    page = "retire"
    permission_action = "change"
    form_class = RetireForm
    success_message = _("已注销。")

    record_action = "change"

    def perform(self, form):
        return registers.retire(
            self.register, self.request.user, self.record.pk, reason=form.cleaned_data["reason"]
        )

    def get_success_url(self):
        return reverse(self.register.url_name("detail"), args=[self.record.pk])


class RegisterAttachView(RegisterMixin, ServiceActionView):
    permission_action = "change"

    def perform(self):
        form = AttachForm(
            self.request.POST, self.request.FILES, kinds=self.register.attachment_kinds
        )
        form.is_valid()
        return registers.attach(
            self.register,
            self.request.user,
            self.kwargs["pk"],
            kind=self.request.POST.get("kind", ""),
            upload=self.request.FILES.get("file"),
        )

    def get_success_url(self):
        return reverse(self.register.url_name("detail"), args=[self.kwargs["pk"]])

    @property
    def success_message(self):
        return _("已上传附件。")


class RegisterAttachmentView(RegisterMixin, ScopedMixin, View):
    def get(self, request, pk):
        row = registers.load_attachment(self.register, request.user, pk)
        return evidence_response(row, row.file, row.name, f"register-{self.register.key}")


class RegisterExportView(RegisterMixin, ScopedMixin, View):
    def get(self, request):
        queryset = self.register.queryset(request.user)
        filterset = self.register.filterset(request.GET or None, queryset=queryset, request=request)
        if filterset.is_bound and not filterset.is_valid():
            return HttpResponseBadRequest(_("筛选条件有误，无法导出。"))
        return export_response(self.register, filterset.qs)


class RegisterTemplateView(RegisterMixin, ScopedMixin, View):
    permission_action = "add"

    def get(self, request):
        return template_response(self.register)


class RegisterImportView(RegisterMixin, ServiceFormView):
    page = "import"
    permission_action = "add"
    form_class = ImportForm

    def perform(self, form):
        self.form, self.dry_run = form, form.cleaned_data["dry_run"]
        # A sheet without a 所属单位 column fills the unit chosen in the header.
        return import_items(
            self.register,
            self.request.user,
            form.cleaned_data["file"],
            dry_run=self.dry_run,
            default_unit=self.request.current_unit,
        )

    def success_response(self):
        result = self.result
        if result.ok and not self.dry_run:
            return super().success_response()
        context = self.get_context_data(form=self.form, result=result)
        return self.render_to_response(context, status=200 if result.ok else 400)

    def get_success_message(self) -> str:
        return _("导入完成：新建 %(c)d 条，更新 %(u)d 条，无变化 %(n)d 条。") % {
            "c": self.result.created,
            "u": self.result.updated,
            "n": self.result.unchanged,
        }

    def get_success_url(self):
        return reverse(self.register.url_name("list"))


def register_urls(register: Register) -> list:
    """The url patterns of one register's pages (include them under its app_name)."""
    name = register.model_name

    def view(cls):
        return cls.as_view(register=register)

    return [
        path("", view(RegisterListView), name=f"{name}_list"),
        path("add/", view(RegisterCreateView), name=f"{name}_add"),
        path("export/", view(RegisterExportView), name=f"{name}_export"),
        path("template/", view(RegisterTemplateView), name=f"{name}_template"),
        path("import/", view(RegisterImportView), name=f"{name}_import"),
        path("files/<int:pk>/", view(RegisterAttachmentView), name=f"{name}_attachment"),
        path("<int:pk>/", view(RegisterDetailView), name=f"{name}_detail"),
        path("<int:pk>/edit/", view(RegisterEditView), name=f"{name}_edit"),
        path("<int:pk>/retire/", view(RegisterRetireView), name=f"{name}_retire"),
        path("<int:pk>/attach/", view(RegisterAttachView), name=f"{name}_attach"),
    ]


# ---------------------------------------------------------------- the 台账 index


class RegisterIndexView(LoginRequiredMixin, TemplateView):
    """The registers the person may see, with how many items each holds in their scope and
    how many are due soon."""

    template_name = "core/registers/index.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not registers.registry.visible_to(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        rows = []
        for register in registers.registry.visible_to(user):
            active = register.model._default_manager.restrict(user).active()
            rows.append(
                {
                    "register": register,
                    "url": reverse(register.url_name("list")),
                    "count": active.count(),
                    "due": active.filter(registers.due_filter(register, "soon")).count()
                    if register.due
                    else None,
                }
            )
        context["rows"] = rows
        return context
