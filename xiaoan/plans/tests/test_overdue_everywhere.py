"""One overdue rule (choices.current_progress): a task past its deadline reads 已逾期 in the
task column, its grid cell and 我的任务 alike — before the daily pass has run, and after."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from xiaoan.plans import services
from xiaoan.plans.choices import Progress, current_progress
from xiaoan.plans.models import Assignment
from xiaoan.plans.tests.support import SCHOOL_A, make_plan

pytestmark = pytest.mark.django_db


def test_it_applies_one_rule_to_every_status():
    today = dt.date(2026, 6, 1)
    past, future = dt.date(2026, 5, 31), dt.date(2026, 6, 1)
    assert current_progress(Progress.NOT_STARTED, past, today) == Progress.OVERDUE
    assert current_progress(Progress.IN_PROGRESS, past, today) == Progress.OVERDUE
    assert current_progress(Progress.NOT_STARTED, future, today) == Progress.NOT_STARTED
    assert current_progress(Progress.DONE, past, today) == Progress.DONE
    assert current_progress(Progress.ONGOING, past, today) == Progress.ONGOING
    assert current_progress(Progress.NOT_STARTED, None, today) == Progress.NOT_STARTED


def _late_plan(persona, units):
    """A plan whose named task fell due yesterday; the daily pass has not run."""
    plan, named, _everyone = make_plan(persona, units)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    named.due_on = yesterday
    named.save(update_fields=["due_on"])
    named.assignments.update(due_on=yesterday)
    return plan, named


def test_it_says_overdue_in_the_task_column_the_grid_and_my_tasks(persona, units, client_for):
    plan, named = _late_plan(persona, units)
    assignment = Assignment.objects.get(task=named, unit=units[SCHOOL_A])
    assert assignment.status == Progress.NOT_STARTED  # as stored: the daily pass is behind
    assert assignment.current_status == Progress.OVERDUE
    assert assignment.colour == "danger"

    page = client_for("district_officer").get(reverse("plans:plan_detail", args=[plan.pk]))
    content = page.content.decode()
    grid = content[content.index('id="progress-table"') :]
    assert "已逾期" in grid and "未开始" not in grid.split("</tr>")[1]
    assert "pbar-danger" in grid

    mine = client_for("school_a_officer").get(reverse("plans:my_tasks"))
    text = mine.content.decode()
    block = next(b for b in text.split('class="list-group-item') if named.title in b)
    assert "已逾期" in block and "未开始" not in block

    # The plan list agrees as well.
    listing = client_for("district_officer").get(reverse("plans:plan_list")).content.decode()
    assert "已逾期" in listing


def test_it_keeps_agreeing_after_the_daily_pass_and_a_report(persona, units):
    plan, named = _late_plan(persona, units)
    services.mark_overdue()
    assignment = Assignment.objects.get(task=named, unit=units[SCHOOL_A])
    named.refresh_from_db()
    plan.refresh_from_db()
    assert assignment.status == named.status == plan.progress_status == Progress.OVERDUE
    services.report_progress(
        persona("school_a_officer"), assignment.pk, text="已整改一半", status=Progress.IN_PROGRESS
    )
    assignment.refresh_from_db()
    assert assignment.status == assignment.current_status == Progress.OVERDUE


def test_it_shows_every_cell_colour_in_the_grid_legend(persona, units, client_for):
    """待审核 cells are yellow: the legend shows that colour, and the stylesheet has it."""
    from pathlib import Path

    from django.conf import settings

    plan, named, _everyone = make_plan(persona, units)
    assignment = Assignment.objects.get(task=named, unit=units[SCHOOL_A])
    services.report_progress(
        persona("school_a_officer"), assignment.pk, text="全部完成", status=Progress.DONE
    )
    page = client_for("district_officer").get(reverse("plans:plan_detail", args=[plan.pk]))
    content = page.content.decode()
    grid = content[content.index('id="progress-table"') : content.index('id="progress-legend"')]
    assert "pbar-warning" in grid and "待审核" in grid
    legend = content[content.index('id="progress-legend"') :].split("</ul>")[0]
    for label, colour in [("待审核", "warning"), ("已逾期", "danger"), ("已完成", "success")]:
        assert f"pbar-{colour} legend-swatch" in legend.split(label)[0].rsplit("<li", 1)[1]
    css = (Path(settings.BASE_DIR) / "xiaoan/static/css/app.css").read_text()
    assert "progress.pbar-warning" in css
