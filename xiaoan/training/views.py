"""安全培训's own pages beyond the register layer's: the session page with its attendance
and QR code, the organiser's phone attendance page, an outsider added or one attendee taken
off, the attendance sheet (import and export), the QR code opened or closed, check-in by
scanning, coverage and a person's training record."""

from __future__ import annotations

import base64
import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from xiaoan.core.errors import Invalid, NotFound, ServiceError
from xiaoan.core.register_views import ItemInUseMixin, RegisterDetailView
from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.core.views import ScopedMixin, ServiceActionView, ServiceFormView
from xiaoan.orgs.models import Unit
from xiaoan.training import services
from xiaoan.training.choices import AttendanceMethod
from xiaoan.training.forms import CoverageForm, OutsiderForm, SheetForm
from xiaoan.training.models import TrainingSession
from xiaoan.training.registers import TRAININGS

HIDDEN_FIELDS = {"checkin_token"}


def qr_data_uri(text: str) -> str:
    """An SVG QR code as a data: URI (img-src allows data:; nothing fetched elsewhere)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def detail_url(pk: int) -> str:
    return reverse(TRAININGS.url_name("detail"), args=[pk])


class TrainingDetailView(RegisterDetailView):
    register = TRAININGS

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        item = context["item"]
        hidden = {str(TrainingSession._meta.get_field(n).verbose_name) for n in HIDDEN_FIELDS}
        context["fields"] = [(k, v) for k, v in context["fields"] if str(k) not in hidden]
        context["fields"].append(
            (_("覆盖单位"), "、".join(u.name for u in services.covered_units(item)))
        )
        context["attendees"] = list(services.attendance_of(item)[:500])
        pk = item.pk
        context["training_urls"] = {
            "attendance": reverse("training:attendance", args=[pk]),
            "sheet": reverse("training:attendance_sheet", args=[pk]),
            "export": reverse("training:attendance_export", args=[pk]),
            "outsider": reverse("training:outsider_add", args=[pk]),
            "open": reverse("training:checkin_open", args=[pk]),
            "close": reverse("training:checkin_close", args=[pk]),
        }
        if context["may_change"]:
            context["outsider_form"] = OutsiderForm()
            for row in context["attendees"]:
                row.remove_url = reverse("training:attendance_remove", args=[pk, row.pk])
            if item.checkin_token:
                url = self.request.build_absolute_uri(
                    reverse("training:checkin", args=[item.checkin_token])
                )
                context["checkin_url"] = url
                context["checkin_qr"] = qr_data_uri(url)
        return context


class SessionPageMixin(ItemInUseMixin):
    """A page acting on one session in use: 404 out of scope or retired, 403 when the
    person sees it but may not change it."""

    model = TrainingSession
    permission_action = "change"

    def get_success_url(self) -> str:
        return detail_url(self.record.pk)


class AttendancePageView(SessionPageMixin, ScopedMixin, View):
    """The organiser's phone page: everyone of the covered units with a checkbox (those
    recorded ticked), a search box, saved in one request. The ticked people become the
    session's list, so a retried submission changes nothing."""

    template_name = "training/attendance.html"

    def context(self, **extra: Any) -> dict:
        session = self.record
        people = list(services.people_of(session))
        present = set(
            session.attendances.filter(user__isnull=False).values_list("user_id", flat=True)
        )
        return {
            "record": session,
            "people": people,
            "present": present,
            "outsiders": session.attendances.filter(user__isnull=True).count(),
            "detail_url": detail_url(session.pk),
            **extra,
        }

    def get(self, request, pk):
        return render(request, self.template_name, self.context())

    def post(self, request, pk):
        try:
            result = services.mark(
                request.user,
                pk,
                users=request.POST.getlist("users"),
                method=AttendanceMethod.PHONE,
                replace=True,
            )
        except NotFound:
            raise Http404 from None
        except ServiceError as error:
            if error.status == 403:
                raise PermissionDenied from None
            return render(
                request, self.template_name, self.context(error=str(error.message)), status=400
            )
        messages.success(
            request,
            _("已保存：参训 %(n)d 人（新增 %(a)d，移除 %(r)d）。")
            % {"n": result.total, "a": result.added, "r": result.removed},
        )
        return HttpResponseRedirect(detail_url(pk))


class OutsiderAddView(SessionPageMixin, ServiceFormView):
    form_class = OutsiderForm
    template_name = "training/outsider_form.html"
    success_message = _("已登记外来参训人员。")

    def perform(self, form):
        return services.mark(
            self.request.user, self.record.pk, outsiders=[form.cleaned_data], method="phone"
        )


class AttendanceRemoveView(ServiceActionView):
    model = TrainingSession
    permission_action = "change"
    success_message = _("已移除。")

    def perform(self):
        return services.unmark(self.request.user, self.kwargs["pk"], self.kwargs["row"])

    def get_success_url(self):
        return detail_url(self.kwargs["pk"])


class SheetImportView(SessionPageMixin, ServiceFormView):
    form_class = SheetForm
    template_name = "training/sheet.html"

    def perform(self, form):
        return services.import_sheet(
            self.request.user,
            self.record.pk,
            form.cleaned_data["file"],
            dry_run=form.cleaned_data["dry_run"],
        )

    def form_valid(self, form):
        try:
            self.result = self.perform(form)
        except ServiceError as error:
            from xiaoan.core.views import raise_for_service_error

            raise_for_service_error(error, form)
            return self.form_invalid(form)
        if not self.result.ok or self.result.dry_run:
            context = self.get_context_data(form=form, result=self.result)
            status = 200 if self.result.ok else 400
            return self.render_to_response(context, status=status)
        messages.success(
            self.request,
            _("已导入 %(n)d 行，新增参训 %(a)d 人。")
            % {"n": self.result.rows, "a": self.result.added},
        )
        return HttpResponseRedirect(self.get_success_url())


class AttendanceExportView(ScopedMixin, View):
    model = TrainingSession

    def get(self, request, pk):
        session = self.get_record(pk)
        return services.attendance_response(session)


class CheckinOpenView(ServiceActionView):
    model = TrainingSession
    permission_action = "change"
    success_message = _("已生成新的签到二维码，之前的二维码已失效。")

    def perform(self):
        return services.open_checkin(self.request.user, self.kwargs["pk"])

    def get_success_url(self):
        return detail_url(self.kwargs["pk"]) + "#checkin"


class CheckinCloseView(CheckinOpenView):
    success_message = _("已关闭扫码签到。")

    def perform(self):
        return services.close_checkin(self.request.user, self.kwargs["pk"])


class CheckinView(LoginRequiredMixin, View):
    """Where the QR code leads: the logged-in person confirms and is recorded."""

    template_name = "training/checkin.html"

    def get(self, request, token):
        session = services.session_for_token(token)
        done = session.attendances.filter(user_id=request.user.pk).exists()
        return render(request, self.template_name, {"session": session, "done": done})

    def post(self, request, token):
        try:
            session, recorded = services.check_in(request.user, token)
        except NotFound:
            raise Http404 from None
        except ServiceError as error:
            session = TrainingSession.objects.filter(checkin_token=token).first()
            return render(
                request,
                self.template_name,
                {"session": session, "error": str(error.message)},
                status=error.status,
            )
        return render(
            request,
            self.template_name,
            {"session": session, "done": True, "recorded": recorded},
        )


class CoverageView(LoginRequiredMixin, TemplateView):
    """Per unit under the chosen one, how many of the people aimed at were trained in the
    period, and the untrained of the whole; `unit` in the query drills down."""

    template_name = "training/coverage.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not has_permission_anywhere(
            request.user, services.VIEW_PERM
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def root(self) -> Unit:
        from xiaoan.core.ids import record_id

        units = services.visible_units(self.request.user)
        raw = self.request.GET.get("unit")
        if raw:
            unit = units.filter(pk=record_id(raw)).first()
            if unit is None:
                raise Http404
            return unit
        current = self.request.current_unit
        if current is not None and units.filter(pk=current.pk).exists():
            return current
        unit = units.order_by("depth", "path").first()
        if unit is None:
            raise Http404
        return unit

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = CoverageForm(self.request.GET or None)
        today = timezone.localdate()
        params = {"role": "", "kind": "", "start": None, "end": None}
        if form.is_bound and form.is_valid():
            params.update({k: form.cleaned_data.get(k) or params[k] for k in params})
        root = self.root()
        try:
            result = services.coverage(self.request.user, root, **params)
        except NotFound:
            raise Http404 from None
        except Invalid:
            result = services.coverage(self.request.user, root)
        query = self.request.GET.copy()
        query.pop("unit", None)
        for row in result.rows:
            row.drill = (
                f"?{query.urlencode()}&unit={row.unit.pk}" if query else f"?unit={row.unit.pk}"
            )
        parent = Unit.objects.get_parent(root) if root.depth > 1 else None
        if (
            parent is not None
            and services.visible_units(self.request.user).filter(pk=parent.pk).exists()
        ):
            context["up_url"] = f"?{query.urlencode()}&unit={parent.pk}"
        context.update(form=form, result=result, root=root, today=today)
        return context


class PersonRecordView(LoginRequiredMixin, TemplateView):
    """A person's training record: one's own, or someone of a unit where one may see the
    sessions (404 for anyone else)."""

    template_name = "training/person.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = services.person_in_scope(self.request.user, kwargs["pk"])
        rows = list(services.record_of(person))
        context.update(
            person=person,
            rows=rows,
            hours=sum((r.session.hours for r in rows), 0),
        )
        return context


class MyRecordView(LoginRequiredMixin, View):
    def get(self, request):
        return HttpResponseRedirect(reverse("training:person", args=[request.user.pk]))
