"""The risk register's rules (风险分级管控), shared by the pages, the API, the jobs and the
demo.

- A risk point belongs to a unit (a school, or a department or campus below it), optionally
  to a place of its school; a person of the school answers for it (`owner`). Registering and
  editing take `risks.add_riskpoint` / `risks.change_riskpoint` at the unit.
- Assessment (`risks.assess_riskpoint`): the method is the unit's setting (the nearest unit
  above that has one; LS by default) and is stored on each assessment with its factors; the
  value and the grade are computed (xiaoan.risks.grading). Assessments are append-only; the
  latest one's outcome is copied onto the point, and a new one clears `reassessment_due`.
- Control measures (`change`): kind, text, owning level, a person of the school, and a check
  frequency. Each active measure has `next_due`: from when it was given, then from its last
  check, one frequency on.
- Control checks: the measure's person (whatever their rights) or anyone holding
  `risks.check_riskpoint` at the unit records a check (passed or failed, a note, a photo). A
  failed check enters the unit's hazard ledger (source 风险管控检查发现), linked from the
  check. When that hazard is (or is suggested as) 重大, the point is flagged for
  re-assessment at once; the daily job flags the points whose linked hazards became 重大 or
  recurring after their last assessment.
- A point is retired (撤销) with a reason and may be restored; a retired point has no due
  checks.
Every step is an event of the point's history (xiaoan.risks.workflow) and audited; a stale
version is 409."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.core import freshness
from xiaoan.core.choices import SafetyDomain
from xiaoan.core.errors import Conflict, Forbidden, NotFound, field_error
from xiaoan.core.history import stamp
from xiaoan.core.ids import record_id
from xiaoan.core.registers import home_unit, place_fits
from xiaoan.core.scoping import has_permission_anywhere
from xiaoan.core.services import clean_text, ensure_in_scope
from xiaoan.core.workflow import begin
from xiaoan.orgs.models import Place, Unit, ancestor_paths
from xiaoan.risks import grading
from xiaoan.risks.choices import (
    CheckResult,
    ControlLevel,
    Frequency,
    MeasureKind,
    Method,
    RiskAction,
    RiskGrade,
    RiskStatus,
)
from xiaoan.risks.models import (
    ControlCheck,
    ControlMeasure,
    RiskAssessment,
    RiskPoint,
    RiskSetting,
)
from xiaoan.risks.reassessment import flag, is_major

VIEW, ADD, CHANGE, ASSESS, CHECK, EXPORT = (
    "risks.view_riskpoint",
    "risks.add_riskpoint",
    "risks.change_riskpoint",
    "risks.assess_riskpoint",
    "risks.check_riskpoint",
    "risks.export_riskpoint",
)
MAX_MEASURES = 30


def _workflow():
    from xiaoan.risks.workflow import RISK_POINT

    return RISK_POINT


def _choice(value: Any, choices: Any, field: str, label: str) -> str:
    if value not in choices.values:
        raise field_error(_("请选择%(what)s。") % {"what": label}, field)
    return str(value)


# ---------------------------------------------------------------- method per unit


def method_for(unit: Unit) -> str:
    """The unit's assessment method: its own setting, else the nearest unit above with one."""
    paths = ancestor_paths(unit.path)
    found = dict(
        RiskSetting.objects.filter(unit__path__in=paths).values_list("unit__path", "method")
    )
    for path in reversed(paths):
        if path in found:
            return found[path]
    return Method.LS


@transaction.atomic
def set_method(actor: Any, unit: Any, *, method: str, version: int | None = None) -> RiskSetting:
    """The unit's choice of method (whoever may change its risk points). Earlier
    assessments keep the method they used."""
    target = _unit(actor, unit, CHANGE)
    method = _choice(method, Method, "method", _("评估方法"))
    setting = RiskSetting.objects.select_for_update().filter(unit=target).first()
    if setting is None:
        if version not in (None, 0):
            raise Conflict()
        setting = RiskSetting(unit=target, method=method, version=1)
    else:
        if version is not None and version != setting.version:
            raise Conflict()
        setting.method = method
        setting.version += 1
    setting.changed_by, setting.changed_at = actor, timezone.now()
    setting.save()
    from xiaoan.audit import services as audit

    audit.record("change", actor=actor, obj=setting, detail={"method": method})
    return setting


def methods_for(units: list[Unit]) -> dict[int, str]:
    """`method_for` of each unit, in one query."""
    paths = {p for u in units for p in ancestor_paths(u.path)}
    found = dict(
        RiskSetting.objects.filter(unit__path__in=paths).values_list("unit__path", "method")
    )
    out = {}
    for unit in units:
        chosen = [found[p] for p in ancestor_paths(unit.path) if p in found]
        out[unit.pk] = chosen[-1] if chosen else Method.LS
    return out


# ---------------------------------------------------------------- people, units, places


def _unit(actor: Any, unit: Any, perm: str) -> Unit:
    if not has_permission_anywhere(actor, perm):
        raise Forbidden()
    try:
        pk = record_id(getattr(unit, "pk", unit))
    except NotFound:
        pk = None
    target = (
        Unit.objects.with_permission(actor, perm).filter(pk=pk, is_active=True).first()
        if pk is not None
        else None
    )
    if target is None:
        raise field_error(_("单位不存在或不在您的管理范围内。"), "unit")
    return target


def managed_units(actor: Any, perm: str = ADD):
    return Unit.objects.with_permission(actor, perm).filter(is_active=True).order_by("path")


def people_of(unit: Unit):
    """Who may own a risk point or a measure: the active people of the unit's school."""
    from xiaoan.accounts.models import User

    return User.objects.filter(
        is_active=True, unit__path__startswith=home_unit(unit).path
    ).order_by("name", "pk")


def _person(unit: Unit, value: Any, field: str, required: bool) -> Any:
    if value in (None, ""):
        if required:
            raise field_error(_("请选择责任人。"), field)
        return None
    try:
        pk = record_id(getattr(value, "pk", value))
    except NotFound:
        pk = None
    person = people_of(unit).filter(pk=pk).first() if pk is not None else None
    if person is None:
        raise field_error(_("责任人须为本校的人员。"), field)
    return person


def _place(unit: Unit, value: Any) -> Place | None:
    if value in (None, ""):
        return None
    try:
        pk = record_id(getattr(value, "pk", value))
    except NotFound:
        pk = None
    place = Place.objects.select_related("unit").filter(pk=pk).first() if pk else None
    if place is None or not place_fits(place, unit):
        raise field_error(_("场所不属于该单位。"), "place")
    return place


# ---------------------------------------------------------------- risk points

EDITABLE = ("name", "domain", "hazardous_event", "place", "location", "owner")


def _fields(unit: Unit, values: dict[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    if "name" in values:
        clean["name"] = clean_text(values["name"], "name", _("风险点名称"), 100)
    if "domain" in values:
        clean["domain"] = _choice(values["domain"], SafetyDomain, "domain", _("领域"))
    if "hazardous_event" in values:
        clean["hazardous_event"] = clean_text(
            values["hazardous_event"], "hazardous_event", _("危险事件"), 1000
        )
    if "place" in values:
        clean["place"] = _place(unit, values["place"])
    if "location" in values:
        clean["location"] = clean_text(
            values["location"], "location", _("具体位置"), 200, required=False
        )
    if "owner" in values:
        clean["owner"] = _person(unit, values["owner"], "owner", required=False)
    return clean


@transaction.atomic
def create(
    actor: Any,
    *,
    unit: Any,
    name: str,
    domain: str,
    hazardous_event: str,
    place: Any = None,
    location: str = "",
    owner: Any = None,
) -> RiskPoint:
    """登记风险点 (not yet graded: an assessment follows)."""
    target = _unit(actor, unit, ADD)
    values = _fields(
        target,
        {
            "name": name,
            "domain": domain,
            "hazardous_event": hazardous_event,
            "place": place,
            "location": location,
            "owner": owner,
        },
    )
    point = RiskPoint(unit=target, **values)
    stamp(point, actor)
    _workflow().advance(point, actor, RiskAction.CREATE, to=None, created=True)
    ensure_in_scope(actor, point, "add")
    return point


@transaction.atomic
def edit(actor: Any, pk: Any, *, version: int | None = None, **values: Any) -> RiskPoint:
    point = begin(actor, RiskPoint, pk, "edit", version)
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise field_error(_("该项不能修改。"), sorted(unknown)[0])
    clean = _fields(point.unit, values)
    changed = [n for n, v in clean.items() if getattr(point, n) != v]
    if not changed:
        raise field_error(_("没有需要修改的内容。"), "name")
    for name, value in clean.items():
        setattr(point, name, value)
    stamp(point, actor)
    labels = "、".join(str(RiskPoint._meta.get_field(n).verbose_name) for n in changed)
    _workflow().advance(point, actor, RiskAction.EDIT, note=_("修改：%(f)s") % {"f": labels})
    return point


def _decimal(value: Any, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip()[:12])
    except (InvalidOperation, ValueError):
        raise field_error(_("须为数字。"), field) from None
    if not number.is_finite():
        raise field_error(_("须为数字。"), field)
    return number


def score(
    method: str,
    *,
    likelihood: Any,
    severity: Any = None,
    exposure: Any = None,
    consequence: Any = None,
) -> tuple[dict[str, Any], Decimal, str]:
    """The factors checked against the method's value sets, the value and the grade."""
    l_value = _decimal(likelihood, "likelihood")
    if method == Method.LEC:
        e_value, c_value = _decimal(exposure, "exposure"), _decimal(consequence, "consequence")
        if l_value not in grading.LEC_L:
            raise field_error(_("L 须为 10、6、3、1、0.5、0.2、0.1 之一。"), "likelihood")
        if e_value not in grading.LEC_E:
            raise field_error(_("E 须为 10、6、3、2、1、0.5 之一。"), "exposure")
        if c_value not in grading.LEC_C:
            raise field_error(_("C 须为 100、40、15、7、3、1 之一。"), "consequence")
        value = l_value * e_value * c_value
        factors = {
            "likelihood": l_value,
            "exposure": e_value,
            "consequence": int(c_value),
            "severity": None,
        }
    else:
        s_value = _decimal(severity, "severity")
        if l_value not in grading.LS_VALUES:
            raise field_error(_("可能性 L 须为 1–5 的整数。"), "likelihood")
        if s_value not in grading.LS_VALUES:
            raise field_error(_("严重性 S 须为 1–5 的整数。"), "severity")
        value = l_value * s_value
        factors = {
            "likelihood": l_value,
            "severity": int(s_value),
            "exposure": None,
            "consequence": None,
        }
    return factors, value, grading.grade(method, value)


@transaction.atomic
def assess(
    actor: Any,
    pk: Any,
    *,
    likelihood: Any,
    severity: Any = None,
    exposure: Any = None,
    consequence: Any = None,
    note: str = "",
    version: int | None = None,
) -> RiskAssessment:
    """风险评估 by the unit's method; clears a pending re-assessment."""
    point = begin(actor, RiskPoint, pk, "assess", version)
    method = method_for(point.unit)
    factors, value, grade = score(
        method,
        likelihood=likelihood,
        severity=severity,
        exposure=exposure,
        consequence=consequence,
    )
    now = timezone.now()
    row = RiskAssessment.objects.create(
        risk_point=point,
        method=method,
        value=value,
        grade=grade,
        note=clean_text(note, "note", _("评估说明"), required=False),
        assessed_by=actor,
        assessed_at=now,
        **factors,
    )
    before = point.grade
    point.method, point.risk_value, point.grade, point.assessed_at = method, value, grade, now
    point.reassessment_due, point.reassessment_reason = False, ""
    stamp(point, actor)
    _workflow().advance(
        point,
        actor,
        RiskAction.ASSESS,
        note=_("%(m)s %(f)s，风险值 %(v)s：%(g)s")
        % {
            "m": Method(method).label,
            "f": row.factors,
            "v": f"{value.normalize():f}",
            "g": RiskGrade(grade).label,
        },
        data={"assessment": row.pk, "grade": [before, grade]},
    )
    return row


@transaction.atomic
def retire(actor: Any, pk: Any, *, note: str = "", version: int | None = None) -> RiskPoint:
    point = begin(actor, RiskPoint, pk, "retire", version)
    note = clean_text(note, "note", _("撤销原因"), 500)
    stamp(point, actor)
    _workflow().advance(point, actor, RiskAction.RETIRE, note=note)
    _measure_owners_changed(point)
    return point


@transaction.atomic
def restore(actor: Any, pk: Any, *, note: str = "", version: int | None = None) -> RiskPoint:
    point = begin(actor, RiskPoint, pk, "restore", version)
    stamp(point, actor)
    _workflow().advance(
        point,
        actor,
        RiskAction.RESTORE,
        note=clean_text(note, "note", _("说明"), 500, required=False),
    )
    _measure_owners_changed(point)
    return point


def _measure_owners_changed(point: RiskPoint) -> None:
    """The to-dos of the measures' people are kept by their own units."""
    units = point.measures.filter(active=True).values_list("owner__unit_id", flat=True)
    freshness.changed([point.unit_id, *units])


# ---------------------------------------------------------------- measures


def add_period(day: dt.date, frequency: str) -> dt.date:
    """One `frequency` after `day` (a month on the 31st ends on the month's last day)."""
    if frequency == Frequency.DAILY:
        return day + dt.timedelta(days=1)
    if frequency == Frequency.WEEKLY:
        return day + dt.timedelta(days=7)
    months = {
        Frequency.MONTHLY: 1,
        Frequency.QUARTERLY: 3,
        Frequency.SEMESTER: 6,
        Frequency.YEARLY: 12,
    }[Frequency(frequency)]
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _measure(point: RiskPoint, value: Any, *, active: bool | None = True) -> ControlMeasure:
    try:
        pk = record_id(getattr(value, "pk", value))
        rows = point.measures.select_for_update().select_related("owner")
        if active is not None:
            rows = rows.filter(active=active)
        return rows.get(pk=pk)
    except (NotFound, ControlMeasure.DoesNotExist):
        raise field_error(_("找不到该管控措施。"), "measure") from None


@transaction.atomic
def add_measure(
    actor: Any,
    pk: Any,
    *,
    kind: str,
    text: str,
    level: str,
    owner: Any,
    frequency: str,
    version: int | None = None,
) -> ControlMeasure:
    """A control measure given to a person of the school; its first check falls due one
    frequency from today."""
    point = begin(actor, RiskPoint, pk, "add_measure", version)
    if point.measures.filter(active=True).count() >= MAX_MEASURES:
        raise field_error(
            _("每个风险点最多 %(n)d 条在用的管控措施。") % {"n": MAX_MEASURES}, "text"
        )
    frequency = _choice(frequency, Frequency, "frequency", _("检查频次"))
    measure = ControlMeasure.objects.create(
        risk_point=point,
        kind=_choice(kind, MeasureKind, "kind", _("措施类型")),
        text=clean_text(text, "text", _("管控措施"), 1000),
        level=_choice(level, ControlLevel, "level", _("管控层级")),
        owner=_person(point.unit, owner, "owner", required=True),
        frequency=frequency,
        next_due=add_period(timezone.localdate(), frequency),
    )
    freshness.changed([measure.owner.unit_id])
    stamp(point, actor)
    _workflow().advance(
        point,
        actor,
        RiskAction.ADD_MEASURE,
        note=_("%(kind)s：%(text)s（%(who)s，%(f)s）")
        % {
            "kind": measure.get_kind_display(),
            "text": measure.text[:200],
            "who": measure.owner.display_name,
            "f": measure.get_frequency_display(),
        },
        data={"measure": measure.pk},
    )
    return measure


@transaction.atomic
def remove_measure(
    actor: Any, pk: Any, *, measure: Any, note: str = "", version: int | None = None
) -> ControlMeasure:
    """停用: the measure and its checks are kept; it is no longer due."""
    point = begin(actor, RiskPoint, pk, "remove_measure", version)
    row = _measure(point, measure)
    row.active = False
    row.save(update_fields=["active"])
    freshness.changed([row.owner.unit_id])
    stamp(point, actor)
    _workflow().advance(
        point,
        actor,
        RiskAction.REMOVE_MEASURE,
        note=clean_text(note, "note", _("停用原因"), 500, required=False) or row.text[:200],
        data={"measure": row.pk},
    )
    return row


@transaction.atomic
def change_measure(
    actor: Any,
    pk: Any,
    *,
    measure: Any,
    owner: Any,
    frequency: str,
    level: str,
    text: str = "",
    version: int | None = None,
) -> ControlMeasure:
    """改交 (hand a measure to another person of the school) or change its level, frequency or
    wording; a new frequency counts from the last check (or from today when never checked)."""
    point = begin(actor, RiskPoint, pk, "change_measure", version)
    row = _measure(point, measure)
    before = {
        "owner": row.owner_id,
        "frequency": row.frequency,
        "level": row.level,
        "text": row.text,
    }
    person = _person(point.unit, owner, "owner", required=True)
    row.frequency = _choice(frequency, Frequency, "frequency", _("检查频次"))
    row.level = _choice(level, ControlLevel, "level", _("管控层级"))
    if str(text or "").strip():
        row.text = clean_text(text, "text", _("管控措施"), 1000)
    if row.frequency != before["frequency"]:
        start = (
            timezone.localtime(row.last_checked_at).date()
            if row.last_checked_at
            else timezone.localdate()
        )
        row.next_due = add_period(start, row.frequency)
    old_unit = row.owner.unit_id
    row.owner = person
    after = {"owner": person.pk, "frequency": row.frequency, "level": row.level, "text": row.text}
    if after == before:
        raise field_error(_("没有需要修改的内容。"), "owner")
    row.save(update_fields=["owner", "frequency", "level", "text", "next_due"])
    freshness.changed([old_unit, person.unit_id])
    stamp(point, actor)
    _workflow().advance(
        point,
        actor,
        RiskAction.CHANGE_MEASURE,
        note=_("%(text)s：%(who)s，%(f)s")
        % {
            "text": row.text[:200],
            "who": person.display_name,
            "f": row.get_frequency_display(),
        },
        data={"measure": row.pk, "before": before},
    )
    return row


def has_active_measure(actor: Any, point: RiskPoint) -> bool:
    return point.measures.filter(active=True).exists()


# ---------------------------------------------------------------- control checks


def may_check(actor: Any, point: RiskPoint) -> bool:
    """The person of one of its active measures, or who holds the check right at its unit."""
    if not getattr(actor, "is_authenticated", False):
        return False
    if point.measures.filter(active=True, owner_id=actor.pk).exists():
        return True
    return (
        RiskPoint.objects.restrict(actor, "check").filter(pk=point.pk).exists()
        and point.measures.filter(active=True).exists()
    )


def checks_as_owner(user: Any) -> bool:
    """Whether a person without risk rights reaches the pages and API as a measure's person."""
    return (
        getattr(user, "is_authenticated", False)
        and ControlMeasure.objects.filter(owner_id=user.pk, active=True).exists()
    )


def checkable_measures(actor: Any, point: RiskPoint):
    """The active measures of `point` that `actor` may check."""
    rows = point.measures.filter(active=True).select_related("owner")
    if RiskPoint.objects.restrict(actor, "check").filter(pk=point.pk).exists():
        return rows
    return rows.filter(owner_id=actor.pk)


def _key(value: Any) -> str:
    key = str(value or "").strip()
    if len(key) > 64:
        raise field_error(_("请求标识过长。"), "idempotency_key")
    return key


def record_check(
    actor: Any,
    pk: Any,
    *,
    measure: Any,
    result: str,
    note: str = "",
    photos: Sequence = (),
    idempotency_key: str = "",
    version: int | None = None,
) -> ControlCheck:
    """管控检查 from a phone. A retry with the same key returns the first check."""
    key = _key(idempotency_key)
    if key:
        done = ControlCheck.objects.filter(checked_by_id=actor.pk, key=key).first()
        if done is not None:
            return done
    try:
        return _record_check(actor, pk, measure, result, note, photos, key, version)
    except IntegrityError:
        done = ControlCheck.objects.filter(checked_by_id=actor.pk, key=key).first() if key else None
        if done is None:
            raise
        return done


@transaction.atomic
def _record_check(
    actor: Any,
    pk: Any,
    measure: Any,
    result: str,
    note: str,
    photos: Sequence,
    key: str,
    version: int | None,
) -> ControlCheck:
    from xiaoan.core.photos import clean_photo

    # Version is not checked: two people checking two measures of a point are not stale.
    point = begin(actor, RiskPoint, pk, "record_check", None)
    row = _measure(point, measure)
    if not checkable_measures(actor, point).filter(pk=row.pk).exists():
        raise Forbidden(_("只有该措施的责任人或有管控检查权限的人员可以检查。"))
    result = _choice(result, CheckResult, "result", _("检查结果"))
    note = clean_text(note, "note", _("检查情况"), 1000, required=result == CheckResult.FAILED)
    photos = [p for p in (photos or ()) if p]
    if len(photos) > 1:
        raise field_error(_("每次检查最多一张照片。"), "photos")
    check = ControlCheck(
        measure=row,
        risk_point=point,
        result=result,
        note=note,
        checked_by=actor,
        checked_at=timezone.now(),
        key=key,
    )
    content = None
    if photos:
        content, _w, _h = clean_photo(photos[0])
        check.photo.save("check.jpg", content, save=False)
    with transaction.atomic():
        check.save()
    row.last_checked_at = check.checked_at
    row.next_due = add_period(timezone.localdate(), row.frequency)
    row.save(update_fields=["last_checked_at", "next_due"])
    data: dict[str, Any] = {"measure": row.pk, "check": check.pk, "result": result}
    if result == CheckResult.FAILED:
        # The check's photo is the hazard's before-photo too (the ledger keeps its own copy).
        evidence = []
        if content is not None:
            content.seek(0)
            evidence = [content]
        check.hazard = _raise_hazard(actor, point, row, check, evidence)
        check.save(update_fields=["hazard"])
        data["hazard"] = check.hazard_id
        if is_major(check.hazard):
            flag(point, _("管控检查发现重大隐患 %(n)s") % {"n": check.hazard.number})
            data["flagged"] = True
    freshness.changed([row.owner.unit_id])
    stamp(point, actor)
    _workflow().advance(
        point,
        actor,
        RiskAction.RECORD_CHECK,
        note=_("%(m)s：%(r)s。%(n)s")
        % {"m": row.text[:100], "r": check.get_result_display(), "n": note[:300]},
        data=data,
    )
    return check


def _raise_hazard(
    actor: Any,
    point: RiskPoint,
    measure: ControlMeasure,
    check: ControlCheck,
    photos: Sequence = (),
) -> Any:
    from xiaoan.hazards import services as hazard_services
    from xiaoan.hazards.choices import HazardSource

    # The measure's person is the authority for their check (as an inspector is for an
    # inspection): the finding lands in the unit's ledger, once per check (the key).
    place = f"（{point.place}）" if point.place_id else ""
    return hazard_services.record_finding(
        actor,
        point.unit,
        description=_("风险点“%(p)s”%(place)s管控措施未落实：%(m)s。%(n)s")
        % {"p": point.name, "place": place, "m": measure.text[:300], "n": check.note},
        source=HazardSource.RISK_CHECK,
        domain=point.domain,
        category=str(_("风险管控检查")),
        idempotency_key=f"risk-check-{check.pk}",
        found_at=check.checked_at,
        photos=photos,
    )


# ---------------------------------------------------------------- reading


def load(actor: Any, pk: Any) -> RiskPoint:
    try:
        pk = record_id(pk)
    except NotFound:
        raise NotFound() from None
    point = (
        RiskPoint.objects.restrict(actor, "view")
        .select_related("unit", "place", "owner", "plan")
        .filter(pk=pk)
        .first()
    )
    if point is None:
        raise NotFound()
    return point


def measures_of(point: RiskPoint, *, all_rows: bool = False) -> list[ControlMeasure]:
    rows = point.measures.select_related("owner").order_by("-active", "pk")
    return list(rows if all_rows else rows.filter(active=True))


def assessments_of(point: RiskPoint) -> list[RiskAssessment]:
    return list(point.assessments.select_related("assessed_by"))


def checks_of(point: RiskPoint, limit: int = 100) -> list[ControlCheck]:
    return list(point.checks.select_related("measure", "checked_by", "hazard")[:limit])


def due_measures(user: Any, today: dt.date | None = None):
    """The person's measures whose check is due today or overdue (active points only)."""
    today = today or timezone.localdate()
    return ControlMeasure.objects.filter(
        owner_id=user.pk,
        active=True,
        risk_point__status=RiskStatus.ACTIVE,
        next_due__lte=today,
    )


def hazard_origin(user: Any, hazard: Any) -> tuple[str, str] | None:
    """The risk point whose failed control check found the hazard, when the person may see it."""
    from django.urls import reverse

    found = ControlCheck.objects.filter(hazard_id=hazard.pk).values_list("risk_point_id", flat=True)
    point = RiskPoint.objects.restrict(user, "view").filter(pk__in=found).first()
    if point is None:
        return None
    return (
        _("风险点管控检查：%(p)s") % {"p": point.name},
        reverse("risks:riskpoint_detail", args=[point.pk]),
    )
