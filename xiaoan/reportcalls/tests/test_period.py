"""A draft's figures are the period's: records dated before and after it are not counted,
the generated sentences and the Word file say the period's numbers, plan tasks stand as of
the period's end, and a draft costs the same number of queries however many units are below.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from xiaoan.reportcalls import period, services
from xiaoan.reportcalls.models import Report
from xiaoan.reportcalls.tests.support import DISTRICT, SCHOOL_A, SCHOOL_B, issue, report_of

pytestmark = pytest.mark.django_db

START, END = dt.date(2025, 3, 1), dt.date(2025, 6, 30)
BEFORE, INSIDE, AFTER = dt.date(2025, 2, 10), dt.date(2025, 4, 15), dt.date(2025, 7, 20)


def aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, 10))


def records(persona, units, unit_name: str, day: dt.date, n: int) -> None:
    """One of everything dated `day` at the unit: a done inspection, a met obligation, a
    training session with one of the school's people attending, an evaluated drill, an
    education activity and a major hazard found and cleared."""
    from xiaoan.accounts.models import User
    from xiaoan.activities.models import Activity
    from xiaoan.drills.models import Drill
    from xiaoan.duties.models import Duty, Obligation
    from xiaoan.hazards import rollup
    from xiaoan.hazards.models import Hazard
    from xiaoan.hazards.tests.pages_support import reported
    from xiaoan.inspections.models import ChecklistVersion, Inspection
    from xiaoan.training.services import mark
    from xiaoan.training.tests.support import make_session

    unit = units[unit_name]
    officer = persona("district_officer")
    Inspection.objects.create(
        kind="self_check",
        title=f"自查 {day}",
        unit=unit,
        organiser=unit,
        checklist=ChecklistVersion.objects.order_by("pk").first(),
        scheduled_on=day,
        status="submitted",
        submitted_at=aware(day),
    )
    duty = Duty.objects.order_by("pk").first()
    if duty is None:
        from xiaoan.duties.tests.support import duty as make_duty

        duty = make_duty(persona, units)
    Obligation.objects.create(
        duty=duty,
        unit=unit,
        period_key=f"t{day:%Y%m%d}",
        period_label=str(day),
        period_start=day.replace(day=1),
        period_end=day,
        due_on=day,
        status="met",
        met_at=aware(day),
    )
    session = make_session(officer, unit, held_on=day)
    person = User.objects.create(username=f"trainee{n}", name=f"学员{n}", unit=unit)
    mark(officer, session.pk, users=[person.pk])
    Drill.objects.create(
        unit=unit,
        kind="fire_evacuation",
        title=f"演练 {day}",
        planned_on=day,
        organiser="张校长",
        created_by=officer,
        status="evaluated",
        held_on=day,
        participants=100,
    )
    Activity.objects.create(
        unit=unit,
        kind="lecture",
        title=f"讲座 {day}",
        held_on=day,
        classes="全校",
        participants=50,
        summary="专题讲座",
        recorded_by=officer,
    )
    who = "school_a_officer" if unit_name == SCHOOL_A else "district_officer"
    hazard = reported(persona, unit, f"重大隐患 {day}", who=who)
    Hazard.objects.filter(pk=hazard.pk).update(
        level="major", status="closed", found_at=aware(day), closed_at=aware(day)
    )
    rollup.touch([unit.pk])


@pytest.fixture
def dated(persona, units):
    for n, day in enumerate((BEFORE, INSIDE, AFTER)):
        records(persona, units, SCHOOL_A, day, n)
    # School B only outside the period: the district's coverage counts School A alone.
    records(persona, units, SCHOOL_B, BEFORE, 10)
    records(persona, units, SCHOOL_B, AFTER, 11)


def tables(found) -> dict[str, dict[str, str]]:
    return {p.key: dict(p.rows) for p in found}


def test_it_counts_only_the_records_of_the_period(persona, units, dated):
    figures = tables(period.parts(persona("district_officer"), units[SCHOOL_A], START, END))
    assert figures["hazards"]["其中发现重大隐患"] == "1项"
    assert figures["hazards"]["其中重大隐患整改销号"] == "1项"
    assert figures["hazards"]["发现隐患"] == "1项"
    assert figures["inspections"]["计划检查"] == "1次"
    assert figures["inspections"]["已完成检查"] == "1次"
    assert "检查覆盖学校" not in figures["inspections"], "a school does not count schools"
    assert figures["duties"]["到期事项"] == "1项"
    assert figures["duties"]["已按期完成"] == "1项"
    assert figures["training"]["举办培训"] == "1场"
    assert figures["training"]["参训人次"] == "1人次"
    assert figures["drills"]["开展演练"] == "1次"
    assert figures["drills"]["参演人次"] == "100人次"
    assert figures["activities"]["开展活动"] == "1次"
    # A whole year holds all three.
    year = tables(period.parts(persona("district_officer"), units[SCHOOL_A], BEFORE, AFTER))
    assert year["inspections"]["计划检查"] == "3次"
    assert year["drills"]["开展演练"] == "3次"


def test_it_counts_the_schools_reached_in_the_period(persona, units, dated):
    from xiaoan.orgs.models import Unit

    schools = Unit.objects.filter(
        path__startswith=units[DISTRICT].path, kind="school", is_active=True
    ).count()
    figures = tables(period.parts(persona("district_officer"), units[DISTRICT], START, END))
    reached = f"1所/{schools}所"
    assert figures["inspections"]["检查覆盖学校"] == reached
    assert figures["training"]["培训覆盖学校"] == reached
    assert figures["drills"]["演练覆盖学校"] == reached
    assert figures["activities"]["开展活动学校"] == reached
    assert figures["drills"]["开展演练"] == "1次"
    everything = tables(period.parts(persona("district_officer"), units[DISTRICT], BEFORE, AFTER))
    assert everything["drills"]["演练覆盖学校"] == f"2所/{schools}所"


def test_it_leaves_out_an_unannounced_visit_not_yet_made(persona, units, dated):
    from xiaoan.inspections.models import ChecklistVersion, Inspection

    school = units[SCHOOL_A]
    Inspection.objects.create(
        kind="unannounced",
        title="暗访",
        unit=school,
        organiser=units[DISTRICT],
        checklist=ChecklistVersion.objects.order_by("pk").first(),
        scheduled_on=INSIDE,
    )
    figures = tables(period.parts(persona("district_officer"), school, START, END))
    assert figures["inspections"]["计划检查"] == "1次"


def test_it_shows_nothing_to_someone_without_the_rights(persona, units, dated):
    assert period.parts(persona("expert"), units[SCHOOL_A], START, END) == []


def test_it_takes_plan_tasks_as_of_the_period_end(persona, units):
    from xiaoan.plans.models import Assignment
    from xiaoan.plans.tests.support import make_plan

    _plan, named, _everyone = make_plan(persona, units)
    school = units[SCHOOL_A]
    mine = Assignment.objects.get(task=named, unit=school)
    # Assigned during the period, done only after it.
    for n, pk in enumerate(
        Assignment.history.filter(id=mine.pk).order_by("history_id").values_list("pk", flat=True)
    ):
        Assignment.history.filter(pk=pk).update(
            history_date=aware(INSIDE) + dt.timedelta(minutes=n)
        )
    others = Assignment.history.filter(unit__path__startswith=school.path).exclude(id=mine.pk)
    others.update(history_date=aware(AFTER))
    mine.status = "done"
    mine.save()
    officer = persona("district_officer")
    past = tables(period.parts(officer, school, START, END))
    assert past["plans"]["承办任务"] == "1项"
    assert past["plans"]["已完成"] == "0项"
    [part] = [p for p in period.parts(officer, school, START, END) if p.key == "plans"]
    assert "截至报告期末（2025年6月30日）" in part.title
    assert part.sentence.startswith("截至报告期末（2025年6月30日），承办工作方案任务1项，已完成0项")
    # A period not over: the tasks as they stand today, and said to be so.
    today = timezone.localdate()
    [now] = [
        p
        for p in period.parts(officer, school, dt.date(today.year, 1, 1), today)
        if p.key == "plans"
    ]
    assert "截至生成日" in now.title and "截至生成日" in now.sentence
    assert dict(now.rows)["已完成"] == "1项"
    live = Assignment.objects.filter(unit__path__startswith=school.path).count()
    assert dict(now.rows)["承办任务"] == f"{live}项"


def test_it_writes_the_period_figures_into_the_draft_and_the_word_file(persona, units, dated):
    from docx import Document

    from xiaoan.reportcalls.documents import report_docx

    call = issue(persona, units, period_start=START, period_end=END)
    report = report_of(call, units)
    sentences = report.figures["sentences"]
    assert report.figures["period"] == [START.isoformat(), END.isoformat()]
    assert sentences[0].startswith("2025年3月1日至2025年6月30日，梁子湖高级中学")
    text = "\n".join(sentences)
    assert "计划开展安全检查1次，已完成1次，完成率100%" in text
    assert "报告期内到期的常态化工作1项，已按期完成1项" in text
    assert "举办安全培训1场，参训1人次" in text
    assert "开展应急演练1次（已评估1次），参演100人次" in text
    assert "其中发现重大隐患1项，整改销号重大隐患1项" in text
    assert "截至" not in text.replace("截至报告期末", "").replace("2025年度", ""), text
    doc = Document(io.BytesIO(report_docx(report)))
    paragraphs = [p.text for p in doc.paragraphs]
    assert any("开展应急演练1次（已评估1次），参演100人次" in p for p in paragraphs)
    cells = {row.cells[0].text: row.cells[1].text for row in doc.tables[0].rows}
    assert "开展演练 1次" in cells["报告期内应急演练"]
    assert "计划检查 1次" in cells["报告期内检查排查"]


def test_it_shows_the_period_on_the_draft_page(persona, units, dated):
    from django.test import Client

    call = issue(persona, units, period_start=START, period_end=END)
    client = Client()
    client.force_login(persona("school_a_officer"))
    page = client.get(f"/report-calls/reports/{report_of(call, units).pk}/").content.decode()
    assert "报告期内应急演练" in page and "2025-03-01" in page


def queries(action) -> int:
    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured)


def test_it_makes_a_draft_in_a_fixed_number_of_queries(persona, units, settings):
    from xiaoan.orgs.models import Unit
    from xiaoan.reportcalls.models import ReportCall

    settings.XIAOAN_PAGE_CACHE = False
    call = ReportCall(period_start=START, period_end=END)
    district = units[DISTRICT]
    # The person's grants and scope are read once per person (the job reuses them).
    officer = persona("district_officer")
    services.draft_figures(officer, call, district)
    few = queries(lambda: services.draft_figures(officer, call, district))
    for n in range(6):
        parent = Unit.objects.get(pk=district.pk)
        school = Unit.objects.add_child(parent, {"name": f"新建学校{n}", "kind": "school"})
        records(persona, units | {school.name: school}, school.name, INSIDE, 20 + n)
        Unit.objects.add_child(school, {"name": f"新建学校{n}校区", "kind": "campus"})
    officer = persona("district_officer")
    services.draft_figures(officer, call, district)
    many = queries(lambda: services.draft_figures(officer, call, district))
    assert many == few
    assert few <= 35, few


def test_it_fills_each_draft_of_a_job_in_a_fixed_number_of_queries(
    persona, units, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.XIAOAN_PAGE_CACHE = False
    monkeypatch.setattr(services, "INLINE_DRAFTS", 0)
    with django_capture_on_commit_callbacks(execute=False):
        call = issue(persona, units, period_start=START, period_end=END)
    drafts = list(call.reports.order_by("pk").values_list("pk", flat=True))
    assert len(drafts) == 12

    def fill(n: int) -> int:
        Report.objects.filter(pk__in=drafts[:n]).update(figures={})
        return queries(lambda: services.fill_drafts(call.pk, call.issued_by_id))

    fill(len(drafts))
    one, two, every = fill(1), fill(2), fill(len(drafts))
    each = two - one
    # Each draft costs the same, School A's with its departments as the others.
    assert every - two == (len(drafts) - 2) * each
    assert each <= 45, each
    assert all(r.figures["tables"] for r in call.reports.all())
