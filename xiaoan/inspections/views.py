"""The inspection pages: list, create, record, the phone page that carries an inspection out,
and the checklist library (list, record, copy, adapt).

Views only shape input and output: every rule lives in `xiaoan.inspections.services`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView

from xiaoan.core.errors import Conflict, Invalid
from xiaoan.core.history import entries_for
from xiaoan.core.idempotency import IdempotencyMismatch, request_fingerprint
from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.core.views import (
    CurrentUnitFilterMixin,
    ScopedMixin,
    ServiceActionView,
    ServiceFormView,
    photo_response,
)
from xiaoan.core.workflow_pages import WorkflowActionView, action_panel
from xiaoan.hazards.models import Hazard
from xiaoan.inspections import checklists, forms, missed, services, team
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
from xiaoan.inspections.workflow import INSPECTION
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


class InspectionAccessMixin(ScopedMixin):
    """People who may view inspections somewhere, and invited people (who see only theirs)."""

    model = Inspection

    def has_access(self, user) -> bool:
        return may_open_inspections(user)


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
            missed=missed.missed_counts(user, period=self.period, unit=selected)[:10],
        )
        return context


# ---------------------------------------------------------------- create


class InspectionCreateView(ServiceFormView):
    model = Inspection
    permission_action = "add"
    form_class = forms.InspectionForm
    template_name = "inspections/inspection_form.html"

    def get_initial(self):
        initial = {"scheduled_on": timezone.localdate(), "kind": InspectionKind.SELF_CHECK}
        for key in ("unit", "kind", "checklist", "subject", "title"):
            if self.request.GET.get(key):
                initial[key] = self.request.GET[key]
        return initial

    def get_form_kwargs(self):
        user = self.request.user
        return {
            **super().get_form_kwargs(),
            "units": unit_choices(user, "inspections.add_inspection"),
            "checklists": services.checklist_choices(user).select_related("owner_unit"),
            "people": team.team_people(user, services.organiser_units(user)),
        }

    def perform(self, form):
        return services.create_inspection(self.request.user, **form.cleaned_data)

    def get_success_message(self) -> str:
        return _("已创建检查：%(t)s。") % {"t": self.result.title}

    def get_success_url(self) -> str:
        return reverse("inspections:inspection_detail", args=[self.result.pk])


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


def record_queryset(user: Any):
    return Inspection.objects.restrict(user).select_related(
        *LIST_RELATED, "created_by", "submitted_by", "leader__unit"
    )


def record_context(request, inspection: Inspection, bound=None) -> dict[str, Any]:
    """The record page: results, invitations, the actions the person may take (from the
    workflow declaration) and the history."""
    user = request.user
    rows = _rows(inspection)
    counts = {v: 0 for v in ResultValue.values}
    for row in rows:
        if row["value"]:
            counts[row["value"]] += 1
    offered = INSPECTION.allowed_actions(user, inspection)
    allowed = {a.name for a in offered}
    return {
        "inspection": inspection,
        "object": inspection,
        "rows": rows,
        "counts": counts,
        "answered": sum(counts.values()),
        "invites": list(inspection.invites.select_related("user", "user__unit")),
        "members": list(inspection.members.select_related("unit").order_by("unit__path")),
        "can_conduct": bool(allowed & {"save_draft", "submit"}),
        "can_uninvite": "uninvite" in allowed,
        "actions": action_panel(request, INSPECTION, inspection, bound, offered),
        "events": list(inspection.events.select_related("actor")),
        # A finding links to its record only for those who may open it (one query);
        # the others, such as a co-inspector from a peer school, see its number here.
        "openable_hazards": _openable(user, rows),
        "history": history(inspection),
        "missed_count": sum(1 for r in rows if r["result"] and r["result"].missed_by_self_check),
    }


class InspectionDetailView(InspectionAccessMixin, View):
    template_name = "inspections/inspection_detail.html"

    def get(self, request, pk):
        inspection = get_object_or_404(record_queryset(request.user), pk=pk)
        return render(request, self.template_name, record_context(request, inspection))


class InspectionActionView(WorkflowActionView):
    """POST one declared action's form (xiaoan.inspections.workflow): invite, close."""

    workflow = INSPECTION
    template_name = InspectionDetailView.template_name

    def get_queryset(self):
        return record_queryset(self.request.user)

    def record_context(self, obj: Inspection, bound) -> dict[str, Any]:
        return record_context(self.request, obj, bound=bound)


class InspectionRunView(InspectionAccessMixin, ServiceFormView):
    """The phone page: pass / fail / n.a. per item, a note and photos; save a draft (resume
    later) or submit. A refused submission keeps what was typed and writes nothing; a page
    gone stale (or an inspection submitted meanwhile) goes to the record with the message."""

    template_name = "inspections/inspection_run.html"
    form_class = forms.RunForm
    redirect_on = (Conflict, IdempotencyMismatch)

    record_action = "conduct"

    def get(self, request, *args, **kwargs):
        if not self.record.is_editable:
            messages.info(request, _("该检查已提交，不能再修改。"))
            return redirect("inspections:inspection_detail", pk=self.record.pk)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        inspection, form = self.record, context["form"]
        rows = _rows(inspection)
        if form.is_bound:  # shown again after a refusal: what was typed
            for row in rows:
                row["value"] = self.request.POST.get(f"result-{row['item'].pk}", "")
                row["note"] = self.request.POST.get(f"note-{row['item'].pk}", "")
            inspection.summary = self.request.POST.get("summary", inspection.summary)
        for row in rows:
            # The server's word on 须拍照 as the person goes; the page script updates it.
            row["needs_photo"] = (
                row["item"].photo_required
                and row["value"] not in ("", ResultValue.NA)
                and not row["photos"]
            )
        context.update(
            inspection=inspection,
            rows=rows,
            answered=sum(1 for r in rows if r["value"]),
            result_choices=ResultValue.choices,
            idempotency_key=form.data.get("idempotency_key") or forms.new_key(),
            errors=[e for errors in form.errors.values() for e in errors],
            kept=getattr(self, "kept", False),
        )
        return context

    def perform(self, form):
        request, data = self.request, form.cleaned_data
        results, photos = [], {}
        for item_pk in self.record.checklist.items.values_list("pk", flat=True):
            results.append(
                {
                    "item": item_pk,
                    "result": request.POST.get(f"result-{item_pk}", ""),
                    "note": request.POST.get(f"note-{item_pk}", ""),
                }
            )
            photos[item_pk] = request.FILES.getlist(f"photos-{item_pk}")
        common = {"results": results, "photos": photos, "summary": data["summary"]}
        try:
            if self.submitting:
                return services.submit(
                    request.user,
                    self.record.pk,
                    **common,
                    idempotency_key=data["idempotency_key"] or None,
                    fingerprint=request_fingerprint(request),
                    version=data["version"],
                )
            return services.save_draft(
                request.user,
                self.record.pk,
                **common,
                remove_photos=request.POST.getlist("remove_photo"),
                version=data["version"],
                all_pass=self.action == "all_pass",
            )
        except Invalid:
            # Nothing typed or photographed is lost: what can be kept becomes the draft,
            # shown again with the refusal.
            kept = services.keep_as_draft(
                request.user, self.record.pk, **common, version=data["version"]
            )
            if kept is not None:
                self.record, self.kept = kept, True
            raise

    @property
    def action(self) -> str:
        return self.request.POST.get("action", "")

    @property
    def submitting(self) -> bool:
        return self.action == "submit"

    def get_success_message(self) -> str:
        if self.submitting:
            return _("检查已提交，不符合项已转入隐患台账。")
        message = _("已保存草稿，可稍后继续填写。")
        if self.action == "all_pass":
            message = _("未填写的检查项已全部标为符合，请核对不符合的项目后提交。")
        gaps = services.photo_gaps(self.result)
        if gaps:
            names = "、".join(services.item_label(i) for i in gaps[:10])
            message += _("以下检查项还须拍照：%(items)s。") % {"items": names}
        return message

    def get_success_url(self) -> str:
        name = "inspection_detail" if self.submitting else "inspection_run"
        return reverse(f"inspections:{name}", args=[self.record.pk])

    def get_refused_url(self) -> str:
        return reverse("inspections:inspection_detail", args=[self.record.pk])


class InspectionUninviteView(InspectionAccessMixin, ServiceActionView):
    permission_action = "change"

    def has_access(self, user) -> bool:
        return has_permission_anywhere(user, "inspections.change_inspection")

    def perform(self):
        services.uninvite(self.request.user, self.kwargs["pk"], user=self.kwargs["user_pk"])

    success_message = gettext_lazy("已取消邀请。")

    def get_success_url(self) -> str:
        return reverse("inspections:inspection_detail", args=[self.kwargs["pk"]])


class InviteCandidatesView(InspectionAccessMixin, View):
    """The invite picker's list (htmx): people the person may invite to this inspection
    whose name, username or mobile number matches what was typed."""

    def has_access(self, user) -> bool:
        return has_permission_anywhere(user, "inspections.change_inspection")

    def get(self, request, pk):
        inspection = self.get_record(pk, "change")
        text = request.GET.get("user") or request.GET.get("q") or ""
        people = services.invite_candidates(request.user, inspection.pk, text)
        return render(request, "inspections/_invite_candidates.html", {"people": people})


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


class ChecklistListView(ScopedMixin, ListView):
    model = ChecklistTemplate
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


class ChecklistDetailView(ScopedMixin, View):
    model = ChecklistTemplate
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
                "can_copy": checklists.template_units(user).exists(),
                "can_edit": can_edit,
                "can_create": has_permission_anywhere(user, "inspections.add_inspection"),
                "history": history(template),
            },
        )


class ChecklistFormView(ServiceFormView):
    """A form on one checklist the person sees (copy it, adapt it)."""

    model = ChecklistTemplate

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.has_access(request.user):
            self.record = get_object_or_404(checklist_queryset(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(template=self.record, **kwargs)

    def get_success_url(self) -> str:
        return reverse("inspections:checklist_detail", args=[self.result.pk])


class ChecklistCopyView(ChecklistFormView):
    permission_action = "add"
    form_class = forms.CopyForm
    template_name = "inspections/checklist_copy.html"
    success_message = gettext_lazy("已复制为本单位检查表，可在此基础上调整。")

    def get_initial(self):
        return {"name": f"{self.record.name}"}

    def get_form_kwargs(self):
        units = unit_choices(self.request.user, "inspections.add_checklisttemplate")
        return {**super().get_form_kwargs(), "units": units}

    def perform(self, form):
        return checklists.copy_template(self.request.user, self.record.pk, **form.cleaned_data)


class ChecklistEditView(ChecklistFormView):
    permission_action = "change"
    form_class = forms.ReviseForm
    template_name = "inspections/checklist_form.html"
    success_message = gettext_lazy("检查表已保存。")

    def get_initial(self):
        template = self.record
        items = template.current_version.items.order_by("seq") if template.current_version else []
        return {
            "name": template.name,
            "description": template.description,
            "is_active": template.is_active,
            "items": forms.ReviseForm.as_lines(items),
        }

    def get(self, request, *args, **kwargs):
        self.check_editable()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.check_editable()
        return super().post(request, *args, **kwargs)

    def check_editable(self) -> None:
        # Built-ins change only through the library; others only where the person may.
        if self.record.is_builtin or not (
            ChecklistTemplate.objects.restrict(self.request.user, "change")
            .filter(pk=self.record.pk)
            .exists()
        ):
            raise PermissionDenied

    def perform(self, form):
        return checklists.revise_template(self.request.user, self.record.pk, **form.cleaned_data)
