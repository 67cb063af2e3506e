"""The activities as the duties' ACTIVITY proof (xiaoan.duties.proofs): an obligation for an
event is proved by the unit's activities of that event held within its period (the event's
window) and recorded by its due date; the calendar's windows are the periods of a duty with
the window due rule, and the calendar's duties are offered with the built-in ones."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _

from xiaoan.activities import calendar
from xiaoan.activities.models import Activity


def count() -> Subquery:
    found = (
        Activity.objects.filter(
            unit_id=OuterRef("unit_id"),
            event=OuterRef("duty__proof_code"),
            held_on__gte=OuterRef("period_start"),
            held_on__lte=OuterRef("period_end"),
            created_at__date__lte=OuterRef("due_on"),
        )
        .order_by()
        .values("unit_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Subquery(found, output_field=IntegerField())


def met_by(ob: Any, n: int) -> str:
    return _("开展教育活动 %(n)d 次") % {"n": n}


def listing(actor: Any, ob: Any) -> list[tuple[str, str]]:
    """The activities of the obligation's unit and event in its period the person may see."""
    rows = Activity.objects.restrict(actor).filter(
        unit_id=ob.unit_id,
        event=ob.duty.proof_code,
        held_on__gte=ob.period_start,
        held_on__lte=ob.period_end,
    )
    return [
        (f"{a.held_on:%Y-%m-%d} {a.get_kind_display()} {a.title}",
         reverse("activities:activity_detail", args=[a.pk]))
        for a in rows[:50]
    ]  # fmt: skip


def register() -> None:
    from xiaoan.duties import builtin, proofs
    from xiaoan.duties.choices import ProofKind

    proofs.register(
        proofs.ProofSource(
            kind=ProofKind.ACTIVITY,
            count=count,
            codes=calendar.choices,
            any_code=False,
            met_by=met_by,
            listing=listing,
            window=calendar.window_of,
        )
    )
    builtin.offer(calendar.builtin_duties)
