"""The drill pages: the ledger (and its Excel), the plan form, the drill's page with its
steps, the phone page that records it, the checklist page that evaluates it, its photos and
its printable PDF."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from xiaoan.core import pending
from xiaoan.core.errors import Conflict, Forbidden, NotFound, ServiceError
from xiaoan.core.idempotency import request_fingerprint
from xiaoan.core.pdf import PdfUnavailable
from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.core.views import (
    ScopedListView,
    ScopedMixin,
    ServiceFormView,
    photo_response,
    raise_for_service_error,
)
from xiaoan.core.workflow_pages import WorkflowActionView, action_panel
from xiaoan.drills import exports, services
from xiaoan.drills.checklists import checklist
from xiaoan.drills.choices import CheckResult, DrillKind, DrillStatus
from xiaoan.drills.filtersets import DrillFilter
from xiaoan.drills.forms import PlanForm, RecordForm, roles_text
from xiaoan.drills.models import Drill, DrillInvite
from xiaoan.drills.workflow import DRILL

DETAIL = "drills/drill_detail.html"


def _invited(user) -> bool:
    return DrillInvite.objects.filter(user_id=user.pk).exists()


class DrillAccessMixin(ScopedMixin):
    """The drill's pages: those who may view drills somewhere, and invited observers (the
    queryset holds their drill and nothing else)."""

    model = Drill

    def has_access(self, user) -> bool:
        return super().has_access(user) or (self.permission_action == "view" and _invited(user))


def drill_context(request, drill: Drill, bound=None) -> dict[str, Any]:
    user = request.user
    allowed = DRILL.allowed_actions(user, drill)
    names = {a.name for a in allowed}
    panel = [a for a in allowed if a.name != "uninvite"]
    photos = [reverse("drills:drill_photo", args=[drill.pk, p.pk]) for p in drill.photos.all()]
    checks = services.checks_of(drill)
    return {
        "drill": drill,
        "object": drill,
        "actions": action_panel(request, DRILL, drill, bound, allowed=panel),
        "can_edit": "edit" in names,
        "can_record": "record" in names,
        "can_evaluate": "evaluate" in names,
        "can_uninvite": "uninvite" in names,
        "observers": services.observers_of(drill),
        "photos": photos,
        "checks": checks,
        "hazards": [c.hazard for c in checks if c.hazard_id],
        "events": services.events_of(drill),
    }


class DrillListView(DrillAccessMixin, ScopedListView):
    filterset_class = DrillFilter
    template_name = "drills/drill_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("unit").order_by("-planned_on", "-id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_plan"] = has_permission_anywhere(self.request.user, services.ADD)
        context["kinds"] = DrillKind.choices
        context["statuses"] = DrillStatus.choices
        return context


class DrillExportView(DrillAccessMixin, View):
    """The ledger as Excel, with the list's filters."""

    def get(self, request):
        queryset = Drill.objects.restrict(request.user, "view")
        filterset = DrillFilter(request.GET or None, queryset=queryset, request=request)
        if filterset.is_bound and filterset.is_valid():
            queryset = filterset.qs
        return exports.ledger_response(queryset)


class DrillCreateView(ServiceFormView):
    model = Drill
    permission_action = "add"
    form_class = PlanForm
    template_name = "drills/drill_form.html"
    success_message = gettext_lazy("已制定演练计划。")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        initial = super().get_initial()
        current = self.request.current_unit
        if current is not None:
            initial["unit"] = current.pk
        return initial

    def perform(self, form):
        return services.plan(self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return reverse("drills:drill_detail", args=[self.result.pk])


class DrillEditView(ServiceFormView):
    model = Drill
    permission_action = "change"
    form_class = PlanForm
    template_name = "drills/drill_form.html"
    success_message = gettext_lazy("已修改演练计划。")
    redirect_on = (Conflict,)

    record_action = "change"

    def get(self, request, *args, **kwargs):
        if self.record.status != DrillStatus.PLANNED:  # only a plan is changed
            messages.error(request, _("演练已实施或已取消，计划不能再修改。"))
            return HttpResponseRedirect(self.get_success_url())
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "editing": True}

    def get_initial(self):
        d = self.record
        return {
            "kind": d.kind,
            "planned_on": d.planned_on,
            "title": d.title,
            "scenario": d.scenario,
            "organiser": d.organiser,
            "roles": roles_text(d.roles),
            "expected_participants": d.expected_participants,
            "target_seconds": d.target_seconds,
            "teams": list(d.teams.values_list("pk", flat=True)),
        }

    def perform(self, form):
        version = self.request.POST.get("version")
        return services.update_plan(
            self.request.user,
            self.record.pk,
            version=int(version) if str(version or "").isdigit() else None,
            **form.cleaned_data,
        )

    def get_refused_url(self):
        return self.get_success_url()

    def get_success_url(self):
        return reverse("drills:drill_detail", args=[self.record.pk])


class DrillDetailView(DrillAccessMixin, View):
    def get(self, request, pk):
        drill = services.load(request.user, pk)
        return render(request, DETAIL, drill_context(request, drill))


class DrillActionView(WorkflowActionView):
    workflow = DRILL
    template_name = DETAIL

    def record_context(self, obj, bound):
        return drill_context(self.request, services.load(self.request.user, obj.pk), bound)


class DrillPhotoView(DrillAccessMixin, View):
    def get(self, request, pk, photo_pk):
        return photo_response(services.load_photo(request.user, pk, photo_pk))


class DrillPrintView(DrillAccessMixin, View):
    def get(self, request, pk):
        drill = services.load(request.user, pk)
        try:
            return exports.pdf_response(drill)
        except PdfUnavailable as error:
            messages.error(request, str(error.message))
            return HttpResponseRedirect(reverse("drills:drill_detail", args=[drill.pk]))


class _StepView(ScopedMixin, View):
    """A step with its own page (record on a phone, evaluate on the checklist): 404 out of
    scope, 403 without the right there; a drill no longer in the step's state goes back to
    its page with the reason."""

    model = Drill
    step = ""

    def load(self, pk) -> Drill | None:
        from xiaoan.core.services import get_scoped

        drill = get_scoped(self.request.user, Drill, pk, self.permission_action)
        return drill

    def back(self, drill: Drill, message: str = "") -> HttpResponseRedirect:
        if message:
            messages.error(self.request, message)
        return HttpResponseRedirect(reverse("drills:drill_detail", args=[drill.pk]))

    def wrong_state(self, drill: Drill) -> str | None:
        action = DRILL.actions[self.step]
        if action.starts_from(drill.status):
            return None
        return str(DRILL.state_message) % {
            "status": drill.get_status_display(),
            "action": action.label,
        }


class DrillRecordView(_StepView):
    """The phone page: how the drill went. A refused try keeps its photos (core.pending);
    a retried post (the same key) records once."""

    permission_action = "record"
    step = "record"
    template_name = "drills/drill_record.html"

    def get(self, request, pk):
        drill = self.load(pk)
        refused = self.wrong_state(drill)
        if refused:
            return self.back(drill, refused)
        form = RecordForm(initial={"version": drill.version})
        return self.show(drill, form)

    def show(self, drill, form, kept=(), status=200):
        context = {
            "drill": drill,
            "form": form,
            "kept_photos": pending.previews(self.request.user, kept),
        }
        return render(self.request, self.template_name, context, status=status)

    def post(self, request, pk):
        drill = self.load(pk)
        form = RecordForm(request.POST, request.FILES)
        user = request.user
        kept = pending.valid(user, request.POST.getlist("kept_photo"))
        if form.is_valid():
            data = dict(form.cleaned_data)
            new = data.pop("photos")
            try:
                services.record(
                    user,
                    drill.pk,
                    photos=[*pending.take(user, kept), *new],
                    fingerprint=request_fingerprint(request),
                    **data,
                )
            except Conflict as error:
                return self.back(drill, str(error.message))
            except ServiceError as error:
                raise_for_service_error(error, form)
            else:
                pending.discard(user, kept)
                messages.success(request, _("已记录演练实施情况。"))
                return self.back(drill)
        kept = kept + pending.keep(user, request.FILES.getlist("photos"))
        return self.show(drill, form, kept, status=400)


class DrillEvaluateView(_StepView):
    """The checklist of the drill's kind: each item 良好 or 存在问题 (with what was wrong)."""

    permission_action = "evaluate"
    step = "evaluate"
    template_name = "drills/drill_evaluate.html"

    def get(self, request, pk):
        drill = self.load(pk)
        refused = self.wrong_state(drill)
        if refused:
            return self.back(drill, refused)
        import uuid

        return self.show(drill, services.suggested_answers(drill), "", uuid.uuid4().hex)

    def show(self, drill, answers, summary, key, errors=(), status=200):
        rows = [
            {
                "item": item,
                "result": answers.get(item.code, ("", ""))[0],
                "note": answers.get(item.code, ("", ""))[1],
            }
            for item in checklist(drill.kind)
        ]
        context = {
            "drill": drill,
            "rows": rows,
            "summary": summary,
            "key": key,
            "errors": list(errors),
            "results": CheckResult.choices,
        }
        return render(self.request, self.template_name, context, status=status)

    def post(self, request, pk):
        drill = self.load(pk)
        answers = {
            item.code: (
                request.POST.get(f"result-{item.code}", ""),
                request.POST.get(f"note-{item.code}", "").strip(),
            )
            for item in checklist(drill.kind)
        }
        summary = request.POST.get("summary", "")
        key = request.POST.get("idempotency_key", "")[:64]
        version = request.POST.get("version", "")
        try:
            services.evaluate(
                request.user,
                drill.pk,
                results=[
                    {"code": code, "result": result, "note": note}
                    for code, (result, note) in answers.items()
                    if result
                ],
                summary=summary,
                idempotency_key=key,
                fingerprint=request_fingerprint(request),
                version=int(version) if version.isdigit() else None,
            )
        except Conflict as error:
            return self.back(drill, str(error.message))
        except (NotFound, Forbidden) as error:
            raise_for_service_error(error)
        except ServiceError as error:
            texts = [str(error.message), *(t for ts in error.fields.values() for t in ts)]
            unique = list(dict.fromkeys(texts))
            return self.show(drill, answers, summary, key, unique, status=400)
        messages.success(request, _("已完成评估。"))
        return self.back(drill)
