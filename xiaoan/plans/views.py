"""The plan pages: plans (list, record with the progress table, create, edit, publish,
close), tasks (record, create, edit, decompose), my tasks with the progress report, evidence
files, and importing a document (upload → review → confirm).

Views only shape input and output: every rule lives in `xiaoan.plans.services`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView

from xiaoan.core.choices import SafetyDomain
from xiaoan.core.errors import ServiceError
from xiaoan.core.history import entries_for
from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.core.services import get_scoped
from xiaoan.core.views import ScopedListView, ScopedMixin, ServiceFormView, evidence_response
from xiaoan.core.workflow_pages import WorkflowActionView, action_panel
from xiaoan.orgs.choices import UnitKind
from xiaoan.orgs.models import Unit
from xiaoan.plans import forms, importing, services, tables
from xiaoan.plans.choices import (
    FINISHED,
    OPEN,
    PROGRESS_COLOURS,
    ImportStatus,
    PlanStatus,
    Progress,
)
from xiaoan.plans.deadlines import annotate_milestones, milestone_rows
from xiaoan.plans.filtersets import PlanFilterSet
from xiaoan.plans.models import (
    Assignment,
    Evidence,
    Plan,
    PlanImport,
    ProgressReport,
    Task,
    plan_perm,
)
from xiaoan.plans.workflow import ASSIGNMENT, PLAN

TASK_PREFETCH = ("deadlines", "lead_units", "responsible_units", "cooperating_units")


class PlanAccessMixin(ScopedMixin):
    """Core's scoped page with the plan permissions: every plan record is guarded by
    `plans.<permission_action>_plan` (403 when held nowhere)."""

    model = Plan

    def has_access(self, user) -> bool:
        return has_permission_anywhere(user, plan_perm(self.permission_action))


def _can(user: Any, model, obj, action: str) -> bool:
    return model.objects.restrict(user, action).filter(pk=obj.pk).exists()


# ---------------------------------------------------------------- plans


class PlanListView(PlanAccessMixin, ScopedListView):
    template_name = "plans/plan_list.html"
    paginate_by = 25
    filterset_class = PlanFilterSet

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("unit")
            .annotate(
                task_count=Count("tasks", distinct=True),
                # The one overdue rule (choices.current_progress) for the status badge.
                late_tasks=Exists(
                    Task.objects.filter(
                        plan=OuterRef("pk"),
                        parent__isnull=True,
                        status__in=OPEN,
                        due_on__lt=timezone.localdate(),
                    )
                ),
            )
            .order_by("-created_at", "-pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            data=self.request.GET,
            status_choices=PlanStatus.choices,
            can_add=has_permission_anywhere(user, plan_perm("add")),
            can_report=has_permission_anywhere(user, plan_perm("report")),
        )
        return context


class PlanCreateView(PlanAccessMixin, ServiceFormView):
    permission_action = "add"
    template_name = "plans/plan_form.html"
    form_class = forms.PlanForm
    success_message = gettext_lazy("方案已创建，请添加任务后下发。")

    def get_initial(self):
        current = getattr(self.request, "current_unit", None)
        return {"unit": current.pk} if current is not None else {}

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["units"] = list(services.issuing_units(self.request.user).order_by("path")[:500])
        return kwargs

    def perform(self, form):
        return services.create_plan(self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return reverse("plans:plan_detail", args=[self.result.pk])


class PlanEditView(PlanAccessMixin, ServiceFormView):
    permission_action = "change"
    template_name = "plans/plan_form.html"
    form_class = forms.PlanForm
    success_message = gettext_lazy("方案已保存。")

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.record = None

    def get_form_kwargs(self):
        self.record = self.get_record(self.kwargs["pk"], "change")
        kwargs = super().get_form_kwargs()
        kwargs["editing"] = True
        return kwargs

    def get_initial(self):
        plan = self.record
        initial = {f: getattr(plan, f) for f in services.PLAN_FIELDS}
        initial["phases"] = forms.phase_lines(plan.phases.all())
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["plan"] = self.record
        return context

    def perform(self, form):
        return services.update_plan(self.request.user, self.record.pk, **form.cleaned_data)

    def get_success_url(self):
        return reverse("plans:plan_detail", args=[self.record.pk])


def plan_context(request, plan: Plan, bound: forms.PlanActionForm | None = None) -> dict:
    """Everything the plan's page shows; `bound` is a refused action form with its errors."""
    user = request.user
    tasks = (
        Task.objects.restrict(user)
        .filter(plan=plan, parent__isnull=True)
        .order_by("seq", "pk")
        .prefetch_related(*TASK_PREFETCH)
    )
    can_change = _can(user, Plan, plan, "change")
    tasks = list(tasks)
    plan.late_tasks = any(t.current_status == Progress.OVERDUE for t in tasks)
    return {
        "object": plan,
        "plan": plan,
        "tasks": tasks,
        "phases": plan.phases.all(),
        "table": tables.progress_table(plan, user, tasks),
        "can_edit": can_change and plan.status != PlanStatus.CLOSED,
        "statuses": Progress,
        # Every colour a grid cell can take, 待审核 included.
        "legend": [(PROGRESS_COLOURS[value], label) for value, label in Progress.choices],
        "actions": action_panel(request, PLAN, plan, bound),
        "events": plan.events.select_related("actor"),
        "history": entries_for(plan, limit=50),
    }


class PlanDetailView(PlanAccessMixin, View):
    def get(self, request, pk):
        plan = self.get_record(pk)
        return render(request, "plans/plan_detail.html", plan_context(request, plan))


class PlanActionView(WorkflowActionView):
    """POST one declared plan action (下发, 结束: xiaoan.plans.workflow)."""

    workflow = PLAN
    template_name = "plans/plan_detail.html"

    def record_context(self, obj: Plan, bound: forms.PlanActionForm) -> dict[str, Any]:
        return plan_context(self.request, obj, bound)


class ResponsibilityExportView(PlanAccessMixin, View):
    """责任清单 of a plan as Excel or Word."""

    def get(self, request, pk, fmt):
        content, content_type, name = tables.responsibility_file(request.user, pk, fmt)
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response


# ---------------------------------------------------------------- tasks


def _task_units(plan: Plan) -> list[Unit]:
    """Units a task of the plan may name: the issuer's subtree, bounded."""
    return list(
        Unit.objects.filter(path__startswith=plan.unit.path, is_active=True)
        .exclude(kind=UnitKind.CAMPUS)
        .order_by("path")[:500]
    )


class TaskFormView(PlanAccessMixin, ServiceFormView):
    """Add a top-level task to a plan (`plan_pk`) or edit one (`pk`)."""

    permission_action = "change"
    template_name = "plans/task_form.html"
    form_class = forms.TaskForm
    success_message = gettext_lazy("任务已保存。")

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.plan = self.task = None

    def _load(self) -> None:
        pk = self.kwargs.get("pk")
        if pk is not None:
            self.task = self.get_record(pk, model=Task)
            if self.task.parent_id:
                raise Http404
            self.plan = self.get_record(self.task.plan_id, "change")
        else:
            self.plan = self.get_record(self.kwargs["plan_pk"], "change")

    def get_form_kwargs(self):
        self._load()
        kwargs = super().get_form_kwargs()
        kwargs["units"] = _task_units(self.plan)
        return kwargs

    def get_initial(self):
        task = self.task
        if task is None:
            return {}
        return {
            "seq": task.seq,
            "domain": task.domain,
            "title": task.title,
            "content": task.content,
            "deadlines": forms.deadline_lines(task.deadlines.all()),
            "lead_units": [u.pk for u in task.lead_units.all()],
            "responsible_units": [u.pk for u in task.responsible_units.all()],
            "cooperating_units": [u.pk for u in task.cooperating_units.all()],
            "all_below": task.all_below,
            "all_sections": task.all_sections,
            "collective_text": task.collective_text,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(plan=self.plan, task=self.task)
        return context

    def perform(self, form):
        return services.save_task(
            self.request.user, self.plan.pk, task=self.task, **form.cleaned_data
        )

    def get_success_url(self):
        return reverse("plans:task_detail", args=[self.result.pk])


class TaskDetailView(PlanAccessMixin, View):
    def get(self, request, pk):
        task = self.get_record(pk, model=Task)
        user = request.user
        assignments = list(
            Assignment.objects.restrict(user)
            .filter(task=task)
            .select_related("unit", "last_report")
            .order_by("unit__path")
        )
        annotate_milestones(assignments, services._today())
        reports = (
            ProgressReport.objects.filter(assignment__in=[a.pk for a in assignments])
            .select_related("assignment__unit", "author")
            .prefetch_related("files")
            .order_by("-created_at", "-pk")[:100]
        )
        reportable = set(
            Assignment.objects.restrict(user, "report")
            .filter(task=task)
            .values_list("pk", flat=True)
        )
        decomposable = set(
            Unit.objects.with_permission(user, plan_perm("change"))
            .filter(pk__in=[a.unit_id for a in assignments], kind=UnitKind.SCHOOL)
            .values_list("pk", flat=True)
        )
        # The issuer's people review the reports of 已完成 (on the assignment's page).
        reviewable = set(
            Assignment.objects.restrict(user, "change")
            .filter(task=task, status=Progress.SUBMITTED)
            .values_list("pk", flat=True)
        )
        plan = task.plan
        can_change = task.parent_id is None and _can(user, Plan, plan, "change")
        context = {
            "task": task,
            "plan": plan,
            "deadlines": task.deadlines.all(),
            "assignments": assignments,
            "reports": reports,
            "reportable": reportable if plan.status == PlanStatus.ACTIVE else set(),
            "decomposable": decomposable if plan.status == PlanStatus.ACTIVE else set(),
            "reviewable": reviewable,
            "children": task.children.select_related("unit"),
            "can_edit": can_change and plan.status != PlanStatus.CLOSED,
            "history": entries_for(task, limit=50),
        }
        return render(request, "plans/task_detail.html", context)


# ---------------------------------------------------------------- my tasks and assignments


class MyTasksView(PlanAccessMixin, ListView):
    """The assignments of the units where I report: open ones first, by due date."""

    permission_action = "report"
    template_name = "plans/my_tasks.html"
    paginate_by = 50

    def get_queryset(self):
        queryset = Assignment.objects.restrict(self.request.user, "report").filter(
            task__plan__status=PlanStatus.ACTIVE
        )
        self.show_all = self.request.GET.get("all") == "1"
        if not self.show_all:
            queryset = queryset.exclude(status__in=FINISHED)
        return queryset.select_related("unit", "task__plan").order_by(
            "due_on", "task__plan_id", "task__seq", "pk"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        annotate_milestones(context["object_list"], services._today())
        context["show_all"] = self.show_all
        context["query_string"] = "all=1" if self.show_all else ""
        context["today"] = services._today()
        return context


def assignment_context(request, assignment: Assignment, bound=None) -> dict:
    """The assignment's page (报送进展): its actions, reports and history."""
    return {
        "object": assignment,
        "assignment": assignment,
        "task": assignment.task,
        "actions": action_panel(request, ASSIGNMENT, assignment, bound),
        "events": assignment.events.select_related("actor"),
        "reports": assignment.reports.select_related(
            "author", "milestone", "reviewed_by"
        ).prefetch_related("files")[:20],
        "milestones": milestone_rows(assignment, services._today()),
    }


class AssignmentActionView(WorkflowActionView):
    """POST one declared assignment action (报送进展, 分解到各处室); the report's URL also
    shows the assignment's page (GET), to the people who report on it."""

    workflow = ASSIGNMENT
    template_name = "plans/report_form.html"
    http_method_names = ["get", "post"]

    def get(self, request, pk):
        if self.action_name != "report":
            return self.http_method_not_allowed(request)
        # Its reporters and the task's issuer (who reviews reports of 已完成) see it; a
        # read-only viewer has the plan's pages.
        if not any(
            has_permission_anywhere(request.user, plan_perm(action))
            for action in ("report", "change")
        ):
            raise PermissionDenied
        assignment = get_scoped(request.user, Assignment, pk, "view")
        return render(request, self.template_name, assignment_context(request, assignment))

    def record_context(self, obj: Assignment, bound) -> dict[str, Any]:
        return assignment_context(self.request, obj, bound)

    def success_url(self, obj: Assignment) -> str:
        if self.action_name == "decompose":
            child = Task.objects.filter(parent_id=obj.task_id, unit_id=obj.unit_id).first()
            return reverse("plans:task_detail", args=[child.pk if child else obj.task_id])
        return reverse("plans:assignment_report", args=[obj.pk])


class EvidenceView(PlanAccessMixin, View):
    def get(self, request, pk):
        evidence = Evidence.objects.select_related("report").filter(pk=pk).first()
        if evidence is None:
            raise Http404
        self.get_record(evidence.report.assignment_id, model=Assignment)
        return evidence_response(evidence, evidence.file, evidence.name, "plan-evidence")


# ---------------------------------------------------------------- import


class ImportView(PlanAccessMixin, ServiceFormView):
    permission_action = "add"
    template_name = "plans/import_form.html"
    form_class = forms.ImportForm

    def get_initial(self):
        current = getattr(self.request, "current_unit", None)
        return {"unit": current.pk} if current is not None else {}

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["units"] = list(services.issuing_units(self.request.user).order_by("path")[:500])
        return kwargs

    def perform(self, form):
        upload = form.cleaned_data.get("file")
        return importing.start_import(
            self.request.user,
            unit=form.cleaned_data["unit"],
            data=upload.read() if upload else None,
            filename=upload.name if upload else "",
            text="" if upload else form.cleaned_data["text"],
        )

    def get_success_url(self):
        return reverse("plans:import_review", args=[self.result.pk])


class ImportReviewView(PlanAccessMixin, ServiceFormView):
    """The draft for review: titles and deadlines editable, each written unit name mapped to
    a unit below the issuer, to every unit below (a collective phrase) or dropped."""

    permission_action = "add"
    template_name = "plans/import_review.html"
    form_class = forms.ImportReviewForm
    success_message = gettext_lazy("方案已导入并下发。")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated or not self.has_access(request.user):
            return super().dispatch(request, *args, **kwargs)
        self.record = self.get_record(kwargs["pk"], "add", model=PlanImport)
        if self.record.status != ImportStatus.PENDING:
            if self.record.plan_id:
                return redirect("plans:plan_detail", pk=self.record.plan_id)
            raise Http404
        self.suggestions = importing.suggest_units(self.record.draft, self.record.unit)
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if request.POST.get("discard"):
            try:
                importing.discard_import(request.user, self.record.pk)
            except ServiceError as error:
                messages.error(request, error.message)
                return redirect("plans:import_review", pk=self.record.pk)
            messages.info(request, _("已放弃本次导入。"))
            return redirect("plans:plan_list")
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(draft=self.record.draft, suggestions=self.suggestions)
        return kwargs

    def perform(self, form):
        return importing.confirm_import(self.request.user, self.record.pk, **form.cleaned_data)

    def get_success_url(self):
        return reverse("plans:plan_detail", args=[self.result.pk])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, pending = context["form"], self.record
        chosen = (
            importing.default_mapping(self.suggestions) if form.mapping is None else form.mapping
        )
        rows = [
            {
                "index": index,
                "task": task,
                "deadlines": task.get("deadline_text")
                if "deadline_text" in task
                else forms.deadline_lines(task.get("deadlines") or []),
            }
            for index, task in enumerate(form.tasks or pending.draft["tasks"])
        ]
        names = [
            {"written": s.written, "suggestion": s, "chosen": chosen.get(s.written, ""), "index": i}
            for i, s in enumerate(self.suggestions)
        ]
        context.update(
            pending=pending,
            rows=rows,
            names=names,
            units=_task_units(Plan(unit=pending.unit)),
            errors=form.non_field_errors(),
            title=pending.draft.get("plan_title", "") if form.title is None else form.title,
            document_number=form.number,
            unmatched=importing.unmatched_names(self.suggestions),
            domains=SafetyDomain.choices,
            ALL=importing.ALL_BELOW,
            DROP=importing.DROP,
        )
        return context
