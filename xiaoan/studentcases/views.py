"""The pages: cases (list, Excel, new, record page with follow-ups and closing), the counts
per school for superiors, bullying cases with their workflow panel, and conflict screenings.
Who sees what is xiaoan.studentcases.access; every read is audited (services.audit_read)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from xiaoan.core.errors import Conflict, ServiceError
from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.core.views import ServiceFormView, raise_for_service_error
from xiaoan.core.workflow_pages import WorkflowActionView, action_panel
from xiaoan.studentcases import deadlines, exports, services
from xiaoan.studentcases.access import COUNT, VIEW_BULLYING, role_schools
from xiaoan.studentcases.choices import CaseStatus
from xiaoan.studentcases.forms import (
    BullyingForm,
    CaseForm,
    CloseForm,
    FollowUpForm,
    ScreeningForm,
)
from xiaoan.studentcases.models import BullyingCase, ConflictScreening, StudentCase
from xiaoan.studentcases.workflow import BULLYING

PAGE_SIZE = 50


class _ListAccess(LoginRequiredMixin, View):
    """The school's role or named on some record; anyone else 403."""

    model = StudentCase

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not services.may_list(request.user, self.model):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def _page(request, queryset):
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    if rows:
        services.audit_read(request.user, rows, "page_list")
    return page, rows


# ---------------------------------------------------------------- student cases


class CaseListView(_ListAccess):
    def get(self, request):
        queryset = (
            services.visible(request.user)
            .select_related("unit", "responsible")
            .order_by("-created_at", "-id")
        )
        status = request.GET.get("status")
        if status in CaseStatus.values:
            queryset = queryset.filter(status=status)
        page, rows = _page(request, queryset)
        context = {
            "page_obj": page,
            "object_list": rows,
            "statuses": CaseStatus.choices,
            "can_add": bool(role_schools(request.user, services.ADD)),
            "can_count": has_permission_anywhere(request.user, COUNT),
        }
        return render(request, "studentcases/studentcase_list.html", context)


class CaseExportView(_ListAccess):
    def get(self, request):
        return exports.export_response(request.user, services.visible(request.user))


class CaseCreateView(ServiceFormView):
    model = StudentCase
    form_class = CaseForm
    template_name = "studentcases/form.html"
    success_message = gettext_lazy("已登记学生安全个案。")
    title = gettext_lazy("登记学生安全个案")

    def has_access(self, user) -> bool:
        return bool(role_schools(user, services.ADD))

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": self.title}

    def perform(self, form):
        return services.create_case(self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return reverse("studentcases:studentcase_detail", args=[self.result.pk])


def _case_context(request, case, followup_form=None, close_form=None):
    user = request.user
    may_follow = StudentCase.objects.restrict(user, "followup").filter(pk=case.pk).exists()
    may_close = StudentCase.objects.restrict(user, "close").filter(pk=case.pk).exists()
    is_open = case.status == CaseStatus.OPEN
    return {
        "case": case,
        "object": case,
        "followups": services.followups_of(case),
        "followup_form": (followup_form or FollowUpForm()) if may_follow and is_open else None,
        "close_form": (close_form or CloseForm(initial={"version": case.version}))
        if may_close and is_open
        else None,
        "bullying": list(services.visible(user, BullyingCase).filter(case=case)),
    }


class CaseDetailView(LoginRequiredMixin, View):
    def get(self, request, pk):
        case = services.load(request.user, pk, how="page")
        return render(request, "studentcases/studentcase_detail.html", _case_context(request, case))


class _CasePost(LoginRequiredMixin, View):
    http_method_names = ["post"]
    form_class: type = FollowUpForm

    def run(self, request, case, data):
        raise NotImplementedError

    def post(self, request, pk):
        case = services.load(request.user, pk)
        form = self.form_class(request.POST)
        if form.is_valid():
            try:
                self.run(request, case, form.cleaned_data)
            except Conflict as error:
                messages.error(request, str(error.message))
                return HttpResponseRedirect(reverse("studentcases:studentcase_detail", args=[pk]))
            except ServiceError as error:
                raise_for_service_error(error, form)
            else:
                return HttpResponseRedirect(reverse("studentcases:studentcase_detail", args=[pk]))
        key = "followup_form" if self.form_class is FollowUpForm else "close_form"
        context = _case_context(request, case, **{key: form})
        return render(request, "studentcases/studentcase_detail.html", context, status=400)


class CaseFollowUpView(_CasePost):
    form_class = FollowUpForm

    def run(self, request, case, data):
        services.add_followup(request.user, case.pk, **data)
        messages.success(request, _("已添加跟进记录。"))


class CaseCloseView(_CasePost):
    form_class = CloseForm

    def run(self, request, case, data):
        services.close_case(request.user, case.pk, **data)
        messages.success(request, _("个案已结案。"))


class CountsView(LoginRequiredMixin, View):
    """The superiors' view: figures per school, no names."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not has_permission_anywhere(request.user, COUNT):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        rows = services.counts(request.user)
        from xiaoan.studentcases.choices import CaseCategory

        categories = CaseCategory.choices
        for row in rows:
            row["cells"] = [row["by_category"][value] for value, _label in categories]
        context = {"rows": rows, "categories": categories}
        return render(request, "studentcases/counts.html", context)


# ---------------------------------------------------------------- bullying


STEP_FILTERS = [
    ("determine", gettext_lazy("待认定")),
    ("review", gettext_lazy("待复查")),
    ("reexamine", gettext_lazy("待复核")),
]


class BullyingListView(_ListAccess):
    model = BullyingCase

    def get(self, request):
        user = request.user
        # The steps this person decides: a filter each (the home page's to-dos link here).
        steps = [(name, label) for name, label in STEP_FILTERS if services.decides(user, name)]
        step = request.GET.get("step", "")
        queryset = services.visible(user, BullyingCase)
        if step in dict(steps):
            queryset = queryset & services.awaiting(user, step)
        else:
            step = ""
        queryset = queryset.select_related("unit").order_by("-reported_on", "-id")
        page, rows = _page(request, queryset)
        for row in rows:
            row.clock = deadlines.clock(row)
        context = {
            "page_obj": page,
            "object_list": rows,
            "can_add": bool(role_schools(user, services.ADD_BULLYING)),
            "steps": steps,
            "step": step,
            "reviewer_only": not role_schools(user, VIEW_BULLYING),
        }
        return render(request, "studentcases/bullying_list.html", context)


class BullyingCreateView(CaseCreateView):
    model = BullyingCase
    form_class = BullyingForm
    success_message = gettext_lazy("已受理欺凌事件报告。")
    title = gettext_lazy("受理欺凌事件报告")

    def has_access(self, user) -> bool:
        return bool(role_schools(user, services.ADD_BULLYING))

    def perform(self, form):
        return services.report_bullying(self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return reverse("studentcases:bullyingcase_detail", args=[self.result.pk])


def bullying_context(request, obj, bound=None):
    return {
        "obj": obj,
        "object": obj,
        "clock": deadlines.clock(obj),
        "limits": {
            "determine": deadlines.DETERMINE_DAYS,
            "review_request": deadlines.REVIEW_REQUEST_DAYS,
            "review_decide": deadlines.REVIEW_DECIDE_DAYS,
            "reexam_request": deadlines.REEXAM_REQUEST_DAYS,
            "reexam_decide": deadlines.REEXAM_DECIDE_DAYS,
        },
        "actions": action_panel(request, BULLYING, obj, bound),
        "events": services.events_of(obj),
    }


class BullyingDetailView(LoginRequiredMixin, View):
    def get(self, request, pk):
        obj = services.load(request.user, pk, how="page", model=BullyingCase)
        return render(request, "studentcases/bullying_detail.html", bullying_context(request, obj))


class BullyingActionView(WorkflowActionView):
    workflow = BULLYING
    template_name = "studentcases/bullying_detail.html"

    def record_context(self, obj, bound):
        return bullying_context(self.request, obj, bound)


# ---------------------------------------------------------------- screenings


class ScreeningListView(_ListAccess):
    model = ConflictScreening

    def get(self, request):
        queryset = (
            services.visible(request.user, ConflictScreening)
            .select_related("unit")
            .annotate(case_count=Count("cases"))
            .order_by("-screened_on", "-id")
        )
        page, rows = _page(request, queryset)
        context = {
            "page_obj": page,
            "object_list": rows,
            "can_add": bool(role_schools(request.user, services.ADD_SCREENING)),
        }
        return render(request, "studentcases/screening_list.html", context)


class ScreeningCreateView(CaseCreateView):
    model = ConflictScreening
    form_class = ScreeningForm
    success_message = gettext_lazy("已登记矛盾纠纷排查。")
    title = gettext_lazy("登记矛盾纠纷排查")

    def has_access(self, user) -> bool:
        return bool(role_schools(user, services.ADD_SCREENING))

    def perform(self, form):
        data = dict(form.cleaned_data)
        data.pop("responsible", None)
        return services.record_screening(self.request.user, **data)

    def get_success_url(self):
        return reverse("studentcases:conflictscreening_detail", args=[self.result.pk])


class ScreeningDetailView(LoginRequiredMixin, View):
    def get(self, request, pk):
        obj = services.load(request.user, pk, how="page", model=ConflictScreening)
        cases, hidden = services.screening_cases(request.user, obj)
        context = {"obj": obj, "object": obj, "cases": cases, "hidden": hidden}
        return render(request, "studentcases/screening_detail.html", context)
