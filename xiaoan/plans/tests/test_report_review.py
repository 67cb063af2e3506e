"""A progress report's own state (choices.ReportReview): a report of 已完成 is submitted,
then accepted — the one that counts — or returned with the reason, which stays visible on
the assignment's page and in the API. The Assignment actions remain the entry points."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from xiaoan.plans import services
from xiaoan.plans.choices import Progress, ReportReview
from xiaoan.plans.models import ProgressReport
from xiaoan.plans.tests.support import SCHOOL_A, make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def school(persona, units):
    _plan, named, _ = make_plan(persona, units)
    return named.assignments.get(unit=units[SCHOOL_A])


def _review(api, school, action, note=""):
    school.refresh_from_db()
    return api.post(
        reverse(f"api:plan-assignment-{action.replace('_', '-')}", args=[school.pk]),
        {"version": school.version, "note": note},
        format="json",
    )


def test_it_returns_a_report_keeping_it_with_its_reason_then_accepts_the_next(
    persona, api_for, client_for, school
):
    officer = persona("school_a_officer")
    progress = services.report_progress(officer, school.pk, text="进行中", status="in_progress")
    first = services.report_progress(officer, school.pk, text="第一次完成", status="done")
    assert (progress.review, first.review) == (ReportReview.NOTED, ReportReview.SUBMITTED)

    district = api_for("district_officer")
    assert _review(district, school, "return_report", "缺少佐证材料").status_code == 200
    first.refresh_from_db()
    assert first.review == ReportReview.RETURNED
    assert first.review_note == "缺少佐证材料"
    assert first.reviewed_by.username == "district_officer" and first.reviewed_at

    second = services.report_progress(officer, school.pk, text="补充材料后完成", status="done")
    assert _review(district, school, "accept", "材料齐全").status_code == 200
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.review == ReportReview.ACCEPTED
    assert first.review == ReportReview.RETURNED  # the returned one stays as it was
    school.refresh_from_db()
    assert school.status == Progress.DONE
    assert school.events.last().data["report"] == second.pk

    body = api_for("school_a_officer").get(reverse("api:plan-assignment-detail", args=[school.pk]))
    reports = {r["id"]: r for r in body.json()["reports"]}
    assert reports[first.pk]["review"] == "returned"
    assert reports[first.pk]["review_note"] == "缺少佐证材料"
    assert reports[second.pk]["review_display"] == "已通过"
    assert reports[progress.pk]["review"] == "noted"

    page = client_for("school_a_officer").get(reverse("plans:assignment_report", args=[school.pk]))
    text = page.content.decode()
    assert "退回理由：缺少佐证材料" in text and "已退回" in text and "已通过" in text


def test_it_refuses_a_review_by_the_reporting_school(persona, api_for, school):
    report = services.report_progress(
        persona("school_a_officer"), school.pk, text="完成", status="done"
    )
    refused = _review(api_for("school_a_officer"), school, "accept")
    assert refused.status_code in (403, 404)
    report.refresh_from_db()
    assert report.review == ReportReview.SUBMITTED


def test_it_supersedes_a_report_still_awaiting_review(persona, school):
    officer = persona("school_a_officer")
    first = services.report_progress(officer, school.pk, text="完成", status="done")
    services.report_progress(officer, school.pk, text="更正：仍在进行", status="in_progress")
    first.refresh_from_db()
    assert first.review == ReportReview.NOTED and first.review_note


def test_it_settles_existing_reports_from_the_review_history(persona, api_for, school):
    """The data migration: accepted/returned from the events that name the report."""
    migration = importlib.import_module("xiaoan.plans.migrations.0005_report_review")
    officer = persona("school_a_officer")
    first = services.report_progress(officer, school.pk, text="完成", status="done")
    _review(api_for("district_officer"), school, "return_report", "不全")
    second = services.report_progress(officer, school.pk, text="再次完成", status="done")
    ProgressReport.objects.update(review=ReportReview.NOTED, review_note="")
    migration.settle_existing(apps, None)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.review, first.review_note) == (ReportReview.RETURNED, "不全")
    assert second.review == ReportReview.SUBMITTED


def test_it_unmeets_the_milestone_of_a_returned_report(persona, units, api_for):
    from xiaoan.plans.tests.test_milestones import _two_milestones

    _plan, _task, assignment, first, _second = _two_milestones(
        persona, units, first_days=5, second_days=100
    )
    services.report_progress(
        persona("school_a_officer"), assignment.pk, text="完成", status="done", milestone=first.pk
    )
    assignment.refresh_from_db()
    assert assignment.due_on != first.date  # met while under review
    assert (
        _review(api_for("district_officer"), assignment, "return_report", "未完成").status_code
        == 200
    )
    assignment.refresh_from_db()
    assert assignment.due_on == first.date
