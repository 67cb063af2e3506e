"""Built-in starting lists (xiaoan/risks/library/*.json): for a dormitory, a canteen (with its
gas), a laboratory (with its chemical store), the school gate at dismissal, a swimming pool,
the school bus and a large event, a handful of risk points each with the hazardous event,
suggested LS factors and control measures. A school copies a list into its register (its
measures given to one person, to hand on later) and adapts it; a unit assessing by LEC
assesses the copied points itself (the suggestions are LS)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from xiaoan.core.choices import SafetyDomain
from xiaoan.core.errors import Invalid
from xiaoan.orgs.models import Unit
from xiaoan.risks import services
from xiaoan.risks.choices import ControlLevel, Frequency, MeasureKind, Method

LIBRARY = Path(__file__).resolve().parent / "library"


@dataclass(frozen=True)
class StartingList:
    code: str
    name: str
    description: str
    points: tuple[dict[str, Any], ...]


def _checked(doc: dict[str, Any]) -> StartingList:
    """A list whose values are all known choices (a broken file fails at the first read)."""
    for point in doc["points"]:
        assert point["domain"] in SafetyDomain.values, point["name"]
        assert point["likelihood"] in range(1, 6) and point["severity"] in range(1, 6)
        for measure in point["measures"]:
            assert measure["kind"] in MeasureKind.values, measure["text"]
            assert measure["level"] in ControlLevel.values, measure["text"]
            assert measure["frequency"] in Frequency.values, measure["text"]
    return StartingList(doc["code"], doc["name"], doc["description"], tuple(doc["points"]))


@cache
def starting_lists() -> tuple[StartingList, ...]:
    return tuple(
        _checked(json.loads(path.read_text(encoding="utf-8")))
        for path in sorted(LIBRARY.glob("*.json"))
    )


def get(code: str) -> StartingList | None:
    return next((s for s in starting_lists() if s.code == code), None)


@transaction.atomic
def copy_into(actor: Any, *, unit: Any, code: str, owner: Any) -> list[Any]:
    """The list's points registered at `unit` (assessed with the suggested factors when the
    unit assesses by LS), their measures given to `owner`. Points already registered there
    under the same name are left alone: copying twice adds nothing."""
    from xiaoan.risks.models import RiskPoint

    found = get(str(code or ""))
    if found is None:
        raise Invalid(_("请选择风险清单模板。"), fields={"code": [_("请选择风险清单模板。")]})
    target = services._unit(actor, unit, services.ADD)
    taken = set(RiskPoint.objects.filter(unit=target).values_list("name", flat=True))
    may_assess = Unit.objects.with_permission(actor, services.ASSESS).filter(pk=target.pk).exists()
    by_ls = services.method_for(target) == Method.LS
    made = []
    for row in found.points:
        if row["name"] in taken:
            continue
        point = services.create(
            actor,
            unit=target,
            name=row["name"],
            domain=row["domain"],
            hazardous_event=row["hazardous_event"],
            owner=owner,
        )
        if by_ls and may_assess:
            services.assess(
                actor,
                point.pk,
                likelihood=row["likelihood"],
                severity=row["severity"],
                note=_("按“%(n)s”模板的建议值评估") % {"n": found.name},
            )
        for measure in row["measures"]:
            services.add_measure(actor, point.pk, owner=owner, **measure)
        made.append(point)
    return made
