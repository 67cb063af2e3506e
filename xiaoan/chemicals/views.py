"""Pages of the hazardous-chemicals ledger. Thin: every rule is in
`xiaoan.chemicals.services`; refusals are answered by the core views."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.http import Http404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView

from xiaoan.accounts.models import User
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
from xiaoan.core.history import entries_for
from xiaoan.core.idempotency import request_fingerprint
from xiaoan.core.views import ScopedListView, ScopedMixin, ServiceFormView
from xiaoan.core.workflow_pages import WorkflowActionView, WorkflowForm, action_panel
from xiaoan.orgs.models import Place, Unit
from xiaoan.orgs.place_views import unit_choices

MOVEMENT_PEOPLE = ("actor", "second_signer")


def pick_unit(request, perm: str) -> Unit:
    """The unit a new entry goes to: ?unit=ID (404 outside the scope, 403 when visible but
    not theirs), else the header's current unit, else one's own unit, else the top of the
    scope."""
    units = Unit.objects.with_permission(request.user, perm)
    raw = request.GET.get("unit") or ""
    if raw:
        unit = units.filter(pk=int(raw)).first() if raw.isdigit() else None
        if unit is None:
            if raw.isdigit() and Unit.objects.restrict(request.user).filter(pk=raw).exists():
                raise PermissionDenied
            raise Http404
        return unit
    for candidate in (request.current_unit, getattr(request.user, "unit", None)):
        if candidate is not None:
            unit = units.filter(pk=candidate.pk).first()
            if unit is not None:
                return unit
    unit = units.order_by("depth", "path").first()
    if unit is None:
        raise PermissionDenied
    return unit


def _can(request, model, action: str) -> bool:
    from xiaoan.core.scoping import has_permission_anywhere, permission_name

    return has_permission_anywhere(request.user, permission_name(model, action))


def _within_current(request, queryset, field: str = "unit"):
    """Lists follow the unit chosen in the header (and its subtree)."""
    current = request.current_unit
    if current is None:
        return queryset
    return queryset.filter(**{f"{field}__path__startswith": current.path})


# ---------------------------------------------------------------- catalogue


class ChemicalListView(ScopedListView):
    model = Chemical
    template_name = "chemicals/chemical_list.html"

    def get_queryset(self):
        rows = _within_current(self.request, super().get_queryset()).select_related("unit")
        q = (self.request.GET.get("q") or "").strip()
        if q:
            rows = rows.filter(Q(name__icontains=q) | Q(cas_number__icontains=q))
        if self.request.GET.get("controlled") == "1":
            rows = rows.filter(controlled=True)
        if self.request.GET.get("retired") != "1":
            rows = rows.filter(is_active=True)
        return rows.prefetch_related(
            Prefetch("balances", Balance.objects.select_related("storage").order_by("storage"))
        ).order_by("unit__path", "name", "spec", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            can_add=_can(self.request, Chemical, "add"),
            can_record=_can(self.request, StockMovement, "add"),
            q=self.request.GET.get("q", ""),
        )
        return context


class UnitFormMixin:
    """A create page for one unit (`pick_unit`), with a picker of the units one may use."""

    add_permission = ""

    @cached_property
    def unit(self) -> Unit:
        return pick_unit(self.request, self.add_permission)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            unit=self.unit,
            unit_options=unit_choices(self.request.user, self.add_permission, self.unit),
            creating=True,
        )
        return context


class ChemicalCreateView(UnitFormMixin, ServiceFormView):
    model = Chemical
    permission_action = "add"
    add_permission = "chemicals.add_chemical"
    form_class = forms.ChemicalForm
    template_name = "chemicals/chemical_form.html"

    def perform(self, form):
        return services.create_chemical(self.request.user, self.unit, form.cleaned_data)

    def get_success_message(self) -> str:
        return _("已添加危化品“%(name)s”。") % {"name": self.result}

    def get_success_url(self):
        return reverse("chemicals:chemical_detail", args=[self.result.pk])


class ChemicalUpdateView(ServiceFormView):
    model = Chemical
    permission_action = "change"
    form_class = forms.ChemicalForm
    template_name = "chemicals/chemical_form.html"
    success_message = gettext_lazy("已保存。")

    @cached_property
    def record(self):
        return self.get_record(self.kwargs["pk"], "change")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": Chemical.objects.get(pk=self.record.pk)}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "unit": self.record.unit}

    def perform(self, form):
        return services.update_chemical(self.request.user, self.record.pk, form.cleaned_data)

    def get_success_url(self):
        return reverse("chemicals:chemical_detail", args=[self.record.pk])


class RetireView(ServiceFormView):
    """停用 a catalogue entry or a storage, saying why (never deleted)."""

    permission_action = "change"
    form_class = forms.RetireForm
    template_name = "chemicals/retire_form.html"
    success_message = gettext_lazy("已停用。")
    retire: Any = None

    @cached_property
    def record(self):
        return self.get_record(self.kwargs["pk"], "change")

    def perform(self, form):
        return type(self).retire(self.request.user, self.record.pk, form.cleaned_data["reason"])

    def get_success_url(self):
        return reverse(f"chemicals:{self.model._meta.model_name}_detail", args=[self.record.pk])


class ChemicalRetireView(RetireView):
    model = Chemical
    retire = services.retire_chemical


def _movement_rows(queryset):
    return queryset.select_related("chemical", "storage", *MOVEMENT_PEOPLE)


class ChemicalDetailView(ScopedMixin, DetailView):
    """One chemical's ledger: its stock per storage and every movement, oldest first."""

    model = Chemical
    template_name = "chemicals/chemical_detail.html"
    context_object_name = "chemical"

    def get_queryset(self):
        return super().get_queryset().select_related("unit", "retired_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        chemical = self.object
        user = self.request.user
        balances = list(
            Balance.objects.filter(chemical=chemical).select_related("storage").order_by("storage")
        )
        movements = _movement_rows(
            StockMovement.objects.restrict(user).filter(chemical=chemical)
        ).order_by("status", "posted_at", "pk")
        context.update(
            balances=balances,
            reconciled=not services.reconcile(balances),
            ledger=[m for m in movements if m.status == MovementStatus.POSTED],
            pending=[m for m in movements if m.status == MovementStatus.PENDING],
            can_change=Chemical.objects.restrict(user, "change").filter(pk=chemical.pk).exists(),
            can_record=services.holds_in(user, chemical.unit_id, "chemicals.add_stockmovement"),
            history=entries_for(chemical),
        )
        return context


# ---------------------------------------------------------------- storages


class StorageListView(ScopedListView):
    model = Storage
    template_name = "chemicals/storage_list.html"

    def get_queryset(self):
        rows = _within_current(self.request, super().get_queryset())
        if self.request.GET.get("retired") != "1":
            rows = rows.filter(is_active=True)
        return rows.select_related("unit", "place", "keeper_one", "keeper_two").order_by(
            "unit__path", "name", "pk"
        )

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "can_add": _can(self.request, Storage, "add")}


class StorageFormMixin:
    def storage_unit(self) -> Unit:
        raise NotImplementedError

    def get_form_kwargs(self):
        unit = self.storage_unit()
        people = User.objects.filter(is_active=True, unit__path__startswith=unit.path).order_by(
            "name", "username"
        )
        places = Place.objects.filter(unit=unit, is_active=True).select_related(
            "parent__parent__parent__parent"
        )
        return {**super().get_form_kwargs(), "people": people, "places": places}


class StorageCreateView(UnitFormMixin, StorageFormMixin, ServiceFormView):
    model = Storage
    permission_action = "add"
    add_permission = "chemicals.add_storage"
    form_class = forms.StorageForm
    template_name = "chemicals/storage_form.html"

    def storage_unit(self) -> Unit:
        return self.unit

    def perform(self, form):
        return services.create_storage(self.request.user, self.unit, form.cleaned_data)

    def get_success_message(self) -> str:
        return _("已添加存放点“%(name)s”。") % {"name": self.result.name}

    def get_success_url(self):
        return reverse("chemicals:storage_detail", args=[self.result.pk])


class StorageUpdateView(StorageFormMixin, ServiceFormView):
    model = Storage
    permission_action = "change"
    form_class = forms.StorageForm
    template_name = "chemicals/storage_form.html"
    success_message = gettext_lazy("已保存。")

    @cached_property
    def record(self):
        return self.get_record(self.kwargs["pk"], "change")

    def storage_unit(self) -> Unit:
        return self.record.unit

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": Storage.objects.get(pk=self.record.pk)}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "unit": self.record.unit}

    def perform(self, form):
        return services.update_storage(self.request.user, self.record.pk, form.cleaned_data)

    def get_success_url(self):
        return reverse("chemicals:storage_detail", args=[self.record.pk])


class StorageRetireView(RetireView):
    model = Storage
    retire = services.retire_storage


class StorageDetailView(ScopedMixin, DetailView):
    """One storage's ledger: what it holds and every movement in and out of it."""

    model = Storage
    template_name = "chemicals/storage_detail.html"
    context_object_name = "storage"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("unit", "place", "keeper_one", "keeper_two", "retired_by")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        storage = self.object
        user = self.request.user
        balances = list(
            Balance.objects.filter(storage=storage)
            .select_related("chemical")
            .order_by("chemical__name", "chemical__spec")
        )
        movements = _movement_rows(
            StockMovement.objects.restrict(user).filter(storage=storage)
        ).order_by("status", "posted_at", "pk")
        context.update(
            balances=balances,
            reconciled=not services.reconcile(balances),
            ledger=[m for m in movements if m.status == MovementStatus.POSTED],
            pending=[m for m in movements if m.status == MovementStatus.PENDING],
            stocktakes=Stocktake.objects.filter(storage=storage).select_related("actor")[:10],
            can_change=Storage.objects.restrict(user, "change").filter(pk=storage.pk).exists(),
            can_record=services.holds_in(user, storage.unit_id, "chemicals.add_stockmovement"),
            can_count=services.holds_in(user, storage.unit_id, "chemicals.add_stocktake"),
            history=entries_for(storage),
        )
        return context


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
            .filter(is_active=True, unit__in=units.values("pk"))
            .order_by("name", "spec")
        )
        storages = (
            Storage.objects.restrict(self.request.user)
            .filter(is_active=True, unit__in=units.values("pk"))
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
            Q(is_active=True) | Q(pk__in=list(books))
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
