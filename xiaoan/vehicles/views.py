"""校园车辆管理's own pages beyond the register layer's: the gate's violation page (find by
plate, tap the kind: saved), lifting a blacklisting, and a school's blacklist rule."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from xiaoan.core.errors import Conflict, Forbidden, NotFound, ServiceError
from xiaoan.core.ids import record_id
from xiaoan.core.register_views import RegisterMixin
from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.core.views import ScopedMixin, ServiceFormView, raise_for_service_error
from xiaoan.vehicles import services
from xiaoan.vehicles.choices import ViolationKind
from xiaoan.vehicles.forms import LiftForm, RuleForm
from xiaoan.vehicles.models import (
    DEFAULT_THRESHOLD,
    DEFAULT_WINDOW_DAYS,
    BlacklistRule,
    CampusVehicle,
    Violation,
)
from xiaoan.vehicles.registers import CAMPUS_VEHICLES


class GateView(ScopedMixin, View):
    """GET `?plate=`: the vehicles whose plate holds it (one exact match is shown at once);
    GET `?vehicle=`: that vehicle with a button per kind; POST: record it."""

    model = Violation
    permission_action = "add"
    template_name = "vehicles/gate.html"

    def get(self, request):
        return self._page(request, vehicle=self._vehicle(request.GET.get("vehicle")))

    def post(self, request):
        vehicle = self._vehicle(request.POST.get("vehicle"))
        if vehicle is None:
            raise Http404
        try:
            violation = services.record_violation(
                request.user,
                vehicle.pk,
                kind=request.POST.get("kind", ""),
                note=request.POST.get("note", ""),
            )
        except (NotFound, Forbidden) as error:
            raise_for_service_error(error)
        except ServiceError as error:
            texts = [str(error.message)] + [t for v in (error.fields or {}).values() for t in v]
            return self._page(
                request,
                vehicle=vehicle,
                status=409 if isinstance(error, Conflict) else 400,
                errors=texts,
                note=request.POST.get("note", ""),
            )
        text = _("已登记 %(plate)s：%(kind)s。") % {
            "plate": vehicle.name,
            "kind": violation.get_kind_display(),
        }
        if violation.blacklisted:
            messages.warning(request, text + _("该车辆已在黑名单中，禁止通行。"))
        else:
            messages.success(request, text)
        return HttpResponseRedirect(reverse("campus_vehicles:gate"))

    def _vehicle(self, raw: Any):
        if raw in (None, ""):
            return None
        pk = record_id(raw)
        vehicle = (
            CampusVehicle.objects.with_permission(self.request.user, services.RECORD_PERM)
            .select_related("unit")
            .filter(pk=pk)
            .first()
        )
        if vehicle is None:
            raise Http404
        return vehicle

    def _page(self, request, *, vehicle=None, status=200, errors=(), note=""):
        plate = (request.GET.get("plate") or "").strip()[:30]
        found = services.find_by_plate(request.user, plate) if plate and vehicle is None else []
        if len(found) == 1:
            vehicle = found[0]
        recent = []
        if vehicle is not None:
            recent = list(Violation.objects.filter(vehicle=vehicle).order_by("-occurred_on")[:5])
        context = {
            "plate": plate,
            "found": found,
            "vehicle": vehicle,
            "recent": recent,
            "kinds": ViolationKind.choices,
            "errors": errors,
            "note": note,
        }
        return render(request, self.template_name, context, status=status)


class LiftView(RegisterMixin, ServiceFormView):
    register = CAMPUS_VEHICLES
    page = "lift"
    form_class = LiftForm
    success_message = gettext_lazy("已解除黑名单，恢复按通行权限通行。")
    redirect_on = (Conflict,)

    def has_access(self, user) -> bool:
        return has_permission_anywhere(user, services.LIFT_PERM)

    record_action = "view"

    def perform(self, form):
        return services.lift_blacklist(
            self.request.user, self.record.pk, reason=form.cleaned_data["reason"]
        )

    def get_refused_url(self) -> str:
        return self.get_success_url()

    def get_success_url(self):
        return reverse("campus_vehicles:campusvehicle_detail", args=[self.record.pk])


class RuleView(RegisterMixin, ServiceFormView):
    """The blacklist rule of each school the person may set (others: the default)."""

    register = CAMPUS_VEHICLES
    page = "rule"
    form_class = RuleForm
    success_message = gettext_lazy("已保存黑名单规则。")

    def has_access(self, user) -> bool:
        return has_permission_anywhere(user, services.LIFT_PERM)

    def units(self):
        return services.rule_units(self.request.user).order_by("path")[:500]

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["units"] = self.units()
        return kwargs

    def get_initial(self):
        return {"threshold": DEFAULT_THRESHOLD, "window_days": DEFAULT_WINDOW_DAYS}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rules"] = (
            BlacklistRule.objects.with_permission(self.request.user, services.LIFT_PERM)
            .select_related("unit", "updated_by")
            .order_by("unit__path")
        )
        context["default"] = {"threshold": DEFAULT_THRESHOLD, "window_days": DEFAULT_WINDOW_DAYS}
        return context

    def perform(self, form):
        data = form.cleaned_data
        return services.set_rule(
            self.request.user,
            data["unit"],
            threshold=data["threshold"],
            window_days=data["window_days"],
        )

    def get_success_url(self):
        return reverse("campus_vehicles:rule")
