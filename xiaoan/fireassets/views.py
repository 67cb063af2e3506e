"""The phone page of the monthly check (月检): pick a place, tick each asset there 正常 or
mark it 异常 with a reason (and a photo), submit once. A refused submission comes back with
every tick and reason as typed and every photo kept (400; xiaoan.core.pending); a retry of
the same submission (same idempotency key) lands on the first batch instead of recording
twice."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from xiaoan.core import pending
from xiaoan.core.errors import Forbidden, NotFound, ServiceError
from xiaoan.core.idempotency import request_fingerprint
from xiaoan.core.views import RecordPhotoView, ScopedMixin, raise_for_service_error
from xiaoan.fireassets import services
from xiaoan.fireassets.choices import AssetKind, CheckResult
from xiaoan.fireassets.models import FireAssetCheck, FireCheckBatch, month_start
from xiaoan.orgs.models import Place

KIND_ORDER = {kind: n for n, kind in enumerate(AssetKind.values)}


def _in_place(place_id: int) -> Q:
    return (
        Q(place_id=place_id) | Q(place__parent_id=place_id) | Q(place__parent__parent_id=place_id)
    )


class CheckView(ScopedMixin, View):
    """GET without a place: the places holding assets the person may check, with how many
    are unchecked this month. GET with `?place=`: the check form. POST: record it."""

    model = FireAssetCheck
    permission_action = "add"
    template_name = "fireassets/check.html"

    def get(self, request):
        place = self._place(request.GET.get("place"))
        if place is None:
            return render(request, "fireassets/check_places.html", self._places())
        return self._form(request, place, {}, status=200)

    def post(self, request):
        place = self._place(request.POST.get("place"))
        if place is None:
            raise Http404
        user = request.user
        rows, values = [], {}
        kept: dict[int, str] = {}  # asset → the token of its photo kept from a refused try
        for raw in request.POST.getlist("asset")[: services.MAX_ROWS + 1]:
            if not raw.isdigit() or len(raw) > 18:
                continue
            result = request.POST.get(f"result-{raw}", "")
            note = request.POST.get(f"note-{raw}", "")
            values[int(raw)] = {"result": result, "note": note}
            photo, kept[int(raw)] = pending.sent_or_kept(
                request, f"photo-{raw}", f"kept-photo-{raw}"
            )
            if result:
                rows.append(services.CheckRow(asset=raw, result=result, note=note, photo=photo))
        try:
            batch = services.record_checks(
                request.user,
                rows,
                place=place,
                idempotency_key=request.POST.get("idempotency_key"),
                fingerprint=request_fingerprint(request),
            )
        except (NotFound, Forbidden) as error:
            raise_for_service_error(error)
        except ServiceError as error:
            errors = {
                int(k.split("-", 1)[1]): texts
                for k, texts in (error.fields or {}).items()
                if k.startswith("asset-") and k.split("-", 1)[1].isdigit()
            }
            # Nothing photographed is lost: each row's photo (new or kept) comes back with it.
            for pk, value in values.items():
                value["photo"] = pending.shown_again(request, f"photo-{pk}", kept.get(pk, ""))
            return self._form(
                request,
                place,
                values,
                status=400,
                message=str(error.message),
                errors=errors,
                key=request.POST.get("idempotency_key", ""),
            )
        pending.discard(user, [t for t in kept.values() if t])
        if getattr(batch, "replayed", False):
            messages.info(request, _("这次检查已经提交过，未重复记录。"))
        else:
            failed = sum(1 for r in rows if r.result == CheckResult.FAILED)
            messages.success(
                request,
                _("已记录 %(n)d 件器材的月检，其中异常 %(f)d 件。") % {"n": len(rows), "f": failed},
            )
        return HttpResponseRedirect(reverse("fireassets:check_batch", args=[batch.pk]))

    def _place(self, raw: Any):
        if not raw or not str(raw).isdigit() or len(str(raw)) > 18:
            return None
        place = Place.objects.select_related("unit", "parent__parent").filter(pk=int(raw)).first()
        if (
            place is None
            or not services.checkable(self.request.user).filter(_in_place(place.pk)).exists()
        ):
            raise Http404
        return place

    def _places(self) -> dict:
        month = month_start()
        rows = (
            services.checkable(self.request.user)
            .filter(place__isnull=False)
            .values("place_id")
            .annotate(
                total=Count("pk"),
                unchecked=Count(
                    "pk", filter=Q(last_checked_on__isnull=True) | Q(last_checked_on__lt=month)
                ),
            )
            .order_by()
        )
        counts = {r["place_id"]: r for r in rows}
        places = (
            Place.objects.filter(pk__in=counts)
            .select_related("unit", "parent__parent")
            .order_by("unit__path", "name")
        )
        return {
            "places": [(p, counts[p.pk]["total"], counts[p.pk]["unchecked"]) for p in places],
        }

    def _form(self, request, place, values, *, status, message="", errors=None, key=""):
        assets = list(
            services.checkable(request.user)
            .filter(_in_place(place.pk))
            .select_related("place")
            .order_by("code", "name", "pk")
        )
        # Extinguishers first (the row being checked), then hydrants, detectors, stations.
        assets.sort(key=lambda a: KIND_ORDER.get(a.kind, 9))
        errors = errors or {}
        rows = []
        for asset in assets:
            given = values.get(asset.pk, {})
            rows.append(
                {
                    "asset": asset,
                    "key": str(asset.pk),  # the suffix of its fields' names
                    "result": given.get("result", ""),
                    "note": given.get("note", ""),
                    "photo": given.get("photo"),  # kept from the refused try: {token, src}
                    "errors": errors.get(asset.pk, []),
                }
            )
        context = {
            "place": place,
            "rows": rows,
            "message": message,
            "idempotency_key": key or uuid.uuid4().hex,
            "month": month_start(),
            "results": CheckResult.choices,
        }
        return render(request, self.template_name, context, status=status)


def visible_batches(user: Any):
    return FireCheckBatch.objects.with_permission(user, services.VIEW_CHECK_PERM)


class BatchView(ScopedMixin, TemplateView):
    """What one submission recorded: each asset's result and the hazards raised."""

    model = FireAssetCheck
    template_name = "fireassets/check_batch.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        batch = (
            visible_batches(self.request.user)
            .select_related("place", "unit", "checker")
            .filter(pk=self.kwargs["pk"])
            .first()
        )
        if batch is None:
            raise Http404
        context["batch"] = batch
        checks = batch.checks.select_related("asset", "hazard").order_by("asset__code", "pk")
        context["checks"] = sorted(checks, key=lambda c: KIND_ORDER.get(c.asset.kind, 9))
        return context


class CheckPhotoView(RecordPhotoView):
    model = FireAssetCheck
