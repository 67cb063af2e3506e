from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from xiaoan.audit.models import AuditEntry
from xiaoan.core.errors import Conflict, Forbidden, Invalid, NotFound
from xiaoan.core.todos import todos_for
from xiaoan.reportcalls import services
from xiaoan.reportcalls.choices import ReportStatus
from xiaoan.reportcalls.models import Report, ReportCall
from xiaoan.reportcalls.tests.support import DISTRICT, SCHOOL_A, SCHOOL_B, filled, issue, report_of

pytestmark = pytest.mark.django_db


def test_it_issues_one_drafted_report_per_school(persona, units):
    call = issue(persona, units)
    reports = list(call.reports.select_related("unit"))
    assert len(reports) == 12
    assert all(r.unit.kind == "school" for r in reports)
    assert all(r.status == ReportStatus.DRAFTING for r in reports)
    assert "〔" in call.number and call.number.endswith("号")
    report = report_of(call, units)
    assert report.number.endswith("号")
    assert report.figures["tables"], "the dashboard's sections become tables"
    assert report.figures["sentences"][0].startswith(f"{call.period_start.year}年")
    assert AuditEntry.objects.filter(action="create", object_id=str(call.pk)).exists()


def test_it_sends_a_city_call_one_level_down_only(persona, units):
    from xiaoan.accounts.models import Role, RoleAssignment

    officer = persona("district_officer")
    RoleAssignment.objects.create(
        user=officer,
        role=Role.objects.get(code="safety_officer"),
        unit=units["鄂州市教育局"],
        include_descendants=True,
    )
    officer = persona("district_officer")
    today = timezone.localdate()
    call = services.issue(
        officer,
        unit=units["鄂州市教育局"].pk,
        kind="special",
        topic="防溺水",
        title="关于报送防溺水工作情况的通知",
        period_start=today,
        period_end=today,
        due_on=today,
        targets="children",
    )
    names = {r.unit.name for r in call.reports.select_related("unit")}
    assert names == {DISTRICT, "鄂州职业大学"}
    assert call.reports.first().title.endswith("关于防溺水的安全专报")


@pytest.mark.parametrize(
    ("field", "change"),
    [
        ("kind", {"kind": "weekly"}),
        ("title", {"title": "  "}),
        ("topic", {"kind": "special", "topic": ""}),
        ("period_end", {"period_end": timezone.localdate() - dt.timedelta(days=400)}),
        ("due_on", {"due_on": timezone.localdate() - dt.timedelta(days=1)}),
        ("targets", {"targets": "everyone"}),
        ("unit", {"unit": 10**30}),
    ],
)
def test_it_refuses_a_bad_call(persona, units, field, change):
    with pytest.raises(Invalid) as caught:
        issue(persona, units, **change)
    assert field in caught.value.fields
    assert not ReportCall.objects.exists()


def test_it_refuses_a_call_from_a_school_or_without_the_right(persona, units):
    with pytest.raises(Invalid) as caught:
        services.issue(
            persona("school_a_head"),
            unit=units[SCHOOL_A].pk,
            kind="annual",
            title="x",
            period_start=timezone.localdate(),
            period_end=timezone.localdate(),
            due_on=timezone.localdate(),
        )
    assert "教育行政部门" in str(caught.value.message)
    with pytest.raises(Forbidden):
        issue(lambda name: persona("expert"), units)


def test_it_goes_from_draft_to_accepted(persona, units):
    call = issue(persona, units)
    report = report_of(call, units)
    with pytest.raises(Invalid) as caught:
        services.submit(persona("school_a_officer"), report.pk)
    assert "sections" in caught.value.fields
    report = filled(persona, report)
    report = services.submit(persona("school_a_head"), report.pk, version=report.version)
    assert report.status == ReportStatus.SUBMITTED and report.submitted_at
    with pytest.raises(Conflict):
        services.submit(persona("school_a_head"), report.pk)
    with pytest.raises(Conflict):
        services.edit(persona("school_a_head"), report.pk, sections={"work": "x"})
    report = services.accept(persona("district_officer"), report.pk, note="很好")
    assert report.status == ReportStatus.ACCEPTED
    actions = list(report.events.values_list("action", flat=True))
    assert actions == ["create", "edit", "submit", "accept"]


def test_it_returns_with_a_reason_and_drafts_again(persona, units):
    call = issue(persona, units)
    report = filled(persona, report_of(call, units))
    services.submit(persona("school_a_officer"), report.pk)
    officer = persona("district_officer")
    with pytest.raises(Invalid):
        services.send_back(officer, report.pk, note=" ")
    report = services.send_back(officer, report.pk, note="数据不全，请补充。")
    assert report.status == ReportStatus.RETURNED
    assert report.return_reason == "数据不全，请补充。"
    report = services.edit(persona("school_a_officer"), report.pk, sections={"work": "补充后"})
    assert report.status == ReportStatus.DRAFTING
    assert report.sections["problems"], "other sections kept"
    report = services.submit(persona("school_a_officer"), report.pk)
    assert report.status == ReportStatus.SUBMITTED and report.return_reason == ""


def test_it_keeps_decisions_to_the_caller(persona, units):
    call = issue(persona, units)
    report = filled(persona, report_of(call, units))
    services.submit(persona("school_a_officer"), report.pk)
    # The school's head holds the right at the school, not at the bureau that called.
    with pytest.raises(Forbidden):
        services.accept(persona("school_a_head"), report.pk)
    with pytest.raises(Forbidden):
        services.accept(persona("auditor"), report.pk)
    other = report_of(call, units, SCHOOL_B)
    with pytest.raises(NotFound):
        services.submit(persona("school_a_head"), other.pk)
    with pytest.raises(Conflict):
        services.accept(persona("district_officer"), other.pk)
    with pytest.raises(Conflict):
        services.submit(persona("school_a_head"), report.pk, version=0)


def test_it_refuses_unknown_or_nested_sections(persona, units):
    report = report_of(issue(persona, units), units)
    for bad in ({"other": "x"}, {"work": {"nested": ["x"]}}, ["work"]):
        with pytest.raises(Invalid):
            services.edit(persona("school_a_officer"), report.pk, sections=bad)


def test_it_refreshes_the_figures(persona, units):
    report = report_of(issue(persona, units), units)
    Report.objects.filter(pk=report.pk).update(figures={})
    report = services.refresh(persona("school_a_head"), report.pk)
    assert report.figures["tables"]


def test_it_lists_overdue_reports_as_todos(persona, units):
    call = issue(persona, units)
    filled(persona, report_of(call, units, SCHOOL_B), who="district_officer")
    keys = {t.key: t for t in todos_for(persona("school_a_head"))}
    assert keys["reportcalls.submit"].count == 1 and keys["reportcalls.submit"].late == 0
    ReportCall.objects.filter(pk=call.pk).update(due_on=timezone.localdate() - dt.timedelta(days=1))
    from django.core.cache import cache

    cache.clear()
    keys = {t.key: t for t in todos_for(persona("school_a_head"))}
    assert keys["reportcalls.submit"].late == 1
    caller = {t.key: t for t in todos_for(persona("district_officer"))}
    assert caller["reportcalls.overdue"].count == 12
    report = filled(persona, report_of(call, units))
    services.submit(persona("school_a_head"), report.pk)
    cache.clear()
    caller = {t.key: t for t in todos_for(persona("district_officer"))}
    assert caller["reportcalls.decide"].count == 1
    assert caller["reportcalls.overdue"].count == 11
    call.refresh_from_db()
    assert services.tally(call)["overdue"] == 11


def test_it_loads_the_demo_once(persona, units):
    from xiaoan.reportcalls.demo import load_reportcalls

    assert load_reportcalls() > 0
    assert load_reportcalls() == 0


def test_it_shows_overdue_reports_on_the_dashboard(persona, units):
    from xiaoan.reports.services import dashboard

    call = issue(persona, units)
    ReportCall.objects.filter(pk=call.pk).update(due_on=timezone.localdate() - dt.timedelta(days=1))
    board = dashboard(persona("district_officer"), units[DISTRICT].pk)
    figures = {f.key: f.value for f in board.sections_by_key["reportcalls"].figures}
    assert figures["overdue"] == 12
    mine = dashboard(persona("school_a_head"), units[SCHOOL_A].pk)
    assert {f.key: f.value for f in mine.sections_by_key["reportcalls"].figures}["overdue"] == 1
    assert "reportcalls" not in [t["title"] for t in report_of(call, units).figures["tables"]]


def test_it_counts_the_hazards_of_the_period_from_the_records(persona, units):
    from xiaoan.hazards import rollup
    from xiaoan.hazards.choices import HazardStatus
    from xiaoan.hazards.models import Hazard
    from xiaoan.hazards.tests.pages_support import reported
    from xiaoan.orgs.models import Unit

    school = units[SCHOOL_A]
    reported(persona, school)
    old = reported(persona, school, "去年的楼道堆放杂物")
    # Found two years ago: outside a half-year period, inside a three-year one.
    Hazard.objects.filter(pk=old.pk).update(found_at=timezone.now() - dt.timedelta(days=730))
    rollup.touch([old.unit_id])
    today = timezone.localdate()

    def expected(start: dt.date) -> tuple[int, int]:
        rows = Hazard.objects.filter(
            unit__in=Unit.objects.filter(path__startswith=school.path),
            found_at__date__gte=start.replace(day=1),
        ).exclude(status=HazardStatus.DISMISSED)
        closed = Hazard.objects.filter(
            unit__in=Unit.objects.filter(path__startswith=school.path),
            status=HazardStatus.CLOSED,
            closed_at__date__gte=start.replace(day=1),
        )
        return rows.count(), closed.count()

    for days in (180, 3 * 365):
        start = today - dt.timedelta(days=days)
        report = report_of(issue(persona, units, period_start=start, kind="three_year"), units)
        found, closed = expected(start)
        table = report.figures["tables"][0]
        assert table["rows"][:2] == [["发现隐患", f"{found}项"], ["整改销号", f"{closed}项"]]
        assert f"共排查发现隐患{found}项" in report.figures["sentences"][1]
    assert (
        expected(today - dt.timedelta(days=3 * 365))[0]
        > expected(today - dt.timedelta(days=180))[0]
    )


def test_it_fills_a_large_calls_drafts_after_it_is_issued(
    persona, units, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "INLINE_DRAFTS", 3)
    with django_capture_on_commit_callbacks(execute=False) as waiting:
        call = issue(persona, units)
    # Issued at once, the figures not yet made; the page says so.
    assert all(r.figures == {} for r in call.reports.all())
    from django.test import Client

    client = Client()
    client.force_login(persona("school_a_officer"))
    page = client.get(f"/report-calls/reports/{report_of(call, units).pk}/")
    assert page.status_code == 200 and "数据正在生成" in page.content.decode()
    for callback in waiting:  # the commit: the job is queued (huey runs it at once in tests)
        callback()
    assert all(r.figures["tables"] for r in call.reports.all())
    # Run again (a retried job, the sweep): nothing is made twice.
    assert services.fill_drafts() == 0
    # A draft the job missed is found by the sweep.
    report = report_of(call, units)
    Report.objects.filter(pk=report.pk).update(figures={})
    assert services.fill_drafts() == 1
    assert report_of(call, units).figures["tables"]
