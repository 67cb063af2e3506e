"""Pages of the hazardous-chemicals ledger: movements, their second signature, stocktakes,
the 台账 export, and the ledger parts of the catalogue's and the storages' record pages
(their list, record, form and retire pages are the register layer's, see
xiaoan.chemicals.registers). Thin: every rule is in `xiaoan.chemicals.services`; refusals
are answered by the core views."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.http import Http404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView

from xiaoan.chemicals import exports, forms, services
from xiaoan.chemicals.choices import MovementStatus
from xiaoan.chemicals.models import (
    Balance,
    Chemical,
    StockMovement,
    Stocktake,
    StocktakeLine,
    Storage,
)
from xiaoan.chemicals.workflow import MOVEMENT
from xiaoan.core.errors import Invalid
from xiaoan.core.idempotency import request_fingerprint
from xiaoan.core.views import ScopedListView, ScopedMixin, ServiceFormView
from xiaoan.core.workflow_pages import WorkflowActionView, WorkflowForm, action_panel
from xiaoan.orgs.models import Unit

MOVEMENT_PEOPLE = ("actor", "second_signer")


def _can(request, model, action: str) -> bool:
    from xiaoan.core.scoping import has_permission_anywhere, permission_name

    return has_permission_anywhere(request.user, permission_name(model, action))


def _within_current(request, queryset, field: str = "unit"):
    """Lists follow the unit chosen in the header (and its subtree)."""
    current = request.current_unit
    if current is None:
        return queryset
    return queryset.filter(**{f"{field}__path__startswith": current.path})


# ---------------------------------------------------------------- the registers' ledgers


def _movement_rows(queryset):
    return queryset.select_related("chemical", "storage", *MOVEMENT_PEOPLE)


def _ledger(movements, balances) -> dict[str, Any]:
    """Balances, the movements waiting for a second signature and the posted ledger, oldest
    first as the 台账 reads (a queryset: the page shows it a page at a time, see
    `xiaoan.chemicals.templatetags.ledger`)."""
    return {
        "balances": balances,
        "reconciled": not services.reconcile(balances),
        "ledger": movements.filter(status=MovementStatus.POSTED).order_by("posted_at", "pk"),
        "pending": list(movements.filter(status=MovementStatus.PENDING).order_by("pk")),
    }


def chemical_ledger(user, chemical: Chemical) -> dict[str, Any]:
    """The catalogue entry's record page (xiaoan.chemicals.registers): its stock per
    storage and its ledger."""
    balances = list(
        Balance.objects.filter(chemical=chemical).select_related("storage").order_by("storage")
    )
    movements = _movement_rows(StockMovement.objects.restrict(user).filter(chemical=chemical))
    return {
        **_ledger(movements, balances),
        "can_record": not chemical.is_retired
        and services.holds_in(user, chemical.unit_id, "chemicals.add_stockmovement"),
    }


def storage_ledger(user, storage: Storage) -> dict[str, Any]:
    """The storage's record page: what it holds, its ledger and its latest stocktakes."""
    balances = list(
        Balance.objects.filter(storage=storage)
        .select_related("chemical")
        .order_by("chemical__name", "chemical__spec")
    )
    movements = _movement_rows(StockMovement.objects.restrict(user).filter(storage=storage))
    in_use = not storage.is_retired
    return {
        **_ledger(movements, balances),
        "stocktakes": Stocktake.objects.filter(storage=storage).select_related("actor")[:10],
        "can_record": in_use
        and services.holds_in(user, storage.unit_id, "chemicals.add_stockmovement"),
        "can_count": in_use and services.holds_in(user, storage.unit_id, "chemicals.add_stocktake"),
    }


# ---------------------------------------------------------------- movements


class MovementListView(ScopedListView):
    model = StockMovement
    template_name = "chemicals/movement_list.html"

    def get_queryset(self):
        rows = _within_current(self.request, super().get_queryset())
        status = self.request.GET.get("status") or ""
        if status in MovementStatus.values:
            rows = rows.filter(status=status)
        if self.request.GET.get("mine") == "1":
            rows = rows.filter(pk__in=services.pending_for(self.request.user).values("pk"))
        return _movement_rows(rows.select_related("unit")).order_by("-created_at", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            statuses=MovementStatus.choices,
            status=self.request.GET.get("status", ""),
            can_add=_can(self.request, StockMovement, "add"),
        )
        return context


class MovementCreateView(ServiceFormView):
    """登记出入库 on a phone at the cabinet: ?chemical= and ?storage= preselect."""

    model = StockMovement
    permission_action = "add"
    form_class = forms.MovementForm
    template_name = "chemicals/movement_form.html"

    def get_form_kwargs(self):
        units = Unit.objects.with_permission(self.request.user, "chemicals.add_stockmovement")
        chemicals = (
            Chemical.objects.restrict(self.request.user)
            .active()
            .filter(unit__in=units.values("pk"))
            .order_by("name", "spec")
        )
        storages = (
            Storage.objects.restrict(self.request.user)
            .active()
            .filter(unit__in=units.values("pk"))
            .order_by("name")
        )
        current = self.request.current_unit
        if current is not None:
            chemicals = chemicals.filter(unit__path__startswith=current.path)
            storages = storages.filter(unit__path__startswith=current.path)
        kwargs = {**super().get_form_kwargs(), "chemicals": chemicals, "storages": storages}
        initial = kwargs.setdefault("initial", {})
        for name in ("chemical", "storage", "kind"):
            if self.request.GET.get(name):
                initial[name] = self.request.GET[name]
        return kwargs

    def perform(self, form):
        data = dict(form.cleaned_data)
        key = data.pop("idempotency_key", "") or None
        return services.record_movement(
            self.request.user,
            **data,
            idempotency_key=key,
            fingerprint=request_fingerprint(self.request) if key else "",
        )

    def get_success_message(self) -> str:
        movement = self.result
        if movement.replayed:
            return _("这笔记录已登记过（重复提交未再登记）。")
        if movement.status == MovementStatus.PENDING:
            return _("已登记，待另一人复核确认后计入结存（双人双锁）。")
        return _("已登记入账，结存 %(n)s。") % {"n": movement.balance_after.normalize()}

    def get_success_url(self):
        return reverse("chemicals:stockmovement_detail", args=[self.result.pk])


def movement_context(request, movement: StockMovement, bound: WorkflowForm | None = None):
    return {
        "movement": movement,
        "actions": action_panel(request, MOVEMENT, movement, bound=bound),
        "events": movement.events.select_related("actor"),
        "own_pending": movement.status == MovementStatus.PENDING
        and movement.actor_id == request.user.pk,
    }


def _movements(user):
    return _movement_rows(StockMovement.objects.restrict(user)).select_related("unit", "stocktake")


class MovementDetailView(ScopedMixin, DetailView):
    model = StockMovement
    template_name = "chemicals/movement_detail.html"

    def get_queryset(self):
        return _movements(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(movement_context(self.request, self.object))
        return context


class MovementActionView(WorkflowActionView):
    workflow = MOVEMENT
    template_name = "chemicals/movement_detail.html"

    def get_queryset(self):
        return _movements(self.request.user)

    def record_context(self, obj, bound):
        return movement_context(self.request, obj, bound=bound)


# ---------------------------------------------------------------- stocktakes


class StocktakeListView(ScopedListView):
    model = Stocktake
    template_name = "chemicals/stocktake_list.html"

    def get_queryset(self):
        rows = _within_current(self.request, super().get_queryset())
        return rows.select_related("unit", "storage", "actor").order_by("-taken_on", "-pk")


class StocktakeCreateView(ServiceFormView):
    """盘点 one storage (?storage=ID): a line per chemical of its unit, the book quantity
    shown and the count prefilled with it, so only the differences need typing."""

    model = Stocktake
    permission_action = "add"
    form_class = forms.StocktakeForm
    template_name = "chemicals/stocktake_form.html"

    @cached_property
    def storage(self) -> Storage:
        raw = self.request.GET.get("storage") or ""
        storage = (
            Storage.objects.restrict(self.request.user).filter(pk=raw).first()
            if raw.isdigit()
            else None
        )
        if storage is None:
            raise Http404
        if not services.holds_in(self.request.user, storage.unit_id, "chemicals.add_stocktake"):
            raise PermissionDenied
        return storage

    def get_form_kwargs(self):
        storage = self.storage
        books = dict(Balance.objects.filter(storage=storage).values_list("chemical_id", "quantity"))
        chemicals = Chemical.objects.filter(unit_id=storage.unit_id).filter(
            Q(retired_at__isnull=True) | Q(pk__in=list(books))
        )
        return {**super().get_form_kwargs(), "chemicals": chemicals, "books": books}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "storage": self.storage}

    def perform(self, form):
        lines = form.lines()
        try:
            return services.create_stocktake(
                self.request.user,
                self.storage,
                lines=lines,
                taken_on=form.cleaned_data.get("taken_on"),
                note=form.cleaned_data.get("note", ""),
            )
        except Invalid as error:
            # The service names a line by its index (lines.N.field): put it on that row.
            fields: dict[str, list[str]] = {}
            for key, messages in error.fields.items():
                parts = key.split(".")
                if len(parts) == 3 and parts[1].isdigit() and int(parts[1]) < len(lines):
                    chemical = lines[int(parts[1])]["chemical"]
                    name = "reason" if parts[2] == "reason" else "counted"
                    key = f"{name}_{chemical}"
                fields[key] = messages
            raise Invalid(error.message, fields=fields) from error

    def get_success_message(self) -> str:
        return _("已登记盘点。")

    def get_success_url(self):
        return reverse("chemicals:stocktake_detail", args=[self.result.pk])


class StocktakeDetailView(ScopedMixin, DetailView):
    model = Stocktake
    template_name = "chemicals/stocktake_detail.html"
    context_object_name = "stocktake"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("unit", "storage", "actor")
            .prefetch_related(
                Prefetch(
                    "lines",
                    StocktakeLine.objects.select_related("chemical", "movement").order_by("pk"),
                )
            )
        )


# ---------------------------------------------------------------- export


class LedgerExportView(ScopedMixin, View):
    """The 台账 as xlsx: posted movements the person sees, optionally of one chemical
    (?chemical=) or storage (?storage=), within the header's current unit."""

    model = StockMovement

    def get(self, request):
        user = request.user
        rows = _within_current(request, services.ledger_rows(user))
        scope = []
        unit_name = request.current_unit.name if request.current_unit else ""
        for name, model in (("chemical", Chemical), ("storage", Storage)):
            raw = request.GET.get(name) or ""
            if not raw:
                continue
            found = model.objects.restrict(user).filter(pk=raw).first() if raw.isdigit() else None
            if found is None:
                raise Http404
            rows = rows.filter(**{name: found})
            scope.append(str(found))
            unit_name = unit_name or found.unit.name
        if not unit_name and getattr(user, "unit", None) is not None:
            unit_name = user.unit.name
        above = exports.header_lines(
            unit_name, "、".join(scope) or _("全部危化品"), user.display_name
        )
        return exports.ledger_response(rows, above)
