"""The declaration's pages: the register layer's pages (xiaoan.core.register_views) with the
four 100% and the workflow's actions on the record page, and one POST view per action."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.utils import timezone

from xiaoan.core.register_views import RegisterDetailView
from xiaoan.core.workflow_pages import WorkflowActionView, action_panel
from xiaoan.security import services
from xiaoan.security.registers import SECURITY_POSTURES
from xiaoan.security.rules import BASE, BOARDING_BASE, PUPILS_PER_EXTRA
from xiaoan.security.workflow import POSTURE

DETAIL = "security/securityposture_detail.html"


def posture_context(user: Any, item: Any, bound=None) -> dict[str, Any]:
    """What the record page adds to the register's: the actions, the timeline, the rule."""
    from xiaoan.core.register_views import cell

    events = services.events_of(item)
    # The basic facts only: the measures have their own card, the steps their timeline.
    shown = ("unit", "name", "year", "status", "submitted_by", "submitted_at", "verified_by",
             "verified_at", "note")  # fmt: skip
    fields = []
    for name in shown:
        value = cell(item, name)
        if hasattr(value, "strftime") and not isinstance(value, str):
            value = timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
        fields.append((item._meta.get_field(name).verbose_name, value))
    return {
        "fields": fields,
        "actions": action_panel(SimpleNamespace(user=user), POSTURE, item, bound),
        "events": events,
        "rule": {"base": BASE, "boarding": BOARDING_BASE, "per": PUPILS_PER_EXTRA},
        "has_evidence": services.has_evidence(item),
    }


class PostureActionView(WorkflowActionView):
    workflow = POSTURE
    template_name = DETAIL

    def record_context(self, obj, bound):
        view = RegisterDetailView(register=SECURITY_POSTURES)
        view.setup(self.request, pk=obj.pk)
        context = view.get_context_data(pk=obj.pk)
        context.update(posture_context(self.request.user, context["item"], bound))
        return context
