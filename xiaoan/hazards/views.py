from __future__ import annotations

from xiaoan.core.views import ScopedDetailView, ScopedListView
from xiaoan.hazards.models import Hazard


class HazardListView(ScopedListView):
    model = Hazard
    template_name = "hazards/hazard_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("unit", "owner", "owner_unit")


class HazardDetailView(ScopedDetailView):
    model = Hazard
    template_name = "hazards/hazard_detail.html"
