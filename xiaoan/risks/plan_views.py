"""四色图 pages: a unit's plan images, the upload, the plan with its risk points as coloured
markers (positioned by risks/riskmap.js from fractions: no inline style under the CSP), the
placing of a point (a click on the plan fills x and y), and the image itself, served only to
those who see the unit's risk points."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View

from xiaoan.core.errors import ServiceError
from xiaoan.core.forms import StyledFormMixin
from xiaoan.core.registers import home_unit
from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.core.views import ScopedMixin, ServiceFormView, photo_response
from xiaoan.risks import plans, services
from xiaoan.risks.choices import GRADE_COLOURS, RiskGrade, RiskStatus
from xiaoan.risks.models import RiskPlan, RiskPoint


class PlanForm(StyledFormMixin, forms.Form):
    unit = forms.TypedChoiceField(label=_("单位"), coerce=int)
    title = forms.CharField(
        label=_("图名"), max_length=100, help_text=_("如：校园总平面图、1号宿舍楼一层")
    )
    image = forms.ImageField(label=_("平面图（JPG/PNG）"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [
            (u.pk, u.name) for u in services.managed_units(user, services.CHANGE)[:500]
        ]


class PlaceForm(forms.Form):
    point = forms.IntegerField(min_value=1, max_value=2**63 - 1)
    x = forms.DecimalField(required=False, max_digits=8, decimal_places=6)
    y = forms.DecimalField(required=False, max_digits=8, decimal_places=6)
    version = forms.IntegerField(min_value=0, max_value=2**31 - 1)


class PlanAccess(ScopedMixin):
    model = RiskPoint


class PlanListView(PlanAccess, View):
    def get(self, request):
        context = {
            "plans": plans.plans_visible(request.user).select_related("unit")[:200],
            "can_upload": has_permission_anywhere(request.user, services.CHANGE),
        }
        return render(request, "risks/plan_list.html", context)


class PlanUploadView(ServiceFormView):
    model = RiskPoint
    permission_action = "change"
    form_class = PlanForm
    template_name = "risks/plan_form.html"
    success_message = _("已上传平面图，可在图上标注风险点。")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form):
        return plans.upload_plan(self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return reverse("risks:riskplan_detail", args=[self.result.pk])


def _plan(request, pk) -> RiskPlan:
    plan = plans.plans_visible(request.user).select_related("unit").filter(pk=pk).first()
    if plan is None:
        raise Http404
    return plan


class PlanDetailView(PlanAccess, View):
    def get(self, request, pk):
        plan = _plan(request, pk)
        school = home_unit(plan.unit)
        points = (
            RiskPoint.objects.restrict(request.user, "view")
            .filter(plan=plan, status=RiskStatus.ACTIVE)
            .order_by("name", "pk")
        )
        editable = (
            RiskPoint.objects.restrict(request.user, "change")
            .filter(unit__path__startswith=school.path, status=RiskStatus.ACTIVE)
            .order_by("name", "pk")[:500]
        )
        context = {
            "plan": plan,
            "points": [(p, GRADE_COLOURS.get(p.grade, "grey")) for p in points],
            "editable": editable,
            "legend": [(label, GRADE_COLOURS[value]) for value, label in RiskGrade.choices],
        }
        return render(request, "risks/plan_detail.html", context)


class PlanImageView(PlanAccess, View):
    def get(self, request, pk):
        plan = _plan(request, pk)
        return photo_response(plan, plan.image)


class PlacePointView(PlanAccess, View):
    http_method_names = ["post"]
    permission_action = "change"

    def post(self, request, pk):
        plan = _plan(request, pk)
        form = PlaceForm(request.POST)
        target = reverse("risks:riskplan_detail", args=[plan.pk])
        if not form.is_valid():
            messages.error(request, _("请在图上点选位置并选择风险点。"))
            return HttpResponseRedirect(target)
        data = form.cleaned_data
        try:
            plans.place_point(
                request.user,
                data["point"],
                plan=plan.pk,
                x=data["x"],
                y=data["y"],
                version=data["version"],
            )
        except ServiceError as error:
            from xiaoan.core.errors import Forbidden, NotFound

            if isinstance(error, NotFound):
                raise Http404 from None
            if isinstance(error, Forbidden):
                from django.core.exceptions import PermissionDenied

                raise PermissionDenied from None
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("已标注风险点位置。"))
        return HttpResponseRedirect(target)
