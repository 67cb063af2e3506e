"""The phone page of the daily pre-trip check (出车前安全检查): pick a bus, tick each item
正常 or 异常, write what is wrong (and take a photo), submit once. A refused submission comes
back with every tick and the note as typed and the photo kept (400; xiaoan.core.pending); a
retry of the same submission (same idempotency key) lands on the first check instead of
recording twice."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from xiaoan.buses import services
from xiaoan.buses.choices import CHECK_ITEMS, CheckResult
from xiaoan.buses.models import BusCheck
from xiaoan.core import pending
from xiaoan.core.errors import Forbidden, NotFound, ServiceError
from xiaoan.core.idempotency import request_fingerprint
from xiaoan.core.views import RecordPhotoView, ScopedMixin, raise_for_service_error


class CheckView(ScopedMixin, View):
    """GET without a bus: the buses the person may check, today's first. GET with `?bus=`:
    the checklist. POST: record it."""

    model = BusCheck
    permission_action = "add"
    template_name = "buses/check.html"

    def get(self, request):
        bus = self._bus(request.GET.get("bus"))
        if bus is None:
            buses = list(
                services.checkable(request.user)
                .select_related("unit")
                .order_by("unit__path", "plate", "pk")
            )
            buses.sort(key=lambda b: b.checked_today)  # not yet checked today first
            unchecked = sum(1 for b in buses if not b.checked_today)
            return render(
                request, "buses/check_buses.html", {"buses": buses, "unchecked": unchecked}
            )
        return self._form(request, bus, {}, status=200)

    def post(self, request):
        bus = self._bus(request.POST.get("bus"))
        if bus is None:
            raise Http404
        user = request.user
        results = {key: request.POST.get(f"item-{key}", "") for key, _label in CHECK_ITEMS}
        note = request.POST.get("note", "")
        photo, kept = pending.sent_or_kept(request, "photo", "kept-photo")
        try:
            check = services.record_check(
                user,
                bus.pk,
                results,
                note=note,
                photo=photo,
                idempotency_key=request.POST.get("idempotency_key"),
                fingerprint=request_fingerprint(request),
            )
        except (NotFound, Forbidden) as error:
            raise_for_service_error(error)
        except ServiceError as error:
            # Nothing photographed is lost: the photo (new or kept) comes back.
            values = {
                "results": results,
                "note": note,
                "photo": pending.shown_again(request, "photo", kept),
            }
            return self._form(
                request,
                bus,
                values,
                status=400,
                message=str(error.message),
                errors=error.fields or {},
                key=request.POST.get("idempotency_key", ""),
            )
        if kept:
            pending.discard(user, [kept])
        if getattr(check, "replayed", False):
            messages.info(request, _("这次检查已经提交过，未重复记录。"))
        elif check.result == CheckResult.FAILED:
            messages.warning(request, _("已记录出车前检查：有异常项，已登记隐患，整改前不得出车。"))
        else:
            messages.success(request, _("已记录出车前检查：全部正常。"))
        return HttpResponseRedirect(reverse("buses:check_done", args=[check.pk]))

    def _bus(self, raw: Any):
        if not raw or not str(raw).isdigit() or len(str(raw)) > 18:
            return None
        bus = services.checkable(self.request.user).select_related("unit").filter(pk=int(raw))
        found = bus.first()
        if found is None:
            raise Http404
        return found

    def _form(self, request, bus, values, *, status, message="", errors=None, key=""):
        errors = errors or {}
        given = values.get("results", {})
        rows = [
            {
                "key": key_,
                "label": label,
                "result": given.get(key_, ""),
                "errors": errors.get(f"item-{key_}", []),
            }
            for key_, label in CHECK_ITEMS
        ]
        context = {
            "bus": bus,
            "rows": rows,
            "note": values.get("note", ""),
            "note_errors": errors.get("note", []),
            "photo": values.get("photo"),
            "photo_errors": errors.get("photo", []),
            "message": message,
            "idempotency_key": key or uuid.uuid4().hex,
            "results": CheckResult.choices,
            "today": timezone.localdate(),
        }
        return render(request, self.template_name, context, status=status)


class CheckDoneView(ScopedMixin, TemplateView):
    """What one check recorded: each item's result, the note, the photo, the hazard."""

    model = BusCheck
    template_name = "buses/check_done.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        check = (
            BusCheck.objects.with_permission(self.request.user, services.VIEW_CHECK_PERM)
            .select_related("bus", "unit", "checker", "hazard")
            .filter(pk=self.kwargs["pk"])
            .first()
        )
        if check is None:
            raise Http404
        context["check"] = check
        context["items"] = [
            (label, check.items.get(key) == CheckResult.FAILED) for key, label in CHECK_ITEMS
        ]
        return context


class CheckPhotoView(RecordPhotoView):
    model = BusCheck
