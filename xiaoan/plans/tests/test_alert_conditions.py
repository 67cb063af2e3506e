"""The plans' condition an alert rule may watch: a unit's task past its deadline."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xiaoan.alerts.conditions import conditions
from xiaoan.orgs.testing import two_districts
from xiaoan.plans.choices import PlanStatus, Progress
from xiaoan.plans.models import Assignment, Plan, Task

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 6)
CODE = "plan_task_overdue"


@pytest.fixture
def tree(units):
    return two_districts(units)


@pytest.fixture
def task(tree, persona):
    def task(status=PlanStatus.ACTIVE):
        plan = Plan.objects.create(
            title="安全生产治本攻坚三年行动方案",
            unit=tree.city,
            status=status,
            created_by=persona("district_officer"),
        )
        return Task.objects.create(plan=plan, unit=tree.city, title="开展消防安全专项整治")

    return task


def make(task, unit, due, status=Progress.NOT_STARTED):
    return Assignment.objects.create(task=task, unit=unit, due_on=due, status=status)


def find(within, today=TODAY, **thresholds):
    return list(conditions()[CODE].find(today, thresholds, within))


def keys(findings):
    return {f.key for f in findings}


def test_it_finds_the_tasks_past_their_deadline(tree, units, task):
    live, draft = task(), task(PlanStatus.DRAFT)
    late = make(live, tree.school_a, TODAY - dt.timedelta(days=1), Progress.IN_PROGRESS)
    marked = make(live, units["东沟镇中心小学"], TODAY - dt.timedelta(days=9), Progress.OVERDUE)
    make(live, units["太和镇中心学校"], TODAY)  # due today
    make(live, units["沼山镇中心学校"], TODAY - dt.timedelta(days=3), Progress.DONE)
    make(live, units["梁子镇初级中学"], TODAY - dt.timedelta(days=3), Progress.ONGOING)
    make(draft, tree.school_a, TODAY - dt.timedelta(days=3))  # plan not in force
    found = find(tree.district_a.path)
    assert keys(found) == {f"assignment:{late.pk}", f"assignment:{marked.pk}"}
    row = next(f for f in found if f.key == f"assignment:{late.pk}")
    assert row.unit_id == tree.school_a.pk
    assert row.period == "2026-12-05+1"
    assert row.title == "方案任务逾期未完成：开展消防安全专项整治"
    assert "梁子湖高级中学" in row.detail and "已逾期 1 天" in row.detail
    assert row.url == f"/plans/tasks/{live.pk}/"
    assert next(f for f in found if f.key == f"assignment:{marked.pk}").period == "2026-11-27+2"
    assert {f.period for f in find(tree.district_a.path, repeat_days=0)} == {
        "2026-12-05+1",
        "2026-11-27+1",
    }


def test_it_finds_only_the_subtree_and_the_same_keys_twice(tree, task):
    live = task()
    a = make(live, tree.school_a, TODAY - dt.timedelta(days=2))
    b = make(live, tree.school_b, TODAY - dt.timedelta(days=2))
    assert keys(find(tree.district_a.path)) == {f"assignment:{a.pk}"}
    assert keys(find(tree.district_b.path)) == {f"assignment:{b.pk}"}
    first = [(f.key, f.period) for f in find(tree.city.path)]
    assert first == [(f.key, f.period) for f in find(tree.city.path)] and len(first) == 2


def test_it_reads_in_one_query_whatever_the_number(tree, units, task):
    make(task(), tree.school_a, TODAY - dt.timedelta(days=2))
    with CaptureQueriesContext(connection) as few:
        assert len(find(tree.city.path)) == 1
    for _ in range(10):
        make(task(), tree.school_b, TODAY - dt.timedelta(days=2))
    with CaptureQueriesContext(connection) as many:
        assert len(find(tree.city.path)) == 11
    assert len(few) == len(many) == 1
