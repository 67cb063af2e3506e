"""The API of a register's checks (a bus's pre-trip checks, the fire assets' monthly checks):
listed and read in scope, filtered by item, result and date; the app's viewset adds `create`
through its own service."""

from __future__ import annotations

from typing import Any

import django_filters
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import mixins, viewsets

from xiaoan.core.api.views import ScopedViewSetMixin
from xiaoan.core.ids import IdFilter


def check_filterset(model: Any, item: str, results: Any) -> type[django_filters.FilterSet]:
    """`?<item>=<id>&result=ok|failed&since=&until=` on the checks' date."""
    fields = {
        item: IdFilter(field_name=f"{item}_id"),
        "result": django_filters.ChoiceFilter(choices=results),
        "since": django_filters.DateFilter(field_name="checked_on", lookup_expr="gte"),
        "until": django_filters.DateFilter(field_name="checked_on", lookup_expr="lte"),
    }
    meta = type("Meta", (), {"model": model, "fields": list(fields)})
    return type(f"{model.__name__}FilterSet", (django_filters.FilterSet,), {**fields, "Meta": meta})


class CheckViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    filter_backends = [DjangoFilterBackend]
    related: tuple[str, ...] = ()
    ordering: tuple[str, ...] = ("-checked_on", "-pk")

    def get_queryset(self):
        return (
            self.model.objects.restrict(self.request.user, "view")
            .select_related(*self.related)
            .order_by(*self.ordering)
        )
