"""The hot-work pages: the list, the request form, the permit's page with its steps, the
photos, and the supervisor's phone page (permits to start and to finish)."""

from __future__ import annotations

from typing import Any

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View

from xiaoan.core.views import ScopedListView, ScopedMixin, ServiceFormView, photo_response
from xiaoan.core.workflow_pages import WorkflowActionView, action_panel
from xiaoan.hotwork import services
from xiaoan.hotwork.api.views import PermitFilter
from xiaoan.hotwork.choices import PermitStatus
from xiaoan.hotwork.forms import RequestForm
from xiaoan.hotwork.models import HotWorkPermit
from xiaoan.hotwork.workflow import PERMIT

DETAIL = "hotwork/permit_detail.html"
TO_DO = (PermitStatus.APPROVED, PermitStatus.WORKING)


def permit_context(request, permit: HotWorkPermit, bound=None) -> dict[str, Any]:
    now = timezone.now()
    events = services.events_of(permit)
    for event in events:
        event.photo_urls = [
            reverse("hotwork:hotworkpermit_photo", args=[permit.pk, p.pk])
            for p in event.photos.all()
        ]
    return {
        "permit": permit,
        "object": permit,
        "actions": action_panel(request, PERMIT, permit, bound),
        "events": events,
        "in_window": permit.status in TO_DO and permit.in_window(),
        # An approved permit out of its window cannot be started: say so above the form.
        "too_early": permit.status == PermitStatus.APPROVED and now < permit.starts_at,
        "too_late": permit.status == PermitStatus.APPROVED and now > permit.ends_at,
    }


class PermitListView(ScopedListView):
    model = HotWorkPermit
    filterset_class = PermitFilter
    template_name = "hotwork/permit_list.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("unit", "operator", "supervisor")
            .order_by("-starts_at", "-id")
        )

    def get_context_data(self, **kwargs):
        from xiaoan.core.scoping import has_permission_anywhere

        context = super().get_context_data(**kwargs)
        context["can_request"] = has_permission_anywhere(self.request.user, services.ADD)
        context["statuses"] = PermitStatus.choices
        return context


class PermitCreateView(ServiceFormView):
    model = HotWorkPermit
    permission_action = "add"
    form_class = RequestForm
    template_name = "hotwork/permit_form.html"
    success_message = _("已提交动火申请，等待审批。")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        unit = self.request.POST.get("unit") or self.request.GET.get("unit")
        if not unit and self.request.current_unit is not None:
            unit = self.request.current_unit.pk
        kwargs.update(user=self.request.user, unit_id=unit)
        return kwargs

    def get_initial(self):
        initial = super().get_initial()
        unit = self.request.GET.get("unit") or getattr(self.request.current_unit, "pk", None)
        if unit:
            initial["unit"] = unit
        return initial

    def perform(self, form):
        return services.request_permit(self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return reverse("hotwork:hotworkpermit_detail", args=[self.result.pk])


class PermitDetailView(ScopedMixin, View):
    model = HotWorkPermit

    def get(self, request, pk):
        permit = services.load(request.user, pk)
        return render(request, DETAIL, permit_context(request, permit))


class PermitActionView(WorkflowActionView):
    workflow = PERMIT
    template_name = DETAIL

    def record_context(self, obj, bound):
        return permit_context(self.request, services.load(self.request.user, obj.pk), bound)


class PermitPhotoView(ScopedMixin, View):
    model = HotWorkPermit

    def get(self, request, pk, photo_pk):
        return photo_response(services.load_photo(request.user, pk, photo_pk))


class MyPermitsView(ScopedMixin, View):
    """The supervisor's phone page: permits to start (approved) and to finish (working)."""

    model = HotWorkPermit
    permission_action = "supervise"

    def get(self, request):
        rows = (
            HotWorkPermit.objects.restrict(request.user, "view")
            .filter(
                supervisor=request.user, status__in=[PermitStatus.APPROVED, PermitStatus.WORKING]
            )
            .select_related("unit", "operator")
            .order_by("starts_at", "id")
        )
        return render(request, "hotwork/my_permits.html", {"rows": list(rows[:100])})
