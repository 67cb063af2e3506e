"""The plan pages: plans (list, record with the progress table, create, edit, publish,
close), tasks (record, create, edit, decompose), my tasks with the progress report, evidence
files, and importing a document (upload → review → confirm).

Views only shape input and output: every rule lives in `xiaoan.plans.services`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from xiaoan.audit.files import file_served
from xiaoan.core.errors import ServiceError
from xiaoan.core.history import entries_for
from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.core.views import raise_for_service_error
from xiaoan.orgs.choices import UnitKind
from xiaoan.orgs.models import Unit
from xiaoan.plans import forms, importing, services
from xiaoan.plans.choices import FINISHED, ImportStatus, PlanStatus, Progress
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

TASK_PREFETCH = ("deadlines", "lead_units", "responsible_units", "cooperating_units")


class PlanAccessMixin(LoginRequiredMixin):
    """403 when the plan permission `action` is held nowhere at all."""

    action = "view"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not has_permission_anywhere(
            request.user, plan_perm(self.action)
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def scoped(self, model, pk, action: str = "view"):
        try:
            return services.get_scoped(self.request.user, model, pk, action)
        except ServiceError as error:
            raise_for_service_error(error)


def _can(user: Any, model, obj, action: str) -> bool:
    return model.objects.restrict(user, action).filter(pk=obj.pk).exists()


# ---------------------------------------------------------------- plans


class PlanListView(PlanAccessMixin, ListView):
    template_name = "plans/plan_list.html"
    paginate_by = 25

    def get_queryset(self):
        base = Plan.objects.restrict(self.request.user)
        self.filterset = PlanFilterSet(self.request.GET or None, queryset=base)
        queryset = base
        if self.filterset.is_bound and self.filterset.is_valid():
            queryset = self.filterset.qs
        return (
            queryset.select_related("unit")
            .annotate(task_count=Count("tasks", distinct=True))
            .order_by("-created_at", "-pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        user = self.request.user
        context.update(
            filterset=self.filterset,
            data=self.request.GET,
            query_string=query.urlencode(),
            status_choices=PlanStatus.choices,
            can_add=has_permission_anywhere(user, plan_perm("add")),
            can_report=has_permission_anywhere(user, plan_perm("report")),
        )
        return context


class PlanCreateView(PlanAccessMixin, View):
    action = "add"

    def _form(self, data=None):
        units = list(services.issuing_units(self.request.user).order_by("path")[:500])
        initial = {}
        current = getattr(self.request, "current_unit", None)
        if current is not None:
            initial["unit"] = current.pk
        return forms.PlanForm(data, units=units, initial=initial)

    def get(self, request):
        return render(request, "plans/plan_form.html", {"form": self._form()})

    def post(self, request):
        form = self._form(request.POST)
        if form.is_valid():
            try:
                plan = services.create_plan(request.user, **form.cleaned_data)
            except ServiceError as error:
                raise_for_service_error(error, form)
            else:
                messages.success(request, _("方案已创建，请添加任务后下发。"))
                return redirect("plans:plan_detail", pk=plan.pk)
        return render(request, "plans/plan_form.html", {"form": form}, status=400)


class PlanEditView(PlanAccessMixin, View):
    action = "change"

    def _form(self, plan, data=None):
        initial = {f: getattr(plan, f) for f in services.PLAN_FIELDS}
        initial["phases"] = forms.phase_lines(plan.phases.all())
        return forms.PlanForm(data, initial=initial, editing=True)

    def get(self, request, pk):
        plan = self.scoped(Plan, pk, "change")
        return render(request, "plans/plan_form.html", {"form": self._form(plan), "plan": plan})

    def post(self, request, pk):
        plan = self.scoped(Plan, pk, "change")
        form = self._form(plan, request.POST)
        if form.is_valid():
            try:
                services.update_plan(request.user, plan.pk, **form.cleaned_data)
            except ServiceError as error:
                raise_for_service_error(error, form)
            else:
                messages.success(request, _("方案已保存。"))
                return redirect("plans:plan_detail", pk=plan.pk)
        context = {"form": form, "plan": plan}
        return render(request, "plans/plan_form.html", context, status=400)


class PlanDetailView(PlanAccessMixin, View):
    def get(self, request, pk):
        plan = self.scoped(Plan, pk)
        user = request.user
        tasks = (
            Task.objects.restrict(user)
            .filter(plan=plan, parent__isnull=True)
            .order_by("seq", "pk")
            .prefetch_related(*TASK_PREFETCH)
        )
        context = {
            "plan": plan,
            "tasks": tasks,
            "phases": plan.phases.all(),
            "table": services.progress_table(plan, user),
            "can_change": _can(user, Plan, plan, "change"),
            "statuses": Progress,
            "history": entries_for(plan, limit=50),
        }
        return render(request, "plans/plan_detail.html", context)


class ResponsibilityExportView(PlanAccessMixin, View):
    """责任清单 of a plan as Excel or Word."""

    def get(self, request, pk, fmt):
        try:
            content, content_type, name = services.responsibility_file(request.user, pk, fmt)
        except ServiceError as error:
            raise_for_service_error(error)
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response


class PlanActionView(PlanAccessMixin, View):
    action = "change"
    service = ""

    def post(self, request, pk):
        plan = self.scoped(Plan, pk, "change")
        try:
            getattr(services, self.service)(request.user, plan.pk)
        except ServiceError as error:
            if error.status in (403, 404):
                raise_for_service_error(error)
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("已完成。"))
        return redirect("plans:plan_detail", pk=plan.pk)


# ---------------------------------------------------------------- tasks


def _task_units(plan: Plan) -> list[Unit]:
    """Units a task of the plan may name: the issuer's subtree, bounded."""
    return list(
        Unit.objects.filter(path__startswith=plan.unit.path, is_active=True)
        .exclude(kind=UnitKind.CAMPUS)
        .order_by("path")[:500]
    )


class TaskFormView(PlanAccessMixin, View):
    action = "change"

    def _objects(self, pk=None, plan_pk=None):
        if pk is not None:
            task = self.scoped(Task, pk, "view")
            if task.parent_id:
                raise Http404
            plan = self.scoped(Plan, task.plan_id, "change")
            return plan, task
        return self.scoped(Plan, plan_pk, "change"), None

    def _form(self, plan, task, data=None):
        initial = {}
        if task is not None:
            initial = {
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
        return forms.TaskForm(data, initial=initial, units=_task_units(plan))

    def get(self, request, pk=None, plan_pk=None):
        plan, task = self._objects(pk, plan_pk)
        context = {"form": self._form(plan, task), "plan": plan, "task": task}
        return render(request, "plans/task_form.html", context)

    def post(self, request, pk=None, plan_pk=None):
        plan, task = self._objects(pk, plan_pk)
        form = self._form(plan, task, request.POST)
        if form.is_valid():
            try:
                saved = services.save_task(request.user, plan.pk, task=task, **form.cleaned_data)
            except ServiceError as error:
                raise_for_service_error(error, form)
            else:
                messages.success(request, _("任务已保存。"))
                return redirect("plans:task_detail", pk=saved.pk)
        context = {"form": form, "plan": plan, "task": task}
        return render(request, "plans/task_form.html", context, status=400)


class TaskDetailView(PlanAccessMixin, View):
    def get(self, request, pk):
        task = self.scoped(Task, pk)
        user = request.user
        assignments = list(
            Assignment.objects.restrict(user)
            .filter(task=task)
            .select_related("unit", "last_report")
            .order_by("unit__path")
        )
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
        context = {
            "task": task,
            "plan": task.plan,
            "deadlines": task.deadlines.all(),
            "assignments": assignments,
            "reports": reports,
            "reportable": reportable,
            "decomposable": decomposable if task.plan.status == PlanStatus.ACTIVE else set(),
            "children": task.children.select_related("unit"),
            "can_change": task.parent_id is None and _can(user, Plan, task.plan, "change"),
            "history": entries_for(task, limit=50),
        }
        return render(request, "plans/task_detail.html", context)


class DecomposeView(PlanAccessMixin, View):
    action = "change"

    def post(self, request, pk):
        assignment = self.scoped(Assignment, pk)
        form = forms.DecomposeForm(request.POST)
        form.fields["units"].choices = [
            (u.pk, u.name) for u in Unit.objects.filter(path__startswith=assignment.unit.path)
        ]
        units = form.cleaned_data["units"] if form.is_valid() else []
        try:
            child = services.decompose(request.user, assignment.pk, units)
        except ServiceError as error:
            if error.status in (403, 404):
                raise_for_service_error(error)
            messages.error(request, str(error.message))
            return redirect("plans:task_detail", pk=assignment.task_id)
        messages.success(request, _("已分解到本校各处室。"))
        return redirect("plans:task_detail", pk=child.pk)


# ---------------------------------------------------------------- my tasks and reports


class MyTasksView(PlanAccessMixin, ListView):
    """The assignments of the units where I report: open ones first, by due date."""

    action = "report"
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
        context["show_all"] = self.show_all
        context["query_string"] = "all=1" if self.show_all else ""
        context["today"] = services._today()
        return context


class ReportView(PlanAccessMixin, View):
    action = "report"

    def _page(self, request, assignment, form, status=200):
        context = {
            "assignment": assignment,
            "task": assignment.task,
            "form": form,
            "reports": assignment.reports.select_related("author").prefetch_related("files")[:20],
        }
        return render(request, "plans/report_form.html", context, status=status)

    def get(self, request, pk):
        assignment = self.scoped(Assignment, pk, "report")
        form = forms.ReportForm(initial={"progress": assignment.progress})
        return self._page(request, assignment, form)

    def post(self, request, pk):
        assignment = self.scoped(Assignment, pk, "report")
        form = forms.ReportForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.report_progress(
                    request.user,
                    assignment.pk,
                    text=data["text"],
                    status=data["status"],
                    progress=data["progress"],
                    files=data["files"],
                )
            except ServiceError as error:
                raise_for_service_error(error, form)
            else:
                messages.success(request, _("进展已报送。"))
                return redirect("plans:my_tasks")
        return self._page(request, assignment, form, status=400)


class EvidenceView(PlanAccessMixin, View):
    def get(self, request, pk):
        evidence = Evidence.objects.select_related("report").filter(pk=pk).first()
        if evidence is None:
            raise Http404
        self.scoped(Assignment, evidence.report.assignment_id)
        try:
            handle = evidence.file.open("rb")
        except OSError:
            raise Http404 from None
        response = FileResponse(handle, as_attachment=True, filename=evidence.name)
        response["Cache-Control"] = "private, max-age=3600"
        file_served("download", "plan-evidence", obj=evidence, filename=evidence.name)
        return response


# ---------------------------------------------------------------- import


class ImportView(PlanAccessMixin, View):
    action = "add"

    def _form(self, data=None, files=None):
        units = list(services.issuing_units(self.request.user).order_by("path")[:500])
        current = getattr(self.request, "current_unit", None)
        initial = {"unit": current.pk} if current is not None else {}
        return forms.ImportForm(data, files, units=units, initial=initial)

    def get(self, request):
        return render(request, "plans/import_form.html", {"form": self._form()})

    def post(self, request):
        form = self._form(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data.get("file")
            try:
                pending = importing.start_import(
                    request.user,
                    unit=form.cleaned_data["unit"],
                    data=upload.read() if upload else None,
                    filename=upload.name if upload else "",
                    text="" if upload else form.cleaned_data["text"],
                )
            except ServiceError as error:
                raise_for_service_error(error, form)
            else:
                return redirect("plans:import_review", pk=pending.pk)
        return render(request, "plans/import_form.html", {"form": form}, status=400)


class ImportReviewView(PlanAccessMixin, View):
    """The draft for review: titles and deadlines editable, each written unit name mapped to
    a unit below the issuer, to every unit below (a collective phrase) or dropped."""

    action = "add"

    def _pending(self, pk) -> PlanImport:
        pending = self.scoped(PlanImport, pk, "add")
        if pending.status != ImportStatus.PENDING:
            if pending.plan_id:
                raise _Redirect(pending.plan_id)
            raise Http404
        return pending

    def _context(self, pending, *, tasks=None, mapping=None, errors=(), title=None, number=""):
        suggestions = importing.suggest_units(pending.draft, pending.unit)
        chosen = importing.default_mapping(suggestions) if mapping is None else mapping
        rows = []
        for index, task in enumerate(tasks or pending.draft["tasks"]):
            rows.append(
                {
                    "index": index,
                    "task": task,
                    "deadlines": task.get("deadline_text")
                    if "deadline_text" in task
                    else forms.deadline_lines(task.get("deadlines") or []),
                }
            )
        names = [
            {
                "written": s.written,
                "suggestion": s,
                "chosen": chosen.get(s.written, ""),
                "index": index,
            }
            for index, s in enumerate(suggestions)
        ]
        return {
            "pending": pending,
            "rows": rows,
            "names": names,
            "units": _task_units(Plan(unit=pending.unit)),
            "errors": errors,
            "title": pending.draft.get("plan_title", "") if title is None else title,
            "document_number": number,
            "unmatched": importing.unmatched_names(suggestions),
            "ALL": importing.ALL_BELOW,
            "DROP": importing.DROP,
        }

    def get(self, request, pk):
        try:
            pending = self._pending(pk)
        except _Redirect as done:
            return redirect("plans:plan_detail", pk=done.plan_id)
        return render(request, "plans/import_review.html", self._context(pending))

    def post(self, request, pk):
        try:
            pending = self._pending(pk)
        except _Redirect as done:
            return redirect("plans:plan_detail", pk=done.plan_id)
        if request.POST.get("discard"):
            pending.status = ImportStatus.DISCARDED
            pending.save(update_fields=["status"])
            messages.info(request, _("已放弃本次导入。"))
            return redirect("plans:plan_list")
        suggestions = importing.suggest_units(pending.draft, pending.unit)
        mapping = {
            s.written: request.POST.get(f"unit-{index}", "") for index, s in enumerate(suggestions)
        }
        errors: list[str] = []
        tasks = []
        for index, task in enumerate(pending.draft["tasks"]):
            edited = dict(task)
            edited["title"] = (request.POST.get(f"title-{index}") or "").strip()
            text = request.POST.get(f"deadlines-{index}", "")
            try:
                edited["deadlines"] = forms.parse_deadline_lines(text)
            except forms.ValidationError as error:
                errors.append(_("第 %(n)s 项：%(m)s") % {"n": task["seq"], "m": error.messages[0]})
                edited["deadline_text"] = text
            if not edited["title"]:
                errors.append(_("第 %(n)s 项：请填写工作任务。") % {"n": task["seq"]})
            tasks.append(edited)
        title = (request.POST.get("plan_title") or "").strip()
        number = (request.POST.get("document_number") or "").strip()
        if not errors:
            try:
                plan = importing.confirm_import(
                    request.user,
                    pending.pk,
                    mapping=mapping,
                    tasks=tasks,
                    title=title,
                    document_number=number,
                )
            except ServiceError as error:
                if error.status in (403, 404):
                    raise_for_service_error(error)
                errors.append(str(error.message))
            else:
                messages.success(request, _("方案已导入并下发。"))
                return redirect("plans:plan_detail", pk=plan.pk)
        context = self._context(
            pending, tasks=tasks, mapping=mapping, errors=errors, title=title, number=number
        )
        return render(request, "plans/import_review.html", context, status=400)


class _Redirect(Exception):
    def __init__(self, plan_id: int) -> None:
        self.plan_id = plan_id
