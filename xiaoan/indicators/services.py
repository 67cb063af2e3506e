"""Reported indicator values and their review, and the indicators and targets an authority
sets. Pages, API and commands call these; every refusal is a Chinese `ServiceError`.

A school reports its value for a year (with evidence); the unit directly above it — the
people holding `indicators.review_indicatorvalue` there — accepts it (it counts) or returns
it with the reason (the school reports again). Nobody reviews a value they reported.
"""

from __future__ import annotations

import os
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoan.core.errors import Conflict, Forbidden, Invalid, NotFound
from xiaoan.core.scoping import grants_for
from xiaoan.core.workflow import begin, require_note, workflow_of
from xiaoan.indicators.choices import Direction, Rollup, Source, ValueAction, ValueStatus
from xiaoan.indicators.models import Indicator, IndicatorValue, Target
from xiaoan.indicators.providers import provider_for
from xiaoan.indicators.values import FIRST_YEAR, TargetBook, plain
from xiaoan.orgs.choices import UnitKind
from xiaoan.orgs.models import Unit

REPORT = "indicators.report_indicatorvalue"
REVIEW = "indicators.review_indicatorvalue"
ADD = "indicators.add_indicator"
CHANGE = "indicators.change_indicator"
MAX_VALUE = Decimal("9999999999.99")
REVIEWERS_ONLY = gettext_lazy("只有上一级单位的审核人员可以审核指标填报。")
SCHOOL_REPORTS = gettext_lazy("指标值由学校自行填报，上级单位负责审核。")


# ---------------------------------------------------------------- who may


def _grants(actor: Any, perm: str):
    return [g for g in grants_for(actor) if perm in g.permissions and g.unit_path]


def may_report_for(actor: Any, unit: Unit) -> bool:
    """The school's own people report (a grant at the school or inside it), not a superior
    through its subtree: the level above reviews what the school reports."""
    if unit.kind != UnitKind.SCHOOL:
        return False
    return any(g.unit_path.startswith(unit.path) for g in _grants(actor, REPORT))


def reviews_unit(actor: Any, unit: Unit) -> bool:
    """The actor holds the review right at the unit directly above `unit`."""
    parent = unit.path[: -Unit.steplen]
    if getattr(actor, "is_superuser", False):
        return True
    return bool(parent) and any(g.unit_path == parent for g in _grants(actor, REVIEW))


def may_review(actor: Any, value: IndicatorValue) -> bool:
    """The accept and return actions' guard."""
    return reviews_unit(actor, value.unit) and value.reported_by_id != getattr(actor, "pk", None)


def may_resubmit(actor: Any, value: IndicatorValue) -> bool:
    return may_report_for(actor, value.unit)


def reporting_units(actor: Any) -> list[Unit]:
    """The schools the actor reports for."""
    grants = _grants(actor, REPORT)
    if not grants:
        return []
    schools = Unit.objects.filter(kind=UnitKind.SCHOOL, is_active=True).order_by("path")
    return [s for s in schools.filter(path__in=_prefixes(grants)) if may_report_for(actor, s)]


def _prefixes(grants) -> list[str]:
    out = set()
    for g in grants:
        path = g.unit_path
        out.update(path[:i] for i in range(Unit.steplen, len(path) + 1, Unit.steplen))
    return sorted(out)


def authorities_for(actor: Any, perm: str) -> list[Unit]:
    """The authorities where the actor holds `perm` as one of their own people."""
    ids = [g.unit_id for g in _grants(actor, perm) if g.unit_kind == UnitKind.AUTHORITY]
    return list(Unit.objects.filter(pk__in=ids).order_by("path"))


# ---------------------------------------------------------------- checks


def _number(raw: Any, field: str = "value") -> Decimal:
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        raise Invalid(fields={field: [_("请填写数字。")]}) from None
    if not value.is_finite() or value < 0 or value > MAX_VALUE:
        raise Invalid(fields={field: [_("数值须在 0 与 9999999999.99 之间。")]})
    return value.quantize(Decimal("0.01"))


def _check_value(indicator: Indicator, value: Decimal) -> None:
    if indicator.measure.strip() == "%" and value > 100:
        raise Invalid(fields={"value": [_("百分比不能超过 100。")]})


def _check_evidence(evidence: Any) -> None:
    if evidence is None:
        return
    from xiaoan.duties.services import check_evidence

    check_evidence(evidence)


def _year(year: Any) -> int:
    this_year = timezone.localdate().year
    try:
        year = int(year)
    except (TypeError, ValueError):
        year = 0
    if not FIRST_YEAR <= year <= this_year:
        raise Invalid(
            fields={"year": [_("年度须在 %(a)d–%(b)d 之间。") % {"a": FIRST_YEAR, "b": this_year}]}
        )
    return year


def _indicator(actor: Any, pk: Any) -> Indicator:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound() from None
    found = visible_indicators(actor).filter(pk=pk).first() if 0 < pk < 2**63 else None
    if found is None:
        raise NotFound()
    return found


def visible_indicators(actor: Any):
    """The national set and the indicators of authorities on the path of a unit where the
    person may see indicators (their own, those above them, those below them)."""
    from django.db.models import Q

    grants = [g for g in grants_for(actor) if "indicators.view_indicator" in g.permissions]
    if getattr(actor, "is_superuser", False) or any(g.unit_id is None for g in grants):
        return Indicator.objects.select_related("owner")
    if not grants:
        return Indicator.objects.none()
    q = Q(owner__isnull=True) | Q(owner__path__in=_prefixes([g for g in grants if g.unit_path]))
    for g in grants:
        if g.descendants and g.unit_path:
            q |= Q(owner__path__startswith=g.unit_path)
    return Indicator.objects.filter(q).select_related("owner")


# ---------------------------------------------------------------- reporting


@transaction.atomic
def report(
    actor: Any,
    *,
    indicator: Any,
    unit: Any,
    year: Any,
    value: Any,
    note: str,
    evidence: Any = None,
) -> IndicatorValue:
    """A school reports its value for a year; it waits for its superior's review. Reporting
    again is for a returned value only (`resubmit`); one awaiting review or accepted is a 409."""
    found = _indicator(actor, indicator)
    school = _unit(actor, unit)
    if not may_report_for(actor, school):
        raise Forbidden(SCHOOL_REPORTS)
    _reportable(found, school)
    year = _year(year)
    number = _number(value)
    _check_value(found, number)
    note = require_note(note, _("佐证说明"))
    _check_evidence(evidence)
    existing = IndicatorValue.objects.filter(indicator=found, unit=school, year=year).first()
    if existing is not None:
        if existing.status == ValueStatus.RETURNED:
            return resubmit(
                actor, existing.pk, value=value, note=note, evidence=evidence, version=None
            )
        raise Conflict(
            _("本年度已填报（%(s)s），不能重复填报。") % {"s": existing.get_status_display()}
        )
    row = IndicatorValue(
        indicator=found,
        unit=school,
        year=year,
        value=number,
        note=note,
        reported_by=actor,
        status=ValueStatus.PENDING,
    )
    _attach(row, evidence)
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        raise Conflict(_("本年度已填报，不能重复填报。")) from None
    workflow_of(IndicatorValue).advance(
        row,
        actor,
        ValueAction.REPORT,
        to=ValueStatus.PENDING,
        note=note,
        data=_data(row),
        created=True,
    )
    _tell_reviewers(actor, row)
    return row


def _unit(actor: Any, raw: Any) -> Unit:
    try:
        pk = int(raw.pk if isinstance(raw, Unit) else raw)
    except (TypeError, ValueError):
        raise NotFound() from None
    found = (
        Unit.objects.with_permission(actor, REPORT).filter(pk=pk).first()
        if 0 < pk < 2**63
        else None
    )
    if found is None:
        raise NotFound()
    return found


def _reportable(indicator: Indicator, school: Unit) -> None:
    if not indicator.is_active:
        raise Invalid(fields={"indicator": [_("该指标已停用。")]})
    if (indicator.owner_id and not school.path.startswith(indicator.owner.path)) or (
        indicator.boarding_only and not school.boarding
    ):
        raise Invalid(fields={"indicator": [_("该指标不适用于本单位。")]})
    if indicator.source == Source.PROVIDER or provider_for(indicator.code) is not None:
        raise Invalid(fields={"indicator": [_("该指标由系统根据台账计算，无需填报。")]})


def _attach(row: IndicatorValue, evidence: Any) -> None:
    if evidence is not None:
        row.evidence = evidence
        row.evidence_name = os.path.basename(getattr(evidence, "name", "") or "")[:200]


def _data(row: IndicatorValue) -> dict:
    return {"value": str(row.value), "file": row.evidence_name}


@transaction.atomic
def resubmit(
    actor: Any,
    pk: Any,
    *,
    value: Any,
    note: str = "",
    evidence: Any = None,
    version: int | None = None,
) -> IndicatorValue:
    """Report a returned value again: it waits for review anew."""
    _refuse_early(actor, pk, may_report_for, SCHOOL_REPORTS)
    row = begin(actor, IndicatorValue, pk, "resubmit", version)
    if not may_report_for(actor, row.unit):
        raise Forbidden(SCHOOL_REPORTS)
    number = _number(value)
    _check_value(row.indicator, number)
    note = require_note(note, _("佐证说明"))
    _check_evidence(evidence)
    row.value, row.note, row.reported_by, row.reported_at = number, note, actor, timezone.now()
    _attach(row, evidence)
    workflow_of(IndicatorValue).advance(
        row, actor, ValueAction.RESUBMIT, to=ValueStatus.PENDING, note=note, data=_data(row)
    )
    _tell_reviewers(actor, row)
    return row


@transaction.atomic
def accept(actor: Any, pk: Any, *, note: str = "", version: int | None = None) -> IndicatorValue:
    _refuse_early(actor, pk, reviews_unit, REVIEWERS_ONLY)
    row = begin(actor, IndicatorValue, pk, "accept", version)
    _check_reviewer(actor, row)
    _decide(row, actor, (note or "").strip())
    workflow_of(IndicatorValue).advance(row, actor, ValueAction.ACCEPT, note=row.review_note)
    _tell_unit(actor, row, "accepted", _("指标填报已审核通过"), row.review_note)
    return row


@transaction.atomic
def send_back(actor: Any, pk: Any, *, note: str = "", version: int | None = None) -> IndicatorValue:
    _refuse_early(actor, pk, reviews_unit, REVIEWERS_ONLY)
    row = begin(actor, IndicatorValue, pk, "send_back", version, event=ValueAction.RETURN)
    _check_reviewer(actor, row)
    _decide(row, actor, require_note(note, _("退回理由")))
    workflow_of(IndicatorValue).advance(
        row, actor, ValueAction.RETURN, to=ValueStatus.RETURNED, note=row.review_note
    )
    body = _("退回理由：%(n)s。请修改后重新填报。") % {"n": row.review_note}
    _tell_unit(actor, row, "returned", _("指标填报被退回"), body)
    return row


def _refuse_early(actor: Any, pk: Any, may, message) -> None:
    """403 before the version and state are looked at: who may not act on the value at all
    is told so, not that it changed meanwhile (404 stays with `begin`)."""
    row = IndicatorValue.objects.restrict(actor).select_related("unit").filter(pk=pk).first()
    if row is not None and not may(actor, row.unit):
        raise Forbidden(message)


def _check_reviewer(actor: Any, row: IndicatorValue) -> None:
    if not reviews_unit(actor, row.unit):
        raise Forbidden(REVIEWERS_ONLY)
    if row.reported_by_id == getattr(actor, "pk", None):
        raise Forbidden(_("不能审核自己填报的指标值。"))


def _decide(row: IndicatorValue, actor: Any, note: str) -> None:
    row.review_note, row.reviewed_by, row.reviewed_at = note, actor, timezone.now()


def load_value(actor: Any, pk: Any) -> IndicatorValue:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound() from None
    row = (
        IndicatorValue.objects.restrict(actor)
        .select_related("indicator", "unit", "reported_by", "reviewed_by")
        .filter(pk=pk)
        .first()
        if 0 < pk < 2**63
        else None
    )
    if row is None:
        raise NotFound()
    return row


def _url(row: IndicatorValue) -> str:
    return reverse("indicators:indicatorvalue_detail", args=[row.pk])


def reviewers_of(unit: Unit) -> list[Any]:
    from xiaoan.accounts.models import RoleAssignment

    parent = unit.path[: -Unit.steplen]
    rows = RoleAssignment.objects.filter(
        unit__path=parent, role__is_active=True, user__is_active=True
    ).select_related("user", "role")
    return [r.user for r in rows if REVIEW in (r.role.permissions or ())]


def _tell_reviewers(actor: Any, row: IndicatorValue) -> None:
    from xiaoan.notifications.models import Notification
    from xiaoan.notifications.services import notify

    title = _("待审核：%(u)s 填报的“%(i)s”") % {"u": row.unit.name, "i": row.indicator.name}
    notify(
        reviewers_of(row.unit),
        Notification.Kind.REVIEW,
        title,
        str(row.year),
        _url(row),
        actor=actor,
    )


def _tell_unit(actor: Any, row: IndicatorValue, kind: str, title: str, body: str) -> None:
    from xiaoan.accounts.models import RoleAssignment
    from xiaoan.notifications.services import notify

    rows = RoleAssignment.objects.filter(
        unit_id=row.unit_id, role__is_active=True, user__is_active=True
    ).select_related("user", "role")
    people = [r.user for r in rows if REPORT in (r.role.permissions or ())]
    notify(
        people, kind, f"{title}：{row.indicator.name}（{row.year}）", body, _url(row), actor=actor
    )


# ---------------------------------------------------------------- definitions and targets


def _authority(actor: Any, raw: Any, perm: str) -> Unit:
    mine = authorities_for(actor, perm)
    if not mine:
        raise Forbidden(_("只有教育行政部门可以设立指标和目标。"))
    if raw in (None, ""):
        return mine[0]
    try:
        pk = int(raw.pk if isinstance(raw, Unit) else raw)
    except (TypeError, ValueError):
        raise NotFound() from None
    found = next((u for u in mine if u.pk == pk), None)
    if found is None:
        raise NotFound()
    return found


@transaction.atomic
def create_indicator(
    actor: Any,
    *,
    code: str,
    name: str,
    measure: str,
    direction: str = Direction.HIGHER,
    rollup: str = Rollup.MEAN,
    description: str = "",
    owner: Any = None,
) -> Indicator:
    """An authority adds an indicator of its own; it applies to its subtree."""
    unit = _authority(actor, owner, ADD)
    code, name, measure = (code or "").strip(), (name or "").strip(), (measure or "").strip()
    errors: dict[str, list[str]] = {}
    if not code:
        errors["code"] = [_("必填。")]
    elif Indicator.objects.filter(code=code).exists():
        errors["code"] = [_("编码已被使用。")]
    if not name:
        errors["name"] = [_("必填。")]
    if not measure:
        errors["measure"] = [_("必填。")]
    if direction not in Direction.values:
        errors["direction"] = [_("选项无效。")]
    if rollup not in Rollup.values:
        errors["rollup"] = [_("选项无效。")]
    if errors:
        raise Invalid(fields=errors)
    return Indicator.objects.create(
        code=code,
        name=name,
        measure=measure,
        direction=direction,
        rollup=rollup,
        description=(description or "").strip(),
        owner=unit,
        source=Source.REPORTED,
    )


@transaction.atomic
def set_target(actor: Any, pk: Any, *, year: Any, value: Any, owner: Any = None) -> Target:
    """An authority sets this year's (or a later year's) target for its subtree: no looser
    than what the units above it ask."""
    indicator = _indicator(actor, pk)
    unit = _authority(actor, owner, CHANGE)
    if indicator.owner_id and not unit.path.startswith(indicator.owner.path):
        raise Invalid(fields={"indicator": [_("该指标不适用于本单位。")]})
    this_year = timezone.localdate().year
    try:
        year = int(year)
    except (TypeError, ValueError):
        year = 0
    if not this_year - 1 <= year <= this_year + 5:
        raise Invalid(
            fields={
                "year": [
                    _("年度须在 %(a)d–%(b)d 之间。") % {"a": this_year - 1, "b": this_year + 5}
                ]
            }
        )
    number = _number(value)
    _check_value(indicator, number)
    above = TargetBook.load([indicator.pk], year).target(indicator.pk, unit.path, above=True)
    if above is not None and not indicator.meets(number, above):
        word = _("低于") if indicator.direction == Direction.HIGHER else _("高于")
        raise Invalid(
            fields={"value": [_("不能%(w)s上级目标 %(t)s。") % {"w": word, "t": plain(above)}]}
        )
    target, _created = Target.objects.update_or_create(
        indicator=indicator,
        owner=unit,
        year=year,
        defaults={"value": number, "set_by": actor, "set_at": timezone.now()},
    )
    return target
