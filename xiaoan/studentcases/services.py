"""The rules of student safety cases, shared by the pages, the API and the demo.

- A case is recorded at a school by someone holding `studentcases.add_studentcase` by a role
  at that school (xiaoan.studentcases.access); it names the 包保 responsible person (one of
  the school's people). Follow-up notes are appended by the named people or the role's
  holders, never changed; closing needs the role.
- Every read of a case (page, API record, list, export) writes an audit entry
  (`other` with `read` in its detail, `export` for an export), naming the records by their
  numbers only.
- Bullying cases move through 认定 → 复查 → 复核 (xiaoan.studentcases.workflow) within the
  limits of xiaoan.studentcases.deadlines: the school determines and records the requests,
  the county-level reviewer decides the 复查 and the city-level one the 复核 (they see the
  cases open to their step only, xiaoan.studentcases.access); `awaiting` is each one's work.
- A semester's conflict screening (矛盾纠纷排查) lists the cases it found at that school."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.accounts.models import User
from xiaoan.audit import services as audit
from xiaoan.core.errors import Conflict, Forbidden, NotFound, field_error
from xiaoan.core.ids import record_id
from xiaoan.core.scoping import scope_filter
from xiaoan.core.services import clean_text
from xiaoan.core.workflow import begin
from xiaoan.orgs.models import Unit
from xiaoan.studentcases import deadlines
from xiaoan.studentcases.access import (
    COUNT,
    REEXAMINE,
    REVIEW,
    SCHOOL,
    review_scope,
    reviews_anywhere,
    role_schools,
)
from xiaoan.studentcases.choices import BullyingStatus, CaseCategory, CaseStatus
from xiaoan.studentcases.models import (
    BullyingCase,
    ConflictScreening,
    FollowUp,
    StudentCase,
)

ADD = "studentcases.add_studentcase"
ADD_BULLYING = "studentcases.add_bullyingcase"
ADD_SCREENING = "studentcases.add_conflictscreening"
MAX_SCREENING_CASES = 500


# ---------------------------------------------------------------- reads (audited)


def audit_read(actor: Any, records: Iterable[Any], how: str, *, export: bool = False) -> None:
    """One audit entry per read: a record page or API record names its record; a list or an
    export names the records it showed (their numbers, never a name)."""
    records = list(records)
    detail = {"read": how, "count": len(records)}
    if len(records) == 1 and not export:
        audit.record("other", actor=actor, obj=records[0], detail=detail)
        return
    detail["records"] = [str(r) for r in records[:500]]
    unit = records[0].unit_id if len({r.unit_id for r in records}) == 1 else None
    audit.record("export" if export else "other", actor=actor, unit=unit, detail=detail)


def visible(actor: Any, model: type = StudentCase):
    return model.objects.restrict(actor, "view")


def may_list(actor: Any, model: type = StudentCase) -> bool:
    """Those holding the role at some school, or named on some record."""
    perm = f"studentcases.view_{model._meta.model_name}"
    if role_schools(actor, perm):
        return True
    if model is BullyingCase and reviews_anywhere(actor):
        return True
    return model.objects.named(actor).exists()


def load(actor: Any, pk: Any, *, how: str = "", model: type = StudentCase) -> Any:
    """The record if `actor` may see it (404 otherwise); `how` audits the read."""
    try:
        obj = visible(actor, model).select_related("unit").get(pk=record_id(pk))
    except model.DoesNotExist:
        raise NotFound() from None
    if how:
        audit_read(actor, [obj], how)
    return obj


# ---------------------------------------------------------------- people and schools


def schools_for(actor: Any, perm: str = ADD):
    return Unit.objects.filter(pk__in=role_schools(actor, perm), kind=SCHOOL, is_active=True)


def school_people(unit: Unit):
    """The school's active people (its departments included): who may be named 包保."""
    return User.objects.filter(is_active=True, unit__path__startswith=unit.path).order_by("name")


def _school(actor: Any, unit: Any, perm: str) -> Unit:
    unit_id = getattr(unit, "pk", unit)
    try:
        unit_id = int(unit_id)
    except (TypeError, ValueError):
        raise field_error(_("请选择学校。"), "unit") from None
    if unit_id not in role_schools(actor, perm):
        raise Forbidden(_("只有本校学生安全专员（或校长）可以登记。"))
    return Unit.objects.get(pk=unit_id)


def _responsible(unit: Unit, person: Any, field: str = "responsible") -> User:
    person_id = getattr(person, "pk", person)
    found = school_people(unit).filter(pk=person_id).first() if person_id else None
    if found is None:
        raise field_error(_("包保责任人须为本校教职工。"), field)
    return found


# ---------------------------------------------------------------- student cases


@transaction.atomic
def create_case(
    actor: Any,
    *,
    unit: Any,
    category: str,
    student_name: str,
    class_name: str,
    situation: str,
    responsible: Any,
    guardian_contact: str = "",
) -> StudentCase:
    school = _school(actor, unit, ADD)
    if category not in CaseCategory.values:
        raise field_error(_("请选择类别。"), "category")
    case = StudentCase.objects.create(
        unit=school,
        category=category,
        student_name=clean_text(student_name, "student_name", _("学生姓名"), 50),
        class_name=clean_text(class_name, "class_name", _("班级"), 50),
        guardian_contact=clean_text(
            guardian_contact, "guardian_contact", _("监护人及联系方式"), 100, required=False
        ),
        situation=clean_text(situation, "situation", _("情况说明"), 2000),
        responsible=_responsible(school, responsible),
        recorded_by=actor,
    )
    audit.record("create", actor=actor, obj=case, detail={"category": category})
    return case


@transaction.atomic
def add_followup(actor: Any, pk: Any, *, text: str) -> FollowUp:
    case = load(actor, pk)
    if not StudentCase.objects.restrict(actor, "followup").filter(pk=case.pk).exists():
        raise Forbidden()
    case = StudentCase.objects.select_for_update().get(pk=case.pk)
    if case.status == CaseStatus.CLOSED:
        raise Conflict(_("个案已结案，不能再添加跟进记录。"))
    note = FollowUp.objects.create(
        case=case, author=actor, text=clean_text(text, "text", _("跟进情况"), 2000)
    )
    case.version += 1
    case.save(update_fields=["version", "updated_at"])
    audit.record("change", actor=actor, obj=case, detail={"followup": note.pk})
    return note


@transaction.atomic
def close_case(actor: Any, pk: Any, *, note: str, version: int | None = None) -> StudentCase:
    case = load(actor, pk)
    if not StudentCase.objects.restrict(actor, "close").filter(pk=case.pk).exists():
        raise Forbidden()
    case = StudentCase.objects.select_for_update().get(pk=case.pk)
    if version is not None and version != case.version:
        raise Conflict(_("该个案已有变化，请刷新后查看最新状态。"))
    if case.status == CaseStatus.CLOSED:
        raise Conflict(_("个案已结案。"))
    case.close_note = clean_text(note, "note", _("结案说明"), 500)
    case.status = CaseStatus.CLOSED
    case.closed_at = timezone.now()
    case.version += 1
    case.save()
    audit.record("transition", actor=actor, obj=case, detail={"from": "open", "to": "closed"})
    return case


def followups_of(case: StudentCase) -> list[FollowUp]:
    return list(case.followups.select_related("author").order_by("created_at", "id"))


# ---------------------------------------------------------------- counts (no names)


def counts(actor: Any) -> list[dict[str, Any]]:
    """Per school in the actor's count scope: open and closed cases, by category, and open
    bullying cases — figures only."""
    schools = list(
        Unit.objects.filter(scope_filter(actor, COUNT, ""), kind=SCHOOL)
        .order_by("path")
        .values("pk", "name")
    )
    ids = [s["pk"] for s in schools]
    by_unit: dict[int, dict[str, Any]] = {
        s["pk"]: {
            "unit": s["pk"],
            "unit_name": s["name"],
            "open": 0,
            "closed": 0,
            "by_category": {c: 0 for c in CaseCategory.values},
            "bullying_open": 0,
        }
        for s in schools
    }
    rows = (
        StudentCase.objects.filter(unit_id__in=ids)
        .values("unit_id", "status", "category")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        entry = by_unit[row["unit_id"]]
        entry[row["status"]] += row["n"]
        if row["status"] == CaseStatus.OPEN:
            entry["by_category"][row["category"]] += row["n"]
    bullying = (
        BullyingCase.objects.filter(unit_id__in=ids)
        .exclude(status=BullyingStatus.CLOSED)
        .values("unit_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in bullying:
        by_unit[row["unit_id"]]["bullying_open"] = row["n"]
    return [by_unit[i] for i in ids]


# ---------------------------------------------------------------- bullying


@transaction.atomic
def report_bullying(
    actor: Any,
    *,
    unit: Any,
    reported_on: dt.date,
    victim_name: str,
    accused_names: str,
    description: str,
    responsible: Any,
    case: Any = None,
) -> BullyingCase:
    from xiaoan.studentcases.workflow import BULLYING

    school = _school(actor, unit, ADD_BULLYING)
    if not isinstance(reported_on, dt.date) or reported_on > timezone.localdate():
        raise field_error(_("报告日期不能晚于今天。"), "reported_on")
    linked = None
    if case:
        linked = StudentCase.objects.filter(pk=getattr(case, "pk", case), unit=school).first()
        if linked is None:
            raise field_error(_("关联个案须为本校个案。"), "case")
    bullying = BullyingCase.objects.create(
        unit=school,
        case=linked,
        reported_on=reported_on,
        victim_name=clean_text(victim_name, "victim_name", _("受害学生"), 50),
        accused_names=clean_text(accused_names, "accused_names", _("涉事学生"), 200),
        description=clean_text(description, "description", _("事件经过"), 2000),
        responsible=_responsible(school, responsible),
        recorded_by=actor,
    )
    BULLYING.advance(bullying, actor, "report", to=None, created=True)
    return bullying


def _day(value: Any, field: str, after: dt.date | None) -> dt.date:
    day = value or timezone.localdate()
    if not isinstance(day, dt.date) or day > timezone.localdate():
        raise field_error(_("日期不能晚于今天。"), field)
    if after is not None and day < after:
        raise field_error(_("日期不能早于上一步。"), field)
    return day


def _advance(obj: BullyingCase, actor: Any, name: str, data: dict | None = None, to=None):
    from xiaoan.core.workflow import DECLARED
    from xiaoan.studentcases.workflow import BULLYING

    return BULLYING.advance(obj, actor, name, data=data or {}, to=to or DECLARED)


@transaction.atomic
def determine(
    actor: Any,
    pk: Any,
    *,
    version: int | None = None,
    is_bullying: bool,
    determination: str,
    on: dt.date | None = None,
) -> BullyingCase:
    obj = begin(actor, BullyingCase, pk, "determine", version)
    obj.determination = clean_text(determination, "determination", _("认定意见"), 2000)
    obj.is_bullying = bool(is_bullying)
    obj.determined_on = _day(on, "on", obj.reported_on)
    late = deadlines.days_late(obj.reported_on, deadlines.DETERMINE_DAYS, obj.determined_on)
    _advance(obj, actor, "determine", {"days_late": late, "is_bullying": obj.is_bullying})
    return obj


@transaction.atomic
def request_review(
    actor: Any, pk: Any, *, version: int | None = None, on: dt.date | None = None
) -> BullyingCase:
    obj = begin(actor, BullyingCase, pk, "request_review", version)
    day = _day(on, "on", obj.determined_on)
    if deadlines.days_late(obj.determined_on, deadlines.REVIEW_REQUEST_DAYS, day):
        raise field_error(
            _("已超过申请复查期限（认定后 %(n)d 日内）。") % {"n": deadlines.REVIEW_REQUEST_DAYS},
            "on",
        )
    obj.review_requested_on = day
    _advance(obj, actor, "request_review")
    return obj


@transaction.atomic
def review(
    actor: Any, pk: Any, *, version: int | None = None, result: str, on: dt.date | None = None
) -> BullyingCase:
    obj = begin(actor, BullyingCase, pk, "review", version)
    obj.review_result = clean_text(result, "result", _("复查结论"), 2000)
    obj.reviewed_on = _day(on, "on", obj.review_requested_on)
    late = deadlines.days_late(
        obj.review_requested_on, deadlines.REVIEW_DECIDE_DAYS, obj.reviewed_on
    )
    _advance(obj, actor, "review", {"days_late": late})
    return obj


@transaction.atomic
def request_reexam(
    actor: Any, pk: Any, *, version: int | None = None, on: dt.date | None = None
) -> BullyingCase:
    obj = begin(actor, BullyingCase, pk, "request_reexam", version)
    day = _day(on, "on", obj.reviewed_on)
    if deadlines.days_late(obj.reviewed_on, deadlines.REEXAM_REQUEST_DAYS, day):
        raise field_error(
            _("已超过申请复核期限（复查后 %(n)d 日内）。") % {"n": deadlines.REEXAM_REQUEST_DAYS},
            "on",
        )
    obj.reexam_requested_on = day
    _advance(obj, actor, "request_reexam")
    return obj


@transaction.atomic
def reexamine(
    actor: Any, pk: Any, *, version: int | None = None, result: str, on: dt.date | None = None
) -> BullyingCase:
    obj = begin(actor, BullyingCase, pk, "reexamine", version)
    obj.reexam_result = clean_text(result, "result", _("复核结论"), 2000)
    obj.reexamined_on = _day(on, "on", obj.reexam_requested_on)
    late = deadlines.days_late(
        obj.reexam_requested_on, deadlines.REEXAM_DECIDE_DAYS, obj.reexamined_on
    )
    _advance(obj, actor, "reexamine", {"days_late": late})
    return obj


@transaction.atomic
def close_bullying(actor: Any, pk: Any, *, version: int | None = None) -> BullyingCase:
    """Closed once no request came (or none may come any more): the determination or the
    review stands."""
    obj = begin(actor, BullyingCase, pk, "close", version)
    _advance(obj, actor, "close")
    return obj


HANDLE = "studentcases.handle_bullyingcase"
# What waits at each step: (its status, the date its clock runs from, its limit in days).
STEPS = {
    "determine": (BullyingStatus.REPORTED, "reported_on", deadlines.DETERMINE_DAYS),
    "review": (
        BullyingStatus.REVIEW_REQUESTED,
        "review_requested_on",
        deadlines.REVIEW_DECIDE_DAYS,
    ),
    "reexamine": (
        BullyingStatus.REEXAM_REQUESTED,
        "reexam_requested_on",
        deadlines.REEXAM_DECIDE_DAYS,
    ),
}


def _step_scope(actor: Any, step: str) -> Q | None:
    """The cases `actor` decides at `step`, wherever they are in it; None: nowhere."""
    if step == "determine":
        schools = role_schools(actor, HANDLE)
        return Q(unit_id__in=schools) if schools else None
    return review_scope(actor, REVIEW if step == "review" else REEXAMINE)


def awaiting(actor: Any, step: str):
    """The bullying cases waiting for `actor`'s decision at `step` ("determine": the school's
    role; "review": the county reviewer; "reexamine": the city reviewer)."""
    scope = _step_scope(actor, step)
    if scope is None:
        return BullyingCase.objects.none()
    return BullyingCase.objects.filter(scope, status=STEPS[step][0])


def decides(actor: Any, step: str) -> bool:
    """Whether `actor` decides `step` anywhere (the school's role, or a reviewer)."""
    return _step_scope(actor, step) is not None


def late_filter(step: str, today: dt.date | None = None) -> Q:
    """Those of `awaiting(…, step)` past their deadline (xiaoan.studentcases.deadlines)."""
    today = today or timezone.localdate()
    _status, start, days = STEPS[step]
    return Q(**{f"{start}__lt": today - dt.timedelta(days=days)})


def events_of(obj: BullyingCase) -> list:
    return list(obj.events.select_related("actor").order_by("created_at", "id"))


# ---------------------------------------------------------------- conflict screenings


@transaction.atomic
def record_screening(
    actor: Any,
    *,
    unit: Any,
    semester: str,
    screened_on: dt.date,
    summary: str = "",
    cases: Iterable[Any] = (),
) -> ConflictScreening:
    school = _school(actor, unit, ADD_SCREENING)
    semester = clean_text(semester, "semester", _("学期"), 30)
    if not isinstance(screened_on, dt.date) or screened_on > timezone.localdate():
        raise field_error(_("排查日期不能晚于今天。"), "screened_on")
    if ConflictScreening.objects.filter(unit=school, semester=semester).exists():
        raise field_error(_("本校该学期已登记矛盾纠纷排查。"), "semester")
    ids = {getattr(c, "pk", c) for c in cases or ()}
    if len(ids) > MAX_SCREENING_CASES:
        raise field_error(_("个案过多。"), "cases")
    found = list(StudentCase.objects.filter(pk__in=ids, unit=school))
    if len(found) != len(ids):
        raise field_error(_("排查发现的个案须为本校个案。"), "cases")
    screening = ConflictScreening.objects.create(
        unit=school,
        semester=semester,
        screened_on=screened_on,
        summary=clean_text(summary, "summary", _("排查情况"), 2000, required=False),
        recorded_by=actor,
    )
    screening.cases.set(found)
    audit.record("create", actor=actor, obj=screening, detail={"cases": len(found)})
    return screening


def screening_cases(actor: Any, screening: ConflictScreening) -> tuple[list[StudentCase], int]:
    """The screening's cases the actor may see, and how many others it found."""
    all_ids = list(screening.cases.values_list("pk", flat=True))
    shown = list(StudentCase.objects.restrict(actor, "view").filter(pk__in=all_ids).order_by("pk"))
    return shown, len(all_ids) - len(shown)
