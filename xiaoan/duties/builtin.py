"""The duties the plans require of every school, offered ready-made to an authority."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Value
from django.db.models.lookups import In
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoan.duties.choices import (
    DueRule,
    DutyTarget,
    ProofKind,
)
from xiaoan.duties.models import Duty
from xiaoan.duties.services import _issuer, create_duty
from xiaoan.orgs.choices import UnitKind
from xiaoan.orgs.models import Unit


@dataclass(frozen=True)
class BuiltinDuty:
    code: str
    name: Any
    recurrence: str
    proof: str
    kind: str  # inspection kind or record kind ("" for another app's proof)
    due_rule: str = DueRule.PERIOD_END
    due_days: int = 0
    due_dates: str = ""
    required_count: int = 1
    target: str = DutyTarget.SCHOOLS
    target_kind: str = ""
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    # 主要负责人带队: only an inspection whose recorded leader holds the unit-head role at
    # the inspected unit proves it (`proving_inspections`).
    led_by_head: bool = False
    # The kind another app's proof asks for (xiaoan.duties.proofs); blank: any.
    proof_code: str = ""


INSPECTION, RECORD, DRILL = ProofKind.INSPECTION, ProofKind.RECORD, ProofKind.DRILL
# The recurring duties domain.md §1 lists, as an authority issues them to its schools.
_l = gettext_lazy
BUILTIN_DUTIES: Sequence[BuiltinDuty] = (
    BuiltinDuty(
        "principal_self_check", _l("校长每月重大事故隐患自查"), "monthly", INSPECTION, "self_check"
    ),
    BuiltinDuty(
        "leader_inspection",
        _l("主要负责人每季度带队安全检查"),
        "quarterly",
        INSPECTION,
        "self_check",
        led_by_head=True,
    ),
    BuiltinDuty(
        "supervision_rounds",
        _l("全覆盖安全督查（每年不少于两轮，6月30日、12月31日前）"),
        "half_yearly",
        INSPECTION,
        "supervision",
        DueRule.FIXED_DATES,
        due_dates="06-30,12-31",
    ),
    BuiltinDuty("expert_evaluation", _l("每学期专家评估"), "semester", INSPECTION, "expert"),
    BuiltinDuty(
        "bus_joint_check",
        _l("春秋季开学校车联合检查"),
        "semester",
        INSPECTION,
        "joint",
        DueRule.AFTER_START,
        due_days=30,
    ),
    # Met by a drill of any kind held in the semester and evaluated (xiaoan.drills), not by
    # an uploaded file: schools alternate fire and earthquake evacuations.
    BuiltinDuty("drill", _l("每学期至少一次应急疏散演练（全体学生参加）"), "semester", DRILL, ""),
    BuiltinDuty(
        "conflict_screening", _l("每学期学生矛盾纠纷排查"), "semester", RECORD, "screening"
    ),
    BuiltinDuty(
        "supervision_review",
        _l("双月督查点评"),
        "bimonthly",
        RECORD,
        "review",
        target=DutyTarget.KIND,
        target_kind=UnitKind.AUTHORITY,
    ),
    BuiltinDuty("stage_report", _l("季度末阶段性工作报告"), "quarterly", RECORD, "stage_report"),
    BuiltinDuty(
        "half_year_summary",
        _l("半年工作总结"),
        "yearly",
        RECORD,
        "summary",
        DueRule.FIXED_DATES,
        due_dates="06-30",
    ),
    BuiltinDuty("annual_summary", _l("年度工作总结"), "yearly", RECORD, "summary"),
    BuiltinDuty(
        "three_year_summary",
        _l("三年行动总结（2024–2026）"),
        "once",
        RECORD,
        "summary",
        starts_on=dt.date(2024, 1, 1),
        ends_on=dt.date(2026, 12, 31),
    ),
)


# ---------------------------------------------------------------- offered by other apps
# Built-in duties other apps offer in their ready() (the education calendar of
# xiaoan.activities): issued in the same one action as those above.
OFFERED: list[Callable[[], Iterable[BuiltinDuty]]] = []


def offer(make: Callable[[], Iterable[BuiltinDuty]]) -> None:
    if make not in OFFERED:
        OFFERED.append(make)


def all_builtin() -> list[BuiltinDuty]:
    """The duties offered in one action: this module's and the other apps'."""
    return [*BUILTIN_DUTIES, *(spec for make in OFFERED for spec in make())]


HEAD_LED = tuple(spec.code for spec in BUILTIN_DUTIES if spec.led_by_head)
UNIT_HEAD_ROLE = "unit_head"


def head_led() -> Exists:
    """Inside an Inspection query: its leader holds the unit-head role at the inspected unit."""
    from xiaoan.accounts.models import RoleAssignment

    return Exists(
        RoleAssignment.objects.filter(
            user_id=OuterRef("leader_id"),
            unit_id=OuterRef("unit_id"),
            role__code=UNIT_HEAD_ROLE,
            role__is_active=True,
            user__is_active=True,
        )
    )


def proving_inspections(builtin_code: Any) -> Q:
    """Which inspections may prove a duty with this built-in code (a string, or an
    expression such as `OuterRef("duty__builtin_code")` inside the evaluation's subquery
    over obligations): any, except for a head-led duty, which only an inspection led by the
    unit's head proves."""
    code = builtin_code if hasattr(builtin_code, "resolve_expression") else Value(builtin_code)
    return Q(head_led()) | ~Q(In(code, list(HEAD_LED)))


@transaction.atomic
def create_builtin_duties(actor: Any, issuer: Unit | int) -> list[Duty]:
    """The duties of domain.md §1 for every school under `issuer`, in one action. One already
    there (by its built-in code) is left alone: doing it twice adds nothing."""
    unit = _issuer(actor, issuer)
    have = set(
        Duty.objects.filter(issuer=unit)
        .exclude(builtin_code="")
        .values_list("builtin_code", flat=True)
    )
    made = []
    for spec in all_builtin():
        if spec.code in have:
            continue
        made.append(
            create_duty(
                actor,
                issuer=unit,
                builtin_code=spec.code,
                name=str(spec.name),
                recurrence=spec.recurrence,
                proof=spec.proof,
                inspection_kind=spec.kind if spec.proof == INSPECTION else "",
                record_kind=spec.kind if spec.proof == RECORD else "",
                proof_code=spec.proof_code,
                due_rule=spec.due_rule,
                due_days=spec.due_days,
                due_dates=spec.due_dates,
                required_count=spec.required_count,
                target=spec.target,
                target_kind=spec.target_kind,
                starts_on=spec.starts_on,
                ends_on=spec.ends_on,
                source_ref=_("教育系统安全生产治本攻坚三年行动"),
            )
        )
    return made
