"""What else proves an obligation: apps other than inspections and uploaded records (a drill
recorded and evaluated, an education activity held) register a `ProofSource` for their
`ProofKind` in their `ready()`. The duties app reads them through this registry only, so it
never imports those apps.

A source counts, as a subquery over the obligation (`OuterRef("unit_id")`,
`OuterRef("period_start")`, `OuterRef("period_end")`, `OuterRef("duty__proof_code")`), what
proves it; the evaluation annotates it like the inspections' and records' counts (one query
for any number of obligations).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Expression, IntegerField, Value, When
from django.db.models.functions import Coalesce


@dataclass(frozen=True)
class ProofSource:
    kind: str  # a ProofKind value
    # A subquery counting the proofs of OuterRef obligation.
    count: Callable[[], Expression]
    # The codes a duty of this kind may name (`Duty.proof_code`) with their labels; a blank
    # code is allowed when `any_code` is True (any drill proves it).
    codes: Callable[[], Sequence[tuple[str, Any]]]
    any_code: bool = True
    # "演练 2 次": what a met obligation says met it.
    met_by: Callable[[Any, int], str] = lambda ob, n: str(n)
    # The proving records shown on the obligation's page: (text, url) pairs.
    listing: Callable[[Any, Any], Sequence[tuple[str, str]]] | None = None
    # For a duty with the window due rule: the window of its code holding a date (an
    # inspections `Period`), or None outside every window.
    window: Callable[[str, Any], Any] | None = None


SOURCES: dict[str, ProofSource] = {}


def register(source: ProofSource) -> ProofSource:
    SOURCES[source.kind] = source
    return source


def source_of(kind: str) -> ProofSource | None:
    return SOURCES.get(kind)


def code_label(kind: str, code: str) -> str:
    source = SOURCES.get(kind)
    if source is None or not code:
        return ""
    return str(dict(source.codes()).get(code, code))


def other_proofs() -> Expression:
    """The registered sources' count for each obligation, by its duty's proof kind."""
    if not SOURCES:
        return Value(0, output_field=IntegerField())
    return Case(
        *[
            When(duty__proof=kind, then=Coalesce(source.count(), Value(0)))
            for kind, source in SOURCES.items()
        ],
        default=Value(0),
        output_field=IntegerField(),
    )
