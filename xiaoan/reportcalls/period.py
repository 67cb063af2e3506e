"""A unit's figures over a report's period, for its draft (services.draft_figures).

Everything dated is limited to the period: hazards found and closed (the rollup's monthly
counters, a month the period touches counting whole) and the majors among them, inspections
scheduled in the period and done, duty obligations due in it and met, training sessions,
drills and education activities held in it, and the share of the unit's schools each
reached. What has no usable date says as of when it stands: plan tasks as of the period's
end (their history), or as of the day the draft is made when the period has not ended; the
indicators by the year the period ends in.

Each part is shown only when the person holds its view permission at the unit (as the
dashboard decides, reports.figures.allowed) and counts the records they may see. A fixed
number of aggregate queries whatever the number of units below: the schools' coverage of
every part in one query over the schools (an EXISTS per part), never a query per unit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.orgs.choices import UnitKind
from xiaoan.orgs.models import Unit
from xiaoan.reports.figures import Scope, allowed, rate


def day_text(day: dt.date) -> str:
    from xiaoan.core.officialdoc import date_text

    return date_text(day)


# A count with its measure word, as the tables show it.
def n_items(n: int) -> str:
    return _("%(n)d项") % {"n": n}


def n_times(n: int) -> str:
    return _("%(n)d次") % {"n": n}


def n_sessions(n: int) -> str:
    return _("%(n)d场") % {"n": n}


def n_attendances(n: int) -> str:
    return _("%(n)d人次") % {"n": n}


def reach(part: Part, reached: dict[str, int], key: str, label: str) -> str:
    """The schools of a bureau's subtree `key` reached: a row of the part's table, and the
    clause its sentence adds ("" for a school's own report, which reaches only itself)."""
    if key not in reached:
        return ""
    schools, some = reached["schools"], reached[key]
    part.rows.append((label, _("%(k)d所/%(n)d所") % {"k": some, "n": schools}))
    return _("，%(what)s%(k)d所，覆盖率%(rate)s") % {
        "what": label,
        "k": some,
        "rate": percent(rate(some, schools)),
    }


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:g}%"


@dataclass
class Part:
    """One aspect of the report: its table (label, value) and its sentence."""

    key: str
    title: str
    rows: list[tuple[str, str]] = field(default_factory=list)
    sentence: str = ""

    def table(self) -> dict[str, Any]:
        return {"key": self.key, "title": self.title, "rows": [list(r) for r in self.rows]}


@dataclass
class Period:
    actor: Any
    unit: Unit
    start: dt.date
    end: dt.date
    today: dt.date

    @property
    def months(self) -> tuple[dt.date, dt.date]:
        """The first day of the period's first month and the last of its last month."""
        after = (self.end.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        return self.start.replace(day=1), after - dt.timedelta(days=1)

    @property
    def ended(self) -> bool:
        return self.end < self.today

    def scope(self, subtree: bool = True) -> Scope:
        return Scope(user=self.actor, unit=self.unit, subtree=subtree, today=self.today)

    def may(self, perm: str) -> bool:
        return allowed(self.scope(subtree=False), perm)

    def below(self, field_name: str = "unit") -> Q:
        """Records of the unit's subtree, as the dashboard's sections match them."""
        return self.scope().records(field_name)

    def dates(self, field_name: str) -> Q:
        return Q(**{f"{field_name}__gte": self.start, f"{field_name}__lte": self.end})

    @property
    def counts_schools(self) -> bool:
        """A school's own report does not count schools (it would read 1 of 1)."""
        return self.unit.kind != UnitKind.SCHOOL


# ---------------------------------------------------------------- the schools reached


def under_school(rows) -> Any:
    """`rows` of a unit in the subtree of the school of the outer query (OuterRef)."""
    return rows.filter(unit__path__startswith=OuterRef("path"))


def school_coverage(period: Period, reached: dict[str, Any]) -> dict[str, int]:
    """How many active schools the subtree has ("schools") and, for each name of `reached`
    (a queryset of records), how many of them have one such record in their subtree: one
    query, whatever the number of schools."""
    if not period.counts_schools:
        return {}
    schools = Unit.objects.filter(
        path__startswith=period.unit.path, kind=UnitKind.SCHOOL, is_active=True
    ).order_by()
    counts = {
        name: Count("pk", filter=Q(Exists(under_school(rows.order_by()))))
        for name, rows in reached.items()
    }
    return schools.aggregate(schools=Count("pk"), **counts)


# ---------------------------------------------------------------- the parts


def hazard_part(period: Period) -> Part | None:
    from xiaoan.hazards.choices import HazardLevel, HazardStatus
    from xiaoan.hazards.models import Hazard

    if not period.may("hazards.view_hazard"):
        return None
    found, closed = period_hazards(period.unit, period.start, period.end)
    first, last = period.months
    majors = (
        Hazard.objects.restrict(period.actor, "view")
        .filter(period.below(), level=HazardLevel.MAJOR)
        .aggregate(
            found=Count(
                "pk",
                filter=~Q(status=HazardStatus.DISMISSED)
                & Q(found_at__date__gte=first, found_at__date__lte=last),
            ),
            cleared=Count(
                "pk",
                filter=Q(
                    status=HazardStatus.CLOSED,
                    closed_at__date__gte=first,
                    closed_at__date__lte=last,
                ),
            ),
        )
    )
    part = Part("hazards", _("报告期内隐患排查治理（按月统计）"))
    part.rows = [
        (_("发现隐患"), n_items(found)),
        (_("整改销号"), n_items(closed)),
        (_("其中发现重大隐患"), n_items(majors["found"])),
        (_("其中重大隐患整改销号"), n_items(majors["cleared"])),
    ]
    part.sentence = _(
        "报告期内（按月统计），共排查发现隐患%(found)d项，整改销号%(closed)d项；"
        "其中发现重大隐患%(mf)d项，整改销号重大隐患%(mc)d项。"
    ) % {"found": found, "closed": closed, "mf": majors["found"], "mc": majors["cleared"]}
    return part


def period_hazards(unit: Unit, start: dt.date, end: dt.date) -> tuple[int, int]:
    """Hazards found and closed in the unit's subtree during the period, from the monthly
    counters of its hazards rollup (a month the period touches counts whole): one row read,
    however long the period."""
    from xiaoan.reports.models import Rollup

    counters = (
        Rollup.objects.filter(kind="hazards", unit=unit).values_list("subtree", flat=True).first()
        or {}
    )
    months = period_months(start, end)
    found = sum(counters.get(f"f:{month}", 0) for month in months)
    closed = sum(counters.get(f"c:{month}", 0) for month in months)
    return found, closed


def period_months(start: dt.date, end: dt.date) -> list[str]:
    """The months ("YYYY-MM") the period touches."""
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(f"{month:%Y-%m}")
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def inspections_in(period: Period):
    """Inspections of the subtree scheduled in the period, as the person sees them; an
    unannounced visit (暗访) not yet done is left out for everyone, as the dashboard does: the
    unit reads its draft, and counting it would announce it."""
    from xiaoan.inspections.choices import PENDING_STATUSES, InspectionKind
    from xiaoan.inspections.models import Inspection

    return (
        Inspection.objects.restrict(period.actor, "view")
        .filter(period.below(), period.dates("scheduled_on"))
        .exclude(kind=InspectionKind.UNANNOUNCED, status__in=PENDING_STATUSES)
    )


def inspection_part(period: Period, reached: dict[str, int]) -> Part | None:
    from xiaoan.inspections.choices import DONE_STATUSES

    if not period.may("inspections.view_inspection"):
        return None
    counts = (
        inspections_in(period)
        .order_by()
        .aggregate(n=Count("pk"), done=Count("pk", filter=Q(status__in=DONE_STATUSES)))
    )
    n, done = counts["n"], counts["done"]
    part = Part("inspections", _("报告期内检查排查"))
    part.rows = [
        (_("计划检查"), n_times(n)),
        (_("已完成检查"), n_times(done)),
        (_("检查完成率"), percent(rate(done, n))),
    ]
    text = _("报告期内，计划开展安全检查%(n)d次，已完成%(done)d次，完成率%(rate)s") % {
        "n": n,
        "done": done,
        "rate": percent(rate(done, n)),
    }
    if "inspected" in reached:
        schools, inspected = reached["schools"], reached["inspected"]
        part.rows.append((_("检查覆盖学校"), _("%(k)d所/%(n)d所") % {"k": inspected, "n": schools}))
        part.rows.append((_("学校检查覆盖率"), percent(rate(inspected, schools))))
        text += _("；检查覆盖学校%(k)d所（共%(s)d所），覆盖率%(rate)s") % {
            "k": inspected,
            "s": schools,
            "rate": percent(rate(inspected, schools)),
        }
    part.sentence = text + "。"
    return part


def duty_part(period: Period) -> Part | None:
    from xiaoan.duties.choices import ObligationStatus as S
    from xiaoan.duties.services import obligations_for

    if not period.may("duties.view_obligation"):
        return None
    counts = (
        obligations_for(period.actor)
        .filter(period.below(), period.dates("due_on"))
        .order_by()
        .aggregate(
            due=Count("pk"),
            met=Count("pk", filter=Q(status=S.MET)),
            missed=Count("pk", filter=Q(status=S.MISSED)),
            open=Count("pk", filter=Q(status__in=(S.PENDING, S.REVIEW))),
        )
    )
    # Decided ones, as the dashboard counts the rate: one awaiting review is neither yet.
    share = percent(rate(counts["met"], counts["met"] + counts["missed"]))
    part = Part("duties", _("报告期内常态化工作"))
    part.rows = [
        (_("到期事项"), n_items(counts["due"])),
        (_("已按期完成"), n_items(counts["met"])),
        (_("未按期完成"), n_items(counts["missed"])),
        (_("待完成或待审核"), n_items(counts["open"])),
        (_("按期完成率"), share),
    ]
    part.sentence = _(
        "报告期内到期的常态化工作%(due)d项，已按期完成%(met)d项，未按期完成%(missed)d项，"
        "按期完成率%(rate)s。"
    ) % {**counts, "rate": share}
    return part


def sessions_in(period: Period):
    from xiaoan.training.models import TrainingSession

    return TrainingSession.objects.restrict(period.actor, "view").filter(
        period.below(), period.dates("held_on"), retired_at__isnull=True
    )


def attended_in(period: Period):
    """Attendance of the period's sessions (whoever organised them), by the attendee's unit."""
    from xiaoan.training.models import Attendance

    return Attendance.objects.filter(
        session__held_on__gte=period.start,
        session__held_on__lte=period.end,
        session__retired_at__isnull=True,
    )


def training_part(period: Period, reached: dict[str, int]) -> Part | None:
    from xiaoan.training.services import VIEW_PERM, target_people, trained_q

    if not period.may(VIEW_PERM):
        return None
    sessions = sessions_in(period).order_by().aggregate(n=Count("pk"), people=Sum("attendee_count"))
    staff = (
        target_people([period.unit.path])
        .order_by()
        .aggregate(
            total=Count("pk"),
            trained=Count("pk", filter=Q(trained_q(period.start, period.end))),
        )
    )
    n, attended = sessions["n"], sessions["people"] or 0
    share = percent(rate(staff["trained"], staff["total"]))
    part = Part("training", _("报告期内安全培训"))
    part.rows = [
        (_("举办培训"), n_sessions(n)),
        (_("参训人次"), n_attendances(attended)),
        (_("人员参训覆盖率"), share),
    ]
    text = _("报告期内，举办安全培训%(n)d场，参训%(p)d人次，人员参训覆盖率%(share)s") % {
        "n": n,
        "p": attended,
        "share": share,
    }
    text += reach(part, reached, "trained", _("培训覆盖学校"))
    part.sentence = text + "。"
    return part


def drills_in(period: Period):
    """Drills of the subtree held (recorded) in the period."""
    from xiaoan.drills.choices import DrillStatus
    from xiaoan.drills.models import Drill

    return Drill.objects.restrict(period.actor, "view").filter(
        period.below(),
        period.dates("held_on"),
        status__in=(DrillStatus.RECORDED, DrillStatus.EVALUATED),
    )


def drill_part(period: Period, reached: dict[str, int]) -> Part | None:
    from xiaoan.drills.choices import DrillStatus

    if not period.may("drills.view_drill"):
        return None
    counts = (
        drills_in(period)
        .order_by()
        .aggregate(
            n=Count("pk"),
            evaluated=Count("pk", filter=Q(status=DrillStatus.EVALUATED)),
            people=Sum("participants"),
        )
    )
    n, people = counts["n"], counts["people"] or 0
    part = Part("drills", _("报告期内应急演练"))
    part.rows = [
        (_("开展演练"), n_times(n)),
        (_("其中已评估"), n_times(counts["evaluated"])),
        (_("参演人次"), n_attendances(people)),
    ]
    text = _("报告期内，开展应急演练%(n)d次（已评估%(e)d次），参演%(p)d人次") % {
        "n": n,
        "e": counts["evaluated"],
        "p": people,
    }
    text += reach(part, reached, "drilled", _("演练覆盖学校"))
    part.sentence = text + "。"
    return part


def activities_in(period: Period):
    from xiaoan.activities.models import Activity

    return Activity.objects.restrict(period.actor, "view").filter(
        period.below(), period.dates("held_on")
    )


def activity_part(period: Period, reached: dict[str, int]) -> Part | None:
    if not period.may("activities.view_activity"):
        return None
    counts = activities_in(period).order_by().aggregate(n=Count("pk"), people=Sum("participants"))
    n, people = counts["n"], counts["people"] or 0
    part = Part("activities", _("报告期内安全教育活动"))
    part.rows = [(_("开展活动"), n_times(n)), (_("参加人次"), n_attendances(people))]
    text = _("报告期内，开展安全教育活动%(n)d次，参加%(p)d人次") % {"n": n, "p": people}
    text += reach(part, reached, "educated", _("开展活动学校"))
    part.sentence = text + "。"
    return part


def plan_part(period: Period) -> Part | None:
    """Plan tasks held by the subtree's units, of plans issued (not drafts) whose dates meet
    the period: as of the period's end from the assignments' history, or — the period not
    over — as of today, and then said to be so."""
    from xiaoan.plans.choices import FINISHED, OPEN, PlanStatus, Progress
    from xiaoan.plans.models import Assignment

    if not period.may("plans.view_plan"):
        return None
    visible = Assignment.objects.restrict(period.actor, "view")
    if period.ended:
        when = timezone.make_aware(dt.datetime.combine(period.end, dt.time.max))
        rows = Assignment.history.as_of(when).filter(id__in=visible.values("pk"))
        day = period.end
        heading = _("截至报告期末（%(d)s）") % {"d": day_text(day)}
    else:
        rows = visible
        day = period.today
        heading = _("截至生成日（%(d)s）") % {"d": day_text(day)}
    late = Q(status=Progress.OVERDUE) | Q(status__in=OPEN, due_on__lt=day)
    counts = (
        rows.filter(period.below())
        .exclude(task__plan__status=PlanStatus.DRAFT)
        .filter(Q(task__plan__start_date__isnull=True) | Q(task__plan__start_date__lte=period.end))
        .filter(Q(task__plan__end_date__isnull=True) | Q(task__plan__end_date__gte=period.start))
        .order_by()
        .aggregate(
            # By the assignment's id: on its history "pk" is the history row's.
            total=Count("id", distinct=True),
            done=Count("id", distinct=True, filter=Q(status__in=FINISHED)),
            review=Count("id", distinct=True, filter=Q(status=Progress.SUBMITTED)),
            overdue=Count("id", distinct=True, filter=late),
        )
    )
    share = percent(rate(counts["done"], counts["total"]))
    part = Part("plans", _("工作方案任务进展") + heading)
    part.rows = [
        (_("承办任务"), n_items(counts["total"])),
        (_("已完成"), n_items(counts["done"])),
        (_("待审核"), n_items(counts["review"])),
        (_("逾期未完成"), n_items(counts["overdue"])),
        (_("完成率"), share),
    ]
    part.sentence = _(
        "%(when)s，承办工作方案任务%(total)d项，已完成%(done)d项，完成率%(rate)s，"
        "逾期未完成%(overdue)d项。"
    ) % {**counts, "when": heading, "rate": share}
    return part


def indicator_part(period: Period) -> Part | None:
    """The indicators against the targets of the year the period ends in; a year not over
    stands as of today, and says so."""
    from xiaoan.indicators import values
    from xiaoan.indicators.choices import Standing

    if not period.may(values.VIEW):
        return None
    year = period.end.year
    board = values.board(period.unit, year)
    if not board.cells:
        return None
    label = _("%(y)d年度") % {"y": year}
    if year >= period.today.year:
        label += _("，截至生成日（%(d)s）") % {"d": day_text(period.today)}
    part = Part("indicators", _("指标完成情况（%(l)s）") % {"l": label})
    for cell in board.cells:
        measure = cell.indicator.measure
        value = "—" if cell.value is None else f"{values.plain(cell.value)}{measure}"
        target = "—" if cell.target is None else f"{values.plain(cell.target)}{measure}"
        part.rows.append(
            (
                cell.indicator.name,
                _("%(v)s（目标%(t)s，%(s)s）")
                % {"v": value, "t": target, "s": cell.standing_label},
            )
        )
    met = sum(1 for c in board.cells if c.standing == Standing.MET)
    part.sentence = _(
        "%(l)s，%(n)d项安全工作指标中，已达到目标%(met)d项，未达标或未填报%(behind)d项。"
    ) % {"l": label, "n": len(board.cells), "met": met, "behind": board.behind}
    return part


def parts(actor: Any, unit: Unit, start: dt.date, end: dt.date) -> list[Part]:
    """The unit's parts the person may see, in the report's order."""
    period = Period(actor, unit, start, end, timezone.localdate())
    reached: dict[str, Any] = {}
    if period.may("inspections.view_inspection"):
        from xiaoan.inspections.choices import DONE_STATUSES

        reached["inspected"] = inspections_in(period).filter(status__in=DONE_STATUSES)
    if period.may("training.view_trainingsession"):
        reached["trained"] = attended_in(period)
    if period.may("drills.view_drill"):
        reached["drilled"] = drills_in(period)
    if period.may("activities.view_activity"):
        reached["educated"] = activities_in(period)
    coverage = school_coverage(period, reached) if reached else {}
    found = [
        hazard_part(period),
        inspection_part(period, coverage),
        duty_part(period),
        plan_part(period),
        training_part(period, coverage),
        drill_part(period, coverage),
        activity_part(period, coverage),
        indicator_part(period),
    ]
    return [p for p in found if p is not None]
