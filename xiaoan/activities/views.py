"""安全教育活动 pages: the ledger and its export, the phone record page (photos kept across a
refusal, a retried submission recorded once), an activity's page (photos, history) and its
edit page, the calendar, and who did and who did not (with its export)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from xiaoan.activities import calendar, exports, services
from xiaoan.activities.filtersets import ActivityFilterSet
from xiaoan.activities.forms import ActivityForm
from xiaoan.activities.models import Activity
from xiaoan.core import pending
from xiaoan.core.errors import Invalid, NotFound, ServiceError
from xiaoan.core.history import entries_for
from xiaoan.core.idempotency import request_fingerprint
from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.core.views import (
    ScopedListView,
    ScopedMixin,
    photo_response,
    raise_for_service_error,
)
from xiaoan.orgs.place_views import unit_choices


class ActivityMixin(ScopedMixin):
    model = Activity


class ActivityListView(ActivityMixin, ScopedListView):
    template_name = "activities/activity_list.html"
    filterset_class = ActivityFilterSet
    paginate_by = 30

    def get_queryset(self):
        return super().get_queryset().select_related("unit").order_by("-held_on", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        selected = None
        raw = self.request.GET.get("unit") or ""
        if raw.isdigit() and len(raw) < 18:
            selected = services.view_units(user).filter(pk=int(raw)).first()
        context.update(
            unit_options=unit_choices(user, services.VIEW, selected),
            selected_unit=selected,
            can_add=has_permission_anywhere(user, services.ADD),
            open_events=calendar.open_on(timezone.localdate()),
        )
        return context


class ActivityExportView(ActivityMixin, View):
    def get(self, request):
        queryset = Activity.objects.restrict(request.user)
        filterset = ActivityFilterSet(request.GET or None, queryset=queryset, request=request)
        if filterset.is_bound:
            if not filterset.is_valid():
                messages.error(request, _("筛选条件有误，未能导出。"))
                return HttpResponseRedirect(reverse("activities:activity_list"))
            queryset = filterset.qs
        return exports.ledger_response(queryset)


class RecordView(ActivityMixin, View):
    """The phone page: pick the event (preset by `?event=`), kind, date, classes, count,
    photos and a short summary. A refusal answers 400 with everything typed and the photos
    kept; a retry with the same key lands on the first record."""

    permission_action = "add"
    template_name = "activities/record.html"

    def _form(self, data=None, files=None):
        units = services.record_units(self.request.user).order_by("path")
        initial = {"held_on": timezone.localdate()}
        event = self.request.GET.get("event", "")
        if calendar.event(event):
            initial["event"] = event
            initial["kind"] = calendar.event(event).kinds[0]
        current = getattr(self.request, "current_unit", None)
        if current is not None and units.filter(pk=current.pk).exists():
            initial["unit"] = current.pk
        return ActivityForm(data, files, units=units, initial=initial)

    def _render(self, form, status=200, kept=()):
        context = {
            "form": form,
            "unit_count": form.fields["unit"].queryset.count(),
            "kept_photos": pending.previews(self.request.user, kept),
            "events": calendar.EVENTS,
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request):
        return self._render(self._form())

    def post(self, request):
        user = request.user
        form = self._form(request.POST, request.FILES)
        kept = pending.valid(user, request.POST.getlist("kept_photo"))
        if form.is_valid():
            data = form.cleaned_data
            try:
                activity = services.record(
                    user,
                    data["unit"],
                    event=data["event"],
                    kind=data["kind"],
                    title=data["title"],
                    held_on=data["held_on"],
                    classes=data["classes"],
                    participants=data["participants"],
                    summary=data["summary"],
                    photos=[*pending.take(user, kept), *data["photos"]],
                    idempotency_key=data["idempotency_key"],
                    fingerprint=request_fingerprint(request),
                )
            except ServiceError as error:
                raise_for_service_error(error, form)
            else:
                pending.discard(user, kept)
                if activity.replayed:
                    messages.info(request, _("这次活动已经登记过，未重复记录。"))
                else:
                    messages.success(request, _("已登记安全教育活动。"))
                return HttpResponseRedirect(
                    reverse("activities:activity_detail", args=[activity.pk])
                )
        # Refused: the photos just sent are kept too, so nobody takes them again.
        kept = [*kept, *pending.keep(user, request.FILES.getlist("photos"))]
        return self._render(form, status=400, kept=kept)


class ActivityDetailView(ActivityMixin, TemplateView):
    template_name = "activities/activity_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        activity = self.get_record(self.kwargs["pk"])
        user = self.request.user
        context.update(
            activity=activity,
            photos=list(activity.photos.all()),
            history=entries_for(activity),
            can_change=Activity.objects.restrict(user, "change").filter(pk=activity.pk).exists(),
        )
        return context


class ActivityEditView(ActivityMixin, View):
    permission_action = "change"
    template_name = "activities/activity_form.html"

    def _render(self, form, activity, status=200):
        return render(
            self.request,
            self.template_name,
            {"form": form, "activity": activity},
            status=status,
        )

    def get(self, request, pk):
        activity = self.get_record(pk, "change")
        initial = {name: getattr(activity, name) for name in services.FIELDS} | {
            "version": activity.version
        }
        return self._render(ActivityForm(initial=initial, editing=True), activity)

    def post(self, request, pk):
        activity = self.get_record(pk, "change")
        form = ActivityForm(request.POST, request.FILES, editing=True)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.update(
                    request.user,
                    activity.pk,
                    version=data.get("version"),
                    **{name: data[name] for name in services.FIELDS},
                )
                if data["photos"]:
                    services.add_photos(request.user, activity.pk, data["photos"])
            except ServiceError as error:
                raise_for_service_error(error, form)
            else:
                messages.success(request, _("已保存。"))
                return HttpResponseRedirect(
                    reverse("activities:activity_detail", args=[activity.pk])
                )
        return self._render(form, activity, status=400)


class PhotoView(ActivityMixin, View):
    def get(self, request, pk):
        photo = services.photo_for(request.user, pk)
        return photo_response(photo)


class CalendarView(ActivityMixin, TemplateView):
    template_name = "activities/calendar.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        rows = []
        for event in calendar.EVENTS:
            windows = event.windows(today.year)
            rows.append(
                {
                    "event": event,
                    "windows": windows,
                    "open": event.window_of(today),
                    "last": event.current_or_last(today),
                }
            )
        context.update(
            rows=rows,
            today=today,
            can_add=has_permission_anywhere(self.request.user, services.ADD),
        )
        return context


COVERAGE_PAGE = 50
STATES = {"done": gettext_lazy("已开展"), "missing": gettext_lazy("未开展")}


class CoverageView(ActivityMixin, TemplateView):
    """For an event's window: every school below the unit, done or not, with its activities;
    per branch and rolled up."""

    template_name = "activities/coverage.html"

    def get(self, request, *args, **kwargs):
        try:
            self.cover = services.coverage(
                request.user,
                request.GET.get("event") or _default_event(),
                request.GET.get("window"),
                request.GET.get("unit"),
            )
        except NotFound:
            raise Http404 from None
        except Invalid as error:
            messages.error(request, str(next(iter(error.fields.values()))[0]))
            return HttpResponseRedirect(reverse("activities:coverage"))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cover, user = self.cover, self.request.user
        state = self.request.GET.get("state", "")
        schools = services.schools_of(user, cover.root, cover.event, cover.window)
        if state == "done":
            schools = schools.filter(done=True)
        elif state == "missing":
            schools = schools.filter(done=False)
        page = Paginator(schools, COVERAGE_PAGE).get_page(self.request.GET.get("page"))
        acts = services.activities_by_school(page.object_list, cover.event, cover.window)
        query = self.request.GET.copy()
        query.pop("page", None)
        today = timezone.localdate()
        context.update(
            cover=cover,
            page_obj=page,
            is_paginated=page.has_other_pages(),
            paginator=page.paginator,
            rows=[(s, acts.get(s.pk, [])) for s in page.object_list],
            state=state,
            states=STATES,
            events=calendar.EVENTS,
            windows=[
                p
                for y in (today.year - 1, today.year)
                for p in cover.event.windows(y)
                if p.start <= today
            ][::-1],
            unit_options=unit_choices(user, services.VIEW, cover.root),
            query_string=query.urlencode(),
        )
        return context


def _default_event() -> str:
    """The event open today, else the one whose window began last."""
    today = timezone.localdate()
    return max(calendar.EVENTS, key=lambda e: e.current_or_last(today).start).code


class CoverageExportView(ActivityMixin, View):
    def get(self, request):
        try:
            cover = services.coverage(
                request.user,
                request.GET.get("event") or _default_event(),
                request.GET.get("window"),
                request.GET.get("unit"),
            )
        except NotFound:
            raise Http404 from None
        except Invalid as error:
            messages.error(request, str(next(iter(error.fields.values()))[0]))
            return HttpResponseRedirect(reverse("activities:coverage"))
        return exports.coverage_response(request.user, cover)
