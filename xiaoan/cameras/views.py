"""技防's own page beyond the register layer's: each school's key-place coverage."""

from __future__ import annotations

from typing import Any

from django.views.generic import TemplateView

from xiaoan.cameras.coverage import coverage_of
from xiaoan.cameras.models import Camera
from xiaoan.core.views import ScopedMixin


def visible_schools(user: Any):
    """The schools in use whose cameras the person may see."""
    from xiaoan.cameras.registers import CAMERAS

    return CAMERAS.units(user, "view").filter(kind="school").order_by("path")


class CoverageView(ScopedMixin, TemplateView):
    model = Camera
    template_name = "cameras/coverage.html"

    def get_context_data(self, **kwargs):
        from xiaoan.cameras.registers import CAMERAS

        context = super().get_context_data(**kwargs)
        rows = coverage_of(visible_schools(self.request.user))
        # Schools with key places uncovered first.
        rows.sort(key=lambda r: (-len(r.missing), r.school.path))
        context["rows"] = rows
        context["register"] = CAMERAS
        context["uncovered"] = sum(1 for r in rows if r.missing)
        return context
