"""The inspection pages: list, create, record, the phone page that carries an inspection out,
and the checklist library (list, record, copy, adapt).

Views only shape input and output: every rule lives in `xiaoan.inspections.services`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from xiaoan.core.errors import Conflict, ServiceError
from xiaoan.core.history import entries_for
from xiaoan.core.idempotency import IdempotencyMismatch, request_fingerprint
from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.core.views import CurrentUnitFilterMixin, photo_response, raise_for_service_error
from xiaoan.hazards.models import Hazard
from xiaoan.inspections import forms, services
from xiaoan.inspections.choices import InspectionKind, InspectionStatus, ResultValue
from xiaoan.inspections.filtersets import ChecklistFilterSet, InspectionFilterSet
from xiaoan.inspections.models import (
    ChecklistItem,
    ChecklistTemplate,
    ChecklistVersion,
    Inspection,
    InspectionInvite,
    ResultPhoto,
)
from xiaoan.orgs.models import Unit
from xiaoan.orgs.place_views import unit_choices

LIST_RELATED = ("unit", "organiser", "checklist__template")
INTERNAL_FIELDS = ("version", "submit_key", "submit_fingerprint", "schedule_key")


def history(obj) -> list:
    """The record's change log without the bookkeeping fields."""
    model = type(obj)
    names = {f.name for f in model._meta.concrete_fields}
    hidden = {str(model._meta.get_field(n).verbose_name) for n in INTERNAL_FIELDS if n in names}
    entries = entries_for(obj)
    for entry in entries:
        entry.changes = [c for c in entry.changes if c.field not in hidden]
    return entries


def may_open_inspections(user: Any) -> bool:
    """People who may view inspections somewhere, and invited people (who see only theirs)."""
    return has_permission_anywhere(user, "inspections.view_inspection") or (
        InspectionInvite.objects.filter(user_id=user.pk).exists()
    )


class InspectionAccessMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_open_inspections(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class PermissionMixin(LoginRequiredMixin):
    """403 when the permission is held nowhere at all."""

    permission = ""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not has_permission_anywhere(
            request.user, self.permission
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def _allowed(user: Any, inspection: Inspection, action: str) -> bool:
    return Inspection.objects.restrict(user, action).filter(pk=inspection.pk).exists()


# ---------------------------------------------------------------- list


class InspectionListView(CurrentUnitFilterMixin, InspectionAccessMixin, ListView):
    template_name = "inspections/inspection_list.html"
    paginate_by = 25

    def get_queryset(self):
        base = Inspection.objects.restrict(self.request.user)
        self.filterset = InspectionFilterSet(
            self.filter_data(), queryset=base, request=self.request
        )
        if self.filterset.is_valid():
            queryset = self.filterset.qs
            self.unit_pk = self.filterset.form.cleaned_data.get("unit")
            self.period = self.filterset.form.cleaned_data.get("period")
        else:
            queryset, self.unit_pk, self.period = base.none(), None, None
        if not self.filterset.data.get("ordering"):
            queryset = queryset.order_by("-scheduled_on", "-pk")
        return queryset.select_related(*LIST_RELATED)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        selected = None
        if self.unit_pk:
            selected = Unit.objects.restrict(user).filter(pk=self.unit_pk).first()
        query = self.filterset.data.copy()
        query.pop("page", None)
        context.update(
            filterset=self.filterset,
            data=self.filterset.data,
            query_string=query.urlencode(),
            unit_options=unit_choices(user, "inspections.view_inspection", selected),
            selected_unit=selected,
            kind_choices=InspectionKind.choices,
            status_choices=InspectionStatus.choices,
            can_create=has_permission_anywhere(user, "inspections.add_inspection"),
            can_view_checklists=has_permission_anywhere(user, "inspections.view_checklisttemplate"),
            missed=services.missed_counts(user, period=self.period, unit=selected)[:10],
        )
        return context


# ---------------------------------------------------------------- create


class InspectionCreateView(PermissionMixin, View):
    permission = "inspections.add_inspection"
    template_name = "inspections/inspection_form.html"

    def form(self, data=None) -> forms.InspectionForm:
        user = self.request.user
        initial = {"scheduled_on": timezone.localdate(), "kind": InspectionKind.SELF_CHECK}
        for key in ("unit", "kind", "checklist"):
            if self.request.GET.get(key):
                initial[key] = self.request.GET[key]
        return forms.InspectionForm(
            data,
            initial=initial,
            units=unit_choices(user, "inspections.add_inspection"),
            checklists=services.checklist_choices(user).select_related("owner_unit"),
        )

    def get(self, request):
        return render(request, self.template_name, {"form": self.form()})

    def post(self, request):
        form = self.form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                inspection = services.create_inspection(
                    request.user,
                    kind=data["kind"],
                    unit=data["unit"],
                    checklist=data["checklist"],
                    title=data["title"],
                    scheduled_on=data["scheduled_on"],
                    due_on=data["due_on"],
                    organiser=data["organiser"],
                )
            except ServiceError as error:
                raise_for_service_error(error, form)
            else:
                messages.success(request, _("已创建检查：%(t)s。") % {"t": inspection.title})
                return redirect("inspections:inspection_detail", pk=inspection.pk)
        return render(request, self.template_name, {"form": form}, status=400)


# ---------------------------------------------------------------- record


def _rows(inspection: Inspection) -> list[dict[str, Any]]:
    """Each item of the checklist version with its result and photos (two queries)."""
    results = {
        r.item_id: r
        for r in inspection.results.select_related("hazard").prefetch_related(
            Prefetch("photos", ResultPhoto.objects.order_by("created_at", "pk"))
        )
    }
    rows = []
    section = None
    for item in ChecklistItem.objects.filter(version_id=inspection.checklist_id).order_by("seq"):
        result = results.get(item.pk)
        rows.append(
            {
                "item": item,
                "result": result,
                "value": result.result if result else "",
                "note": result.note if result else "",
                "photos": list(result.photos.all()) if result else [],
                "new_section": item.section != section,
            }
        )
        section = item.section
    return rows


def _openable(user: Any, rows: list[dict]) -> set[int]:
    ids = [row["result"].hazard_id for row in rows if row["result"] and row["result"].hazard_id]
    if not ids:
        return set()
    return set(Hazard.objects.restrict(user).filter(pk__in=ids).values_list("pk", flat=True))


def _visible(user: Any, pk: Any) -> Inspection:
    return get_object_or_404(
        Inspection.objects.restrict(user).select_related(
            *LIST_RELATED, "created_by", "submitted_by"
        ),
        pk=pk,
    )


class InspectionDetailView(InspectionAccessMixin, View):
    template_name = "inspections/inspection_detail.html"

    def get(self, request, pk):
        inspection = _visible(request.user, pk)
        return render(request, self.template_name, self.context(request, inspection))

    @staticmethod
    def context(request, inspection: Inspection, **extra) -> dict[str, Any]:
        user = request.user
        rows = _rows(inspection)
        counts = {v: 0 for v in ResultValue.values}
        for row in rows:
            if row["value"]:
                counts[row["value"]] += 1
        can_change = _allowed(user, inspection, "change")
        return {
            "inspection": inspection,
            "object": inspection,
            "rows": rows,
            "counts": counts,
            "answered": sum(counts.values()),
            "invites": list(inspection.invites.select_related("user", "user__unit")),
            "can_conduct": inspection.is_editable and _allowed(user, inspection, "conduct"),
            "can_change": can_change,
            "invite_form": extra.get("invite_form")
            or (forms.InviteForm() if can_change and inspection.status != "closed" else None),
            "close_form": (
                forms.CloseForm(initial={"version": inspection.version})
                if can_change and inspection.status == InspectionStatus.SUBMITTED
                else None
            ),
            # A finding links to its record only for those who may open it (one query);
            # the others, such as a co-inspector from a peer school, see its number here.
            "openable_hazards": _openable(user, rows),
            "history": history(inspection),
            "missed_count": sum(
                1 for r in rows if r["result"] and r["result"].missed_by_self_check
            ),
        }


class InspectionRunView(InspectionAccessMixin, View):
    """The phone page: pass / fail / n.a. per item, a note and photos; save a draft (resume
    later) or submit. A failed submission keeps what was typed and writes nothing."""

    template_name = "inspections/inspection_run.html"

    def load(self, request, pk) -> Inspection:
        inspection = _visible(request.user, pk)
        if not _allowed(request.user, inspection, "conduct"):
            raise PermissionDenied
        return inspection

    def get(self, request, pk):
        inspection = self.load(request, pk)
        if not inspection.is_editable:
            messages.info(request, _("该检查已提交，不能再修改。"))
            return redirect("inspections:inspection_detail", pk=inspection.pk)
        return render(request, self.template_name, self.context(inspection, _rows(inspection)))

    def context(self, inspection: Inspection, rows, key: str | None = None, errors=()):
        answered = sum(1 for r in rows if r["value"])
        return {
            "inspection": inspection,
            "rows": rows,
            "answered": answered,
            "result_choices": ResultValue.choices,
            "idempotency_key": key or forms.new_key(),
            "errors": errors,
        }

    def post(self, request, pk):
        inspection = self.load(request, pk)
        post = request.POST
        rows = _rows(inspection)
        results, photos = [], {}
        for row in rows:
            item_pk = row["item"].pk
            value = post.get(f"result-{item_pk}", "")
            note = post.get(f"note-{item_pk}", "")
            results.append({"item": item_pk, "result": value, "note": note})
            photos[item_pk] = request.FILES.getlist(f"photos-{item_pk}")
            row["value"], row["note"] = value, note
        try:
            version = int(post.get("version", ""))
        except ValueError:
            version = None
        summary = post.get("summary", "")
        key = post.get("idempotency_key") or None
        try:
            if post.get("action") == "submit":
                services.submit(
                    request.user,
                    inspection.pk,
                    results=results,
                    photos=photos,
                    summary=summary,
                    idempotency_key=key,
                    fingerprint=request_fingerprint(request),
                    version=version,
                )
                messages.success(request, _("检查已提交，不符合项已转入隐患台账。"))
                return redirect("inspections:inspection_detail", pk=inspection.pk)
            services.save_draft(
                request.user,
                inspection.pk,
                results=results,
                photos=photos,
                remove_photos=post.getlist("remove_photo"),
                summary=summary,
                version=version,
            )
        except (Conflict, IdempotencyMismatch) as error:
            # Already submitted (by this page's key with other content, or otherwise).
            messages.error(request, str(error.message))
            return redirect("inspections:inspection_detail", pk=inspection.pk)
        except ServiceError as error:
            raise_for_service_error(error)  # 404 / 403
        messages.success(request, _("已保存草稿，可稍后继续填写。"))
        return redirect("inspections:inspection_run", pk=inspection.pk)

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except ServiceError as error:
            # Input errors (missing results or photos, unknown items): show the page again
            # with what was typed; nothing was written.
            if getattr(error, "status", 400) != 400 or request.method != "POST":
                raise
            inspection = self.load(request, kwargs["pk"])
            rows = _rows(inspection)
            for row in rows:
                item_pk = row["item"].pk
                row["value"] = request.POST.get(f"result-{item_pk}", "")
                row["note"] = request.POST.get(f"note-{item_pk}", "")
            inspection.summary = request.POST.get("summary", inspection.summary)
            errors = [str(error.message)]
            context = self.context(inspection, rows, request.POST.get("idempotency_key"), errors)
            return render(request, self.template_name, context, status=400)


class InspectionInviteView(PermissionMixin, View):
    permission = "inspections.change_inspection"
    http_method_names = ["post"]

    def post(self, request, pk):
        inspection = _visible(request.user, pk)
        form = forms.InviteForm(request.POST)
        if form.is_valid():
            try:
                invitation = services.invite(
                    request.user,
                    inspection.pk,
                    user=form.cleaned_data["user"],
                    role=form.cleaned_data["role"],
                )
            except Conflict as error:
                messages.error(request, str(error.message))
            except ServiceError as error:
                raise_for_service_error(error, form)
            else:
                messages.success(request, _("已邀请 %(u)s。") % {"u": invitation.user})
                return redirect("inspections:inspection_detail", pk=inspection.pk)
        if form.errors:
            context = InspectionDetailView.context(request, inspection, invite_form=form)
            return render(request, InspectionDetailView.template_name, context, status=400)
        return redirect("inspections:inspection_detail", pk=inspection.pk)


class InspectionUninviteView(PermissionMixin, View):
    permission = "inspections.change_inspection"
    http_method_names = ["post"]

    def post(self, request, pk, user_pk):
        inspection = _visible(request.user, pk)
        try:
            services.uninvite(request.user, inspection.pk, user=user_pk)
        except ServiceError as error:
            raise_for_service_error(error)
        messages.success(request, _("已取消邀请。"))
        return redirect("inspections:inspection_detail", pk=inspection.pk)


class InspectionCloseView(PermissionMixin, View):
    permission = "inspections.change_inspection"
    http_method_names = ["post"]

    def post(self, request, pk):
        inspection = _visible(request.user, pk)
        form = forms.CloseForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请求无效，请刷新后重试。"))
            return redirect("inspections:inspection_detail", pk=inspection.pk)
        try:
            services.close(
                request.user,
                inspection.pk,
                note=form.cleaned_data["note"],
                version=form.cleaned_data["version"],
            )
        except Conflict as error:
            messages.error(request, str(error.message))
        except ServiceError as error:
            raise_for_service_error(error)
        else:
            messages.success(request, _("检查已结束。"))
        return redirect("inspections:inspection_detail", pk=inspection.pk)


class ResultPhotoView(InspectionAccessMixin, View):
    """A photo, served only to those who see its inspection."""

    def get(self, request, pk):
        photo = get_object_or_404(
            ResultPhoto.objects.filter(
                result__inspection__in=Inspection.objects.restrict(request.user).values("pk")
            ),
            pk=pk,
        )
        return photo_response(photo)


# ---------------------------------------------------------------- checklists


def checklist_queryset(user: Any):
    return (
        ChecklistTemplate.objects.restrict(user)
        .select_related("owner_unit", "current_version")
        .annotate(item_count=Count("current_version__items"))
    )


class ChecklistListView(PermissionMixin, ListView):
    permission = "inspections.view_checklisttemplate"
    template_name = "inspections/checklist_list.html"
    paginate_by = 50

    def get_queryset(self):
        base = checklist_queryset(self.request.user)
        self.filterset = ChecklistFilterSet(self.request.GET or None, queryset=base)
        queryset = (
            self.filterset.qs if self.filterset.is_bound and self.filterset.is_valid() else base
        )
        return queryset.order_by(F("owner_unit_id").asc(nulls_first=True), "code")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            filterset=self.filterset,
            data=self.request.GET,
            query_string=query.urlencode(),
            domain_choices=self.filterset.form.fields["domain"].choices,
        )
        return context


class ChecklistDetailView(PermissionMixin, View):
    permission = "inspections.view_checklisttemplate"
    template_name = "inspections/checklist_detail.html"

    def get(self, request, pk):
        user = request.user
        template = get_object_or_404(checklist_queryset(user), pk=pk)
        versions = list(
            template.versions.annotate(
                n=Count("items", distinct=True), used=Count("inspections", distinct=True)
            ).order_by("-number")
        )
        shown: ChecklistVersion | None = template.current_version
        wanted = request.GET.get("version")
        if wanted and wanted.isdigit():
            shown = next((v for v in versions if v.number == int(wanted)), None)
            if shown is None:
                raise Http404
        items = list(shown.items.order_by("seq")) if shown else []
        section = None
        for item in items:
            item.new_section = item.section != section
            section = item.section
        can_edit = (
            not template.is_builtin
            and ChecklistTemplate.objects.restrict(user, "change").filter(pk=pk).exists()
        )
        return render(
            request,
            self.template_name,
            {
                "template": template,
                "object": template,
                "versions": versions,
                "shown": shown,
                "items": items,
                "can_copy": services.template_units(user).exists(),
                "can_edit": can_edit,
                "can_create": has_permission_anywhere(user, "inspections.add_inspection"),
                "history": history(template),
            },
        )


class ChecklistCopyView(PermissionMixin, View):
    permission = "inspections.add_checklisttemplate"
    template_name = "inspections/checklist_copy.html"

    def form(self, template, data=None):
        units = unit_choices(self.request.user, "inspections.add_checklisttemplate")
        return forms.CopyForm(data, units=units, initial={"name": f"{template.name}"})

    def get(self, request, pk):
        template = get_object_or_404(checklist_queryset(request.user), pk=pk)
        return render(
            request, self.template_name, {"template": template, "form": self.form(template)}
        )

    def post(self, request, pk):
        template = get_object_or_404(checklist_queryset(request.user), pk=pk)
        form = self.form(template, request.POST)
        if form.is_valid():
            try:
                copy = services.copy_template(
                    request.user,
                    template.pk,
                    unit=form.cleaned_data["unit"],
                    name=form.cleaned_data["name"],
                )
            except ServiceError as error:
                raise_for_service_error(error, form)
            else:
                messages.success(request, _("已复制为本单位检查表，可在此基础上调整。"))
                return redirect("inspections:checklist_detail", pk=copy.pk)
        return render(request, self.template_name, {"template": template, "form": form}, status=400)


class ChecklistEditView(PermissionMixin, View):
    permission = "inspections.change_checklisttemplate"
    template_name = "inspections/checklist_form.html"

    def load(self, request, pk) -> ChecklistTemplate:
        template = get_object_or_404(checklist_queryset(request.user), pk=pk)
        if template.is_builtin or not (
            ChecklistTemplate.objects.restrict(request.user, "change").filter(pk=pk).exists()
        ):
            raise PermissionDenied
        return template

    def get(self, request, pk):
        template = self.load(request, pk)
        items = template.current_version.items.order_by("seq") if template.current_version else []
        form = forms.ReviseForm(
            initial={
                "name": template.name,
                "description": template.description,
                "is_active": template.is_active,
                "items": forms.ReviseForm.as_lines(items),
            }
        )
        return render(request, self.template_name, {"template": template, "form": form})

    def post(self, request, pk):
        template = self.load(request, pk)
        form = forms.ReviseForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.revise_template(
                    request.user,
                    template.pk,
                    items=data["items"],
                    name=data["name"],
                    description=data["description"],
                    is_active=data["is_active"],
                    note=data["note"],
                )
            except ServiceError as error:
                raise_for_service_error(error, form)
            else:
                messages.success(request, _("检查表已保存。"))
                return redirect("inspections:checklist_detail", pk=template.pk)
        return render(request, self.template_name, {"template": template, "form": form}, status=400)
