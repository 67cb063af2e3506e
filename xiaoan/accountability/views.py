"""The accountability pages: the decisions, the draft form, a decision's page (its list with
the figures of the day, the meeting, the commitments and its steps), the evidence to pick
from, and a commitment's page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from xiaoan.accountability import exports, services
from xiaoan.accountability.choices import DecisionKind, DecisionStatus
from xiaoan.accountability.forms import DecisionEditForm, DecisionForm, EvidenceForm
from xiaoan.accountability.models import Commitment, Decision
from xiaoan.accountability.workflow import COMMITMENT, DECISION
from xiaoan.core.errors import Conflict
from xiaoan.core.pdf import PdfUnavailable
from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.core.views import ScopedListView, ScopedMixin, ServiceFormView
from xiaoan.core.workflow_pages import WorkflowActionView, action_panel

DETAIL = "accountability/decision_detail.html"
COMMITMENT_DETAIL = "accountability/commitment_detail.html"


def decision_context(request, decision: Decision, bound=None) -> dict[str, Any]:
    user = request.user
    allowed = DECISION.allowed_actions(user, decision)
    names = {a.name for a in allowed}
    entries = services.entries_of(user, decision)
    return {
        "decision": decision,
        "object": decision,
        "actions": action_panel(
            request,
            DECISION,
            decision,
            bound,
            allowed=[a for a in allowed if a.name != "remove_entry"],
        ),
        "can_edit": "edit" in names,
        "can_remove": "remove_entry" in names,
        "can_add_entry": "add_entry" in names,
        "entries": entries,
        "commitments": services.commitments_of(user, decision),
        "events": services.events_of(user, decision),
    }


class DecisionListView(ScopedListView):
    model = Decision
    template_name = "accountability/decision_list.html"

    def get_queryset(self):
        queryset = super().get_queryset().select_related("unit").order_by("-decided_on", "-id")
        kind = self.request.GET.get("kind")
        if kind in DecisionKind.values:
            queryset = queryset.filter(kind=kind)
        status = self.request.GET.get("status")
        if status in DecisionStatus.values:
            queryset = queryset.filter(status=status)
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_add"] = has_permission_anywhere(self.request.user, services.ADD)
        context["kinds"] = DecisionKind.choices
        context["statuses"] = DecisionStatus.choices
        return context


class DecisionCreateView(ServiceFormView):
    model = Decision
    permission_action = "add"
    form_class = DecisionForm
    template_name = "accountability/decision_form.html"
    success_message = gettext_lazy("已起草决定，请列入名单单位。")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        initial = super().get_initial()
        kind = self.request.GET.get("kind")
        if kind in DecisionKind.values:
            initial["kind"] = kind
        return initial

    def perform(self, form):
        return services.create(self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return reverse("accountability:decision_detail", args=[self.result.pk])


class DecisionDetailView(ScopedMixin, View):
    model = Decision

    def get(self, request, pk):
        decision = services.load(request.user, pk)
        return render(request, DETAIL, decision_context(request, decision))


class DecisionEditView(ServiceFormView):
    """A draft's kind, title, date and basis; once issued the draft is gone (409 → the
    decision's page with the reason)."""

    model = Decision
    permission_action = "change"
    form_class = DecisionEditForm
    template_name = "accountability/decision_edit.html"
    success_message = gettext_lazy("草稿已保存。")
    redirect_on = (Conflict,)

    record_action = "change"

    def get(self, request, *args, **kwargs):
        if self.record.status != DecisionStatus.DRAFT:
            messages.error(request, _("决定已印发或已撤销，不能再修改。"))
            return HttpResponseRedirect(self.get_success_url())
        return super().get(request, *args, **kwargs)

    def get_initial(self):
        d = self.record
        return {
            "version": d.version,
            "kind": d.kind,
            "title": d.title,
            "decided_on": d.decided_on,
            "basis": d.basis,
        }

    def perform(self, form):
        return services.edit(self.request.user, self.record.pk, **form.cleaned_data)

    def get_refused_url(self):
        return self.get_success_url()

    def get_success_url(self):
        return reverse("accountability:decision_detail", args=[self.record.pk])


class DecisionFileView(ScopedMixin, View):
    """The decision as .xlsx, .docx or PDF: whoever may view it, with only what they see."""

    model = Decision
    ext = "xlsx"

    def get(self, request, pk):
        decision = services.load(request.user, pk)
        if self.ext == "xlsx":
            return exports.xlsx_response(request.user, decision)
        try:
            return exports.document_response(request.user, decision, self.ext)
        except PdfUnavailable as error:
            messages.error(request, str(error.message))
            return HttpResponseRedirect(reverse("accountability:decision_detail", args=[pk]))


class DecisionActionView(WorkflowActionView):
    workflow = DECISION
    template_name = DETAIL

    def record_context(self, obj, bound):
        return decision_context(self.request, services.load(self.request.user, obj.pk), bound)


class EvidenceView(ScopedMixin, View):
    """The units below an authority with their figures and score, to pick from."""

    model = Decision
    permission_action = "add"

    def get(self, request):
        units = list(services.authority_units(request.user).order_by("path"))
        form = EvidenceForm(request.GET or None)
        kind = request.GET.get("kind") or DecisionKind.INTERVIEW
        rank = request.GET.get("rank") or "children"
        if kind not in DecisionKind.values or rank not in services.RANKS:
            form.is_valid()
            return render(
                request,
                "accountability/evidence.html",
                {"form": form, "units": units, "board": None},
                status=400,
            )
        unit_id = request.GET.get("unit") or (units[0].pk if units else None)
        board = None
        if unit_id is not None:
            board = services.evidence(request.user, unit_id, kind=kind, rank=rank)
        context = {"form": form, "units": units, "board": board, "kind": kind, "rank": rank}
        return render(request, "accountability/evidence.html", context)


def commitment_context(request, commitment: Commitment, bound=None) -> dict[str, Any]:
    return {
        "commitment": commitment,
        "object": commitment,
        "actions": action_panel(request, COMMITMENT, commitment, bound),
        "events": commitment.events.select_related("actor").order_by("created_at", "id"),
    }


class CommitmentDetailView(ScopedMixin, View):
    model = Commitment

    def get(self, request, pk):
        commitment = services.load_commitment(request.user, pk)
        return render(request, COMMITMENT_DETAIL, commitment_context(request, commitment))


class CommitmentActionView(WorkflowActionView):
    workflow = COMMITMENT
    template_name = COMMITMENT_DETAIL

    def record_context(self, obj, bound):
        commitment = services.load_commitment(self.request.user, obj.pk)
        return commitment_context(self.request, commitment, bound)
