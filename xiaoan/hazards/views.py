"""The hazard pages: ledger, record, 随手拍, my tasks, and the POST views of the workflow's
actions (declared in `xiaoan.hazards.workflow`).

Views only shape input and output: every rule lives in `xiaoan.hazards.services`."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, Count, Exists, F, IntegerField, Min, OuterRef, Q, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView, TemplateView

from xiaoan.core import pending
from xiaoan.core.idempotency import request_fingerprint
from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.core.views import (
    CurrentUnitFilterMixin,
    PartialListMixin,
    ScopedMixin,
    ServiceFormView,
    photo_response,
)
from xiaoan.core.workflow_pages import WorkflowActionView, action_panel
from xiaoan.hazards import criteria, forms, services, tally, todos
from xiaoan.hazards.choices import (
    AWAITING_ANSWER,
    OPEN_STATUSES,
    HazardLevel,
    HazardSource,
    HazardStatus,
)
from xiaoan.hazards.filtersets import HazardFilterSet
from xiaoan.hazards.models import Hazard, HazardPhoto, Supervision, allows
from xiaoan.hazards.workflow import HAZARD, open_first
from xiaoan.orgs.models import Place, Unit
from xiaoan.orgs.place_views import unit_choices

LIST_RELATED = (
    "unit",
    "owner",
    "owner_unit",
    "place__parent__parent__parent",
)


class HazardAccessMixin(ScopedMixin):
    """Hazard pages open to people who may view hazards somewhere, and to those who took part
    in one (reporters, owners, an invited expert whose inspection found it). Rows come only
    through `Hazard.objects.restrict`."""

    model = Hazard

    def has_access(self, user) -> bool:
        return services.may_act_somewhere(user, "view")


# ---------------------------------------------------------------- ledger


class HazardListView(PartialListMixin, CurrentUnitFilterMixin, HazardAccessMixin, ListView):
    template_name = "hazards/hazard_list.html"
    partial_template_name = "hazards/_hazard_results.html"
    partial_target = "hazard-results"
    paginate_by = 25

    def get_queryset(self):
        user = self.request.user
        self.base = Hazard.objects.restrict(user)
        self.filterset = HazardFilterSet(
            self.filter_data(), queryset=self.base, request=self.request
        )
        if self.filterset.is_valid():
            queryset = self.filterset.qs
            self.unit_pk = self.filterset.form.cleaned_data.get("unit")
        else:
            queryset = self.base.none()
            self.unit_pk = None
        if not self.filterset.data.get("ordering"):
            queryset = queryset.order_by("-found_at", "-pk")
        self.counts = None
        if self.filterset.is_valid():
            self.counts = tally.counts_for_query(user, self.filterset.data)
        if self.counts is None:
            # One aggregate for the counts by status; its total also feeds the paginator.
            self.counts = queryset.order_by().aggregate(
                total=Count("unit"),
                **{s: Count("unit", filter=Q(status=s)) for s in HazardStatus.values},
            )
        return queryset

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kw):
        paginator = super().get_paginator(queryset, per_page, orphans, allow_empty_first_page, **kw)
        paginator.count = self.counts["total"]  # no second COUNT query
        return paginator

    def paginate_queryset(self, queryset, page_size):
        """Pick the page's rows without joins (the sort then works on the bare table), and
        only then load those rows with everything they show."""
        paginator, page, rows, is_paginated = super().paginate_queryset(queryset, page_size)
        ids = list(rows.values_list("pk", flat=True))
        loaded = Hazard.objects.select_related(*LIST_RELATED).in_bulk(ids)
        page.object_list = [loaded[pk] for pk in ids if pk in loaded]
        return paginator, page, page.object_list, is_paginated

    def open_major(self, selected: Unit | None) -> dict[str, Any]:
        """动态清零: open major hazards of the chosen unit (whatever the other filters)."""
        scope = self.base
        if selected is not None:
            scope = scope.filter(unit__path__startswith=selected.path)
        elif self.unit_pk:
            scope = self.filterset.filter_unit(scope, "unit", self.unit_pk)
        majors = scope.filter(level=HazardLevel.MAJOR, status__in=OPEN_STATUSES)
        summary = majors.order_by().aggregate(count=Count("unit"), oldest=Min("found_at"))
        today = timezone.localdate()
        oldest = summary["oldest"]
        rows = []
        if summary["count"]:
            rows = list(majors.select_related("unit").order_by("found_at")[:5])
        return {
            "count": summary["count"],
            "oldest_days": (today - timezone.localtime(oldest).date()).days if oldest else None,
            "rows": rows,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        data = self.filterset.data
        selected = None
        if self.unit_pk:
            selected = Unit.objects.restrict(user).filter(pk=self.unit_pk).first()
        query = data.copy()
        query.pop("page", None)
        context["query_string"] = query.urlencode()
        status_links = []
        for value, label in HazardStatus.choices:
            link = data.copy()
            link.pop("page", None)
            link.setlist("status", [value])
            link.pop("open", None)
            status_links.append(
                {
                    "value": value,
                    "label": label,
                    "count": self.counts[value],
                    "url": "?" + link.urlencode(),
                    "active": data.getlist("status") == [value],
                }
            )
        everything = data.copy()
        everything.pop("status", None)
        everything.pop("open", None)
        majors = data.copy()
        for key in ("status", "open", "level", "page"):
            majors.pop(key, None)
        majors["level"], majors["open"] = HazardLevel.MAJOR, "true"
        today = timezone.localdate()
        for hazard in context["object_list"]:
            hazard.age = hazard.age_days(today)
            hazard.late_days = hazard.days_late(today)
        context.update(
            filterset=self.filterset,
            data=data,
            counts=self.counts,
            status_links=status_links,
            all_url="?" + everything.urlencode(),
            majors_url="?" + majors.urlencode(),
            major=self.open_major(selected),
            unit_options=unit_choices(user, "orgs.view_unit", selected),
            selected_unit=selected,
            selected_statuses=data.getlist("status"),
            level_choices=HazardLevel.choices,
            status_choices=HazardStatus.choices,
            domain_choices=self.filterset.form.fields["domain"].choices,
            source_choices=HazardSource.choices,
            ordering_choices=[
                ("-found_at", _("发现时间（新→旧）")),
                ("found_at", _("发现时间（旧→新）")),
                ("deadline", _("整改期限（近→远）")),
                ("-deadline", _("整改期限（远→近）")),
                ("-updated_at", _("最近更新")),
                ("-level", _("等级（重大在前）")),
            ],
            can_report=has_permission_anywhere(user, "hazards.add_hazard"),
            advanced_open=any(
                data.get(k)
                for k in (
                    "domain",
                    "source",
                    "overdue",
                    "supervised",
                    "recurring",
                    "missed",
                    "found_after",
                    "found_before",
                    "deadline_after",
                    "deadline_before",
                    "closed_after",
                    "closed_before",
                    "status",
                )
            ),
        )
        return context


# ---------------------------------------------------------------- record


RECORD_RELATED = (
    "unit",
    "place__parent__parent__parent",
    "finder",
    "owner",
    "owner_unit",
    "submitted_by",
    "closed_by",
    "recurrence_of",
)


def record_queryset(user):
    return Hazard.objects.restrict(user).select_related(*RECORD_RELATED)


def load_record(user, pk) -> Hazard:
    """One hazard for its page: fetched by key, then `allows` decides (the same rule as
    `restrict`, held to it by a test) without the scope's subqueries; else 404."""
    hazard = Hazard.objects.select_related(*RECORD_RELATED).filter(pk=pk).first()
    if hazard is None or not allows(user, hazard, "view"):
        raise Http404
    return hazard


def record_context(request, hazard: Hazard, bound: forms.HazardActionForm | None = None):
    """Everything the record page shows; `bound` is a submitted form to show with its errors."""
    extensions = list(
        hazard.extensions.select_related("requested_by", "decided_by").order_by("-created_at")
    )
    supervisions = list(
        hazard.supervisions.select_related(
            "supervising_unit", "listed_by", "accepted_by", "answered_by"
        ).order_by("listed_at", "pk")
    )
    actions = action_panel(request, HAZARD, hazard, bound)
    if bound is None:
        open_first(request.user, hazard, actions)
    photos = list(hazard.photos.select_related("uploaded_by").order_by("created_at", "pk"))
    by_event: dict[int, list[HazardPhoto]] = {}
    for photo in photos:
        by_event.setdefault(photo.event_id, []).append(photo)
    events = list(hazard.events.select_related("actor"))
    for event in events:
        event.photo_list = by_event.get(event.pk, [])
    suggestion = criteria.BY_CODE.get(hazard.criterion) if hazard.criterion else None
    today = timezone.localdate()
    from xiaoan.hazards.origins import origin_of

    return {
        "object": hazard,
        "hazard": hazard,
        "origin": origin_of(request.user, hazard),
        "actions": actions,
        "events": events,
        "photos": photos,
        "before_photos": [p for p in photos if p.kind == HazardPhoto.Kind.BEFORE],
        # Honest closure: what the photos' own facts contradict, for the verifier to weigh.
        "flagged_photos": [p for p in photos if p.flags],
        "supervisions": supervisions,
        "extensions": extensions,
        "suggestion": suggestion,
        "awaiting_supervision": services.awaiting_supervision(hazard),
        "answer_late": any(s.answer_late(today) for s in supervisions),
        "age": hazard.age_days(today),
        "late_days": hazard.days_late(today),
    }


class HazardDetailView(HazardAccessMixin, DetailView):
    template_name = "hazards/hazard_detail.html"

    def get_object(self, queryset=None):
        return load_record(self.request.user, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(record_context(self.request, self.object))
        return context


class HazardActionView(WorkflowActionView):
    """POST one declared action's form (xiaoan.hazards.workflow) for a hazard one sees."""

    workflow = HAZARD
    template_name = "hazards/hazard_detail.html"

    def get_queryset(self):
        return record_queryset(self.request.user)

    def record_context(self, obj: Hazard, bound: forms.HazardActionForm) -> dict[str, Any]:
        return record_context(self.request, obj, bound=bound)


class HazardPhotoView(HazardAccessMixin, View):
    """A photo, served only to those who may see its hazard."""

    def get(self, request, pk):
        photo = get_object_or_404(
            HazardPhoto.objects.filter(hazard__in=Hazard.objects.restrict(request.user)), pk=pk
        )
        return photo_response(photo)


# ---------------------------------------------------------------- 随手拍


class HazardReportView(ServiceFormView):
    template_name = "hazards/hazard_report.html"
    model = Hazard
    permission_action = "add"

    def units(self):
        units = services.reportable_units(self.request.user)
        current = self.request.current_unit
        if current is not None:
            narrowed = units.filter(path__startswith=current.path)
            if narrowed.exists():
                units = narrowed
        return units

    def chosen_unit(self, units, data=None) -> Unit | None:
        for raw in ((data or {}).get("unit"), self.request.GET.get("unit")):
            if raw and str(raw).isdigit():
                unit = units.filter(pk=int(raw)).first()
                if unit is not None:
                    return unit
        user = self.request.user
        for candidate in (self.request.current_unit, getattr(user, "unit", None)):
            if candidate is not None:
                unit = units.filter(pk=candidate.pk).first()
                if unit is not None:
                    return unit
        return units.order_by("depth", "path").first()

    def get_form(self, form_class=None) -> forms.ReportForm:
        data = self.request.POST if self.request.method == "POST" else None
        files = self.request.FILES if data is not None else None
        units = self.units()
        unit = self.chosen_unit(units, data)
        places = Place.objects.none()
        if unit is not None:
            places = (
                Place.objects.restrict(self.request.user)
                .filter(unit__path__startswith=services.home_unit(unit).path, is_active=True)
                .select_related("parent__parent__parent")
                .order_by("unit__path", "name")
            )
        return forms.ReportForm(
            data,
            files,
            units=units,
            places=places,
            initial={"unit": unit.pk if unit else None, "subject": self.request.GET.get("subject")},
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        context["unit_count"] = form.fields["unit"].queryset.count()
        context["has_places"] = form.fields["place"].queryset.exists()
        if form.is_bound:
            # Refused (no description, …): the photos sent stay with the form, shown again.
            user = self.request.user
            tokens = pending.valid(user, self.request.POST.getlist("kept_photo"))
            tokens += pending.keep(user, self.request.FILES.getlist(form["photos"].html_name))
            context["kept_photos"] = pending.previews(user, tokens)
        return context

    def perform(self, form):
        data, user = form.cleaned_data, self.request.user
        kept = pending.valid(user, self.request.POST.getlist("kept_photo"))
        hazard = services.report(
            user,
            data["unit"],
            description=data["description"],
            source=HazardSource.SNAPSHOT,
            place=data["place"],
            place_text=data["place_text"],
            photos=[*pending.take(user, kept), *data["photos"]],
            idempotency_key=data["idempotency_key"],
            fingerprint=request_fingerprint(self.request),
            subject=data["subject"],
        )
        pending.discard(user, kept)
        return hazard

    def get_success_message(self) -> str:
        return _("已上报隐患，编号 %(number)s。") % {"number": self.result.number}

    def get_success_url(self) -> str:
        return reverse("hazards:hazard_detail", args=[self.result.pk])


# ---------------------------------------------------------------- my tasks


class MyTasksView(HazardAccessMixin, TemplateView):
    template_name = "hazards/my_tasks.html"
    limit = 100

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        today = timezone.localdate()
        related = ("unit", "owner_unit", "place__parent__parent__parent")
        mine = (
            Hazard.objects.restrict(user)
            .filter(owner=user, status__in=OPEN_STATUSES)
            .annotate(
                waiting=Case(
                    When(status=HazardStatus.SUBMITTED, then=Value(1)),
                    default=Value(0),
                    output_field=IntegerField(),
                ),
                late=Case(
                    When(deadline__lt=today, then=Value(0)),
                    default=Value(1),
                    output_field=IntegerField(),
                ),
                # A 挂牌督办 still waiting for this side's answer (the row says so).
                answer_owed=Exists(
                    Supervision.objects.filter(
                        hazard=OuterRef("pk"),
                        answered_at__isnull=True,
                        hazard__status__in=AWAITING_ANSWER,
                    )
                ),
            )
            .select_related(*related)
            .order_by("waiting", "late", F("deadline").asc(nulls_last=True), "found_at")
        )
        verify = (
            todos.to_verify(user).select_related(*related, "submitted_by").order_by("updated_at")
        )
        accept = todos.to_accept(user).select_related(*related).order_by("updated_at")
        reports = (
            Hazard.objects.restrict(user)
            .filter(finder=user)
            .select_related(*related)
            .order_by("-found_at")
        )
        sections = []
        for key, title, queryset, empty, perm in (
            ("owned", _("我负责整改的隐患"), mine, _("没有待整改的隐患。"), "rectify"),
            ("verify", _("待我验收"), verify, _("没有待验收的隐患。"), "verify"),
            ("accept", _("待我认可销号（挂牌督办）"), accept, None, None),
            ("reports", _("我上报的隐患"), reports, _("您还没有上报过隐患。"), "add"),
        ):
            rows = list(queryset[: self.limit])
            # An empty list is shown only to those whose work it could ever hold.
            if not rows and not (perm and has_permission_anywhere(user, f"hazards.{perm}_hazard")):
                continue
            for hazard in rows:
                hazard.late_days = hazard.days_late(today)
                hazard.days_left = (
                    (hazard.deadline - today).days
                    if hazard.status in (HazardStatus.ASSIGNED, HazardStatus.RECTIFYING)
                    and hazard.deadline
                    and hazard.deadline >= today
                    else None
                )
            sections.append({"key": key, "title": title, "rows": rows, "empty": empty})
        context["sections"] = sections
        context["can_report"] = has_permission_anywhere(user, "hazards.add_hazard")
        return context
