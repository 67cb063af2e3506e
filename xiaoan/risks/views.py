"""The risk register's pages: the list (filters, counts by grade, Excel and Word), the
registration form, the risk point's page (assessments, measures, checks, linked hazards, the
action panel and history), the phone control check, a person's due checks, the unit's
method setting, check photos, and the 四色图 (plan images and markers)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views import View

from xiaoan.core.errors import ServiceError
from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.core.views import (
    RecordPhotoView,
    ScopedListView,
    ScopedMixin,
    ServiceFormView,
    raise_for_service_error,
)
from xiaoan.core.workflow_pages import WorkflowActionView, action_panel
from xiaoan.risks import exports, library, reassessment, services
from xiaoan.risks.choices import GRADE_COLOURS, RiskGrade, RiskStatus
from xiaoan.risks.filtersets import RiskPointFilter
from xiaoan.risks.forms import CheckForm, CreateForm, LibraryForm, MethodForm
from xiaoan.risks.models import ControlCheck, RiskPoint
from xiaoan.risks.workflow import RISK_POINT

DETAIL = "risks/riskpoint_detail.html"


class OwnerAccessMixin:
    """Open to the people given a control measure, whatever their rights (they see only the
    risk points of their measures: `RiskPoint.objects.restrict`)."""

    def has_access(self, user) -> bool:
        return super().has_access(user) or services.checks_as_owner(user)


def point_context(request, point: RiskPoint, bound=None) -> dict[str, Any]:
    allowed = RISK_POINT.allowed_actions(request.user, point)
    today = timezone.localdate()
    return {
        "point": point,
        "object": point,
        "actions": action_panel(request, RISK_POINT, point, bound, allowed=allowed),
        "can_check": any(a.name == "record_check" for a in allowed),
        "measures": services.measures_of(point, all_rows=True),
        "assessments": services.assessments_of(point),
        "checks": services.checks_of(point),
        "hazards": list(reassessment.linked_hazards(point).order_by("-found_at")[:50]),
        "events": list(point.events.select_related("actor")),
        "today": today,
        "colour": GRADE_COLOURS.get(point.grade, "grey"),
    }


class RiskPointListView(OwnerAccessMixin, ScopedListView):
    model = RiskPoint
    filterset_class = RiskPointFilter
    template_name = "risks/riskpoint_list.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("unit", "place", "owner")
            .annotate(
                overdue_checks=Count(
                    "measures",
                    filter=Q(measures__active=True, measures__next_due__lt=timezone.localdate()),
                )
            )
            .order_by("unit__path", "name", "pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        base = self.object_list.order_by()
        counts = base.filter(status=RiskStatus.ACTIVE).aggregate(
            **{g: Count("pk", filter=Q(grade=g)) for g in RiskGrade.values},
            none=Count("pk", filter=Q(grade="")),
            reassess=Count("pk", filter=Q(reassessment_due=True)),
        )
        context["grade_counts"] = [
            (value, label, GRADE_COLOURS[value], counts[value])
            for value, label in RiskGrade.choices
        ]
        context["counts"] = counts
        context["grades"] = RiskGrade.choices
        context["statuses"] = RiskStatus.choices
        from xiaoan.core.choices import SafetyDomain

        context["domains"] = SafetyDomain.choices
        context["can_add"] = has_permission_anywhere(user, services.ADD)
        context["can_export"] = has_permission_anywhere(user, services.EXPORT)
        context["can_setting"] = has_permission_anywhere(user, services.CHANGE)
        context["today"] = timezone.localdate()
        return context


def _filtered(request):
    queryset = RiskPoint.objects.restrict(request.user, "view")
    filterset = RiskPointFilter(request.GET or None, queryset=queryset, request=request)
    if filterset.is_bound and filterset.is_valid():
        queryset = filterset.qs
    return queryset


class RiskPointExportView(ScopedMixin, View):
    """风险管控清单 as Excel."""

    model = RiskPoint
    permission_action = "export"

    def get(self, request):
        return exports.register_xlsx(_filtered(request))


class RiskPointWordView(ScopedMixin, View):
    """风险管控清单 as Word (official layout)."""

    model = RiskPoint
    permission_action = "export"

    def get(self, request):
        return exports.register_docx(_filtered(request))


class RiskPointCreateView(ServiceFormView):
    model = RiskPoint
    permission_action = "add"
    form_class = CreateForm
    template_name = "risks/riskpoint_form.html"
    success_message = gettext_lazy("已登记风险点，请进行风险评估并制定管控措施。")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        initial = super().get_initial()
        current = getattr(self.request, "current_unit", None)
        if current is not None:
            initial["unit"] = current.pk
        return initial

    def perform(self, form):
        return services.create(self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return reverse("risks:riskpoint_detail", args=[self.result.pk])


class RiskPointDetailView(OwnerAccessMixin, ScopedMixin, View):
    model = RiskPoint

    def get(self, request, pk):
        point = services.load(request.user, pk)
        return render(request, DETAIL, point_context(request, point))


class RiskPointActionView(WorkflowActionView):
    workflow = RISK_POINT
    template_name = DETAIL

    def may_try(self, user) -> bool:
        return super().may_try(user) or (
            self.action_name == "record_check" and services.checks_as_owner(user)
        )

    def record_context(self, obj, bound):
        return point_context(self.request, services.load(self.request.user, obj.pk), bound)


class CheckView(OwnerAccessMixin, ScopedMixin, View):
    """The phone's control check: one page, big buttons, a photo from the camera."""

    model = RiskPoint
    template_name = "risks/check.html"

    def _point(self, request, pk):
        point = services.load(request.user, pk)
        if not services.may_check(request.user, point) or not point.is_active:
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        return point

    def get(self, request, pk):
        point = self._point(request, pk)
        form = CheckForm(obj=point, actor=request.user, action=RISK_POINT.actions["record_check"])
        wanted = request.GET.get("measure", "")
        if wanted.isdigit():
            form.initial["measure"] = int(wanted)
        return self._render(request, point, form)

    def post(self, request, pk):
        point = self._point(request, pk)
        form = CheckForm(
            request.POST,
            request.FILES,
            obj=point,
            actor=request.user,
            action=RISK_POINT.actions["record_check"],
        )
        if form.is_valid():
            try:
                check = services.record_check(request.user, point.pk, **form.cleaned_data)
            except ServiceError as error:
                raise_for_service_error(error, form)
            else:
                if check.hazard_id:
                    messages.warning(
                        request,
                        gettext_lazy("已记录检查，未落实的措施已登记为隐患 %(n)s。")
                        % {"n": check.hazard.number},
                    )
                else:
                    messages.success(request, gettext_lazy("已记录管控检查。"))
                return HttpResponseRedirect(reverse("risks:riskpoint_my_checks"))
        return self._render(request, point, form, status=400)

    def _render(self, request, point, form, status=200):
        return render(request, self.template_name, {"point": point, "form": form}, status=status)


class MyChecksView(OwnerAccessMixin, ScopedMixin, View):
    """A person's control measures, due first (the to-do's page)."""

    model = RiskPoint

    def get(self, request):
        from xiaoan.risks.models import ControlMeasure

        today = timezone.localdate()
        rows = (
            ControlMeasure.objects.filter(
                owner_id=request.user.pk, active=True, risk_point__status=RiskStatus.ACTIVE
            )
            .select_related("risk_point", "risk_point__unit")
            .order_by("next_due", "pk")[:200]
        )
        return render(request, "risks/my_checks.html", {"rows": rows, "today": today})


class CheckPhotoView(OwnerAccessMixin, RecordPhotoView):
    """A check's photo, to whoever may see its risk point."""

    model = ControlCheck

    def get(self, request, pk):
        from django.http import Http404

        from xiaoan.core.views import photo_response

        visible = RiskPoint.objects.restrict(request.user, "view").values("pk")
        check = ControlCheck.objects.filter(pk=pk, risk_point__in=visible).exclude(photo="").first()
        if check is None:
            raise Http404
        return photo_response(check, check.photo)

    def has_access(self, user) -> bool:
        return has_permission_anywhere(user, services.VIEW) or services.checks_as_owner(user)


class MethodSettingView(ServiceFormView):
    """The unit's assessment method (LS or LEC)."""

    model = RiskPoint
    permission_action = "change"
    form_class = MethodForm
    template_name = "risks/method_form.html"
    success_message = gettext_lazy("已保存评估方法。")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form):
        return services.set_method(self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return reverse("risks:riskpoint_list")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        units = list(services.managed_units(self.request.user, services.CHANGE)[:100])
        methods = services.methods_for(units)
        context["methods"] = [(u, methods[u.pk]) for u in units]
        return context


class LibraryView(ServiceFormView):
    """The built-in starting lists, and copying one into a unit's register."""

    model = RiskPoint
    permission_action = "add"
    form_class = LibraryForm
    template_name = "risks/library.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form):
        return library.copy_into(self.request.user, **form.cleaned_data)

    def get_success_message(self) -> str:
        return str(gettext_lazy("已从模板登记 %(n)d 个风险点。") % {"n": len(self.result)})

    def get_success_url(self):
        return f"{reverse('risks:riskpoint_list')}?unit={self.request.POST.get('unit', '')}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["lists"] = library.starting_lists()
        return context
