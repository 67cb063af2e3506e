"""Places (场所): a unit's buildings, floors, rooms and outdoor areas."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from xiaoan.core.forms import StyledFormMixin
from xiaoan.core.scoping import grants_for
from xiaoan.core.views import ScopedMixin, ServiceFormView
from xiaoan.orgs import place_services
from xiaoan.orgs.models import Place, Unit, ancestor_paths


class PlaceForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Place
        fields = place_services.EDITABLE_FIELDS

    def __init__(self, *args, parent_queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = parent_queryset.select_related("parent__parent")
        self.fields["parent"].empty_label = _("（无，独立楼栋或区域）")
        self.fields["parent"].label_from_instance = lambda p: p.full_name

    def _post_clean(self) -> None:
        # The service validates the place with its unit in hand.
        pass


# ---------------------------------------------------------------- unit pickers


def scope_top_depth(user: Any, perm: str) -> int | None:
    """The depth of the highest unit where the user holds `perm` (1 for platform grants)."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return 1
    depths = [
        1 if g.unit_id is None else len(g.unit_path or "") // Unit.steplen
        for g in grants_for(user)
        if perm in g.permissions
    ]
    return min(depths, default=None)


def unit_choices(user: Any, perm: str, selected: Unit | None = None, limit: int = 500) -> list:
    """Units for a picker, bounded however large the scope is: the top of the person's scope
    and the level below it, plus the selected unit's ancestors and children (drill down).
    Each unit gets `indent_label` for an indented option."""
    top = scope_top_depth(user, perm)
    if top is None:
        return []
    query = Q(depth__lte=top + 1)
    if selected is not None:
        ancestors = ancestor_paths(selected.path)
        query |= Q(path__in=ancestors) | Q(path__startswith=selected.path, depth=selected.depth + 1)
    units = list(Unit.objects.with_permission(user, perm).filter(query).order_by("path")[:limit])
    for unit in units:
        unit.indent_label = f"{'　' * max(0, unit.depth - top)}{unit.name}"
    return units


def _pick_unit(request, perm: str) -> Unit:
    """?unit=ID (404 outside the scope), else the current unit, else one's own unit, else the
    top of the scope."""
    units = Unit.objects.with_permission(request.user, perm)
    raw = request.GET.get("unit") or ""
    if raw:
        try:
            unit = units.filter(pk=int(raw)).first()
        except ValueError:
            unit = None
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


def place_tree(places: list[Place]) -> list[Place]:
    """Places ordered parent first, children below, each with `indent`."""
    children: dict[int | None, list[Place]] = {}
    known = {p.pk for p in places}
    for place in places:
        parent = place.parent_id if place.parent_id in known else None
        children.setdefault(parent, []).append(place)
    out: list[Place] = []
    seen: set[int] = set()

    def walk(parent: int | None, depth: int) -> None:
        for place in sorted(children.get(parent, []), key=lambda p: (p.kind != "building", p.name)):
            if place.pk in seen:
                continue
            seen.add(place.pk)
            place.indent = min(depth, 8)
            out.append(place)
            walk(place.pk, depth + 1)

    walk(None, 0)
    return out


# ---------------------------------------------------------------- pages


class PlaceListView(ScopedMixin, View):
    model = Place
    template_name = "orgs/place_list.html"

    def get(self, request):
        unit = _pick_unit(request, "orgs.view_place")
        places = list(
            Place.objects.restrict(request.user)
            .filter(unit=unit)
            .select_related("parent")
            .order_by("name")
        )
        return render(
            request,
            self.template_name,
            {
                "unit": unit,
                "places": place_tree(places),
                "unit_options": unit_choices(request.user, "orgs.view_place", unit),
                "can_add": Unit.objects.with_permission(request.user, "orgs.add_place")
                .filter(pk=unit.pk)
                .exists(),
                "can_change": Place.objects.restrict(request.user, "change")
                .filter(unit=unit)
                .exists(),
            },
        )


class PlaceCreateView(ServiceFormView):
    model = Place
    permission_action = "add"
    form_class = PlaceForm
    template_name = "orgs/place_form.html"
    extra_context = {"creating": True}

    @cached_property
    def unit(self) -> Unit:
        return _pick_unit(self.request, "orgs.add_place")

    def get_form_kwargs(self):
        parents = Place.objects.restrict(self.request.user).filter(unit=self.unit)
        return {**super().get_form_kwargs(), "parent_queryset": parents}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "unit": self.unit}

    def perform(self, form):
        return place_services.create_place(self.request.user, self.unit, form.cleaned_data)

    def get_success_message(self) -> str:
        return _("已添加场所“%(name)s”。") % {"name": self.result.name}

    def get_success_url(self):
        return f"{reverse('orgs:place_list')}?unit={self.unit.pk}"


class PlaceUpdateView(ServiceFormView):
    model = Place
    permission_action = "change"
    form_class = PlaceForm
    template_name = "orgs/place_form.html"
    success_message = gettext_lazy("已保存。")

    @cached_property
    def record(self):
        return self.get_record(self.kwargs["pk"], "change")

    def get_form_kwargs(self):
        place = self.record
        parents = (
            Place.objects.restrict(self.request.user)
            .filter(unit_id=place.unit_id)
            .exclude(pk__in=place_services.descendant_ids(place))
        )
        return {
            **super().get_form_kwargs(),
            "instance": Place.objects.get(pk=place.pk),
            "parent_queryset": parents,
        }

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "unit": self.record.unit}

    def perform(self, form):
        return place_services.update_place(self.request.user, self.record.pk, form.cleaned_data)

    def get_success_url(self):
        return f"{reverse('orgs:place_list')}?unit={self.record.unit_id}"
