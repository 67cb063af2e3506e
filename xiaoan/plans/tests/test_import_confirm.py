"""Confirming an imported plan document: the service on both example documents, a failure
leaving nothing written, and `xiaoan import-plan` without --dry-run."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from xiaoan.core.errors import Invalid
from xiaoan.plans import importing, tables
from xiaoan.plans.choices import ImportStatus, PlanStatus
from xiaoan.plans.models import Assignment, Plan, PlanImport, Task, TaskDeadline
from xiaoan.plans.tests.support import DISTRICT, SCHOOL_A

pytestmark = pytest.mark.django_db
EXAMPLES = Path("/work/shared/examples")
FIXTURES = Path(__file__).parent / "fixtures"


def _example(name: str) -> bytes:
    path = EXAMPLES / name
    return (path if path.exists() else FIXTURES / name).read_bytes()


def _start(persona, units, name):
    return importing.start_import(
        persona("district_officer"), unit=units[DISTRICT], data=_example(name), filename=name
    )


def _mapping(pending, units):
    suggestions = importing.suggest_units(pending.draft, units[DISTRICT])
    mapping = importing.default_mapping(suggestions)
    for name in importing.unmatched_names(suggestions):
        mapping[name] = importing.DROP
    return mapping


def test_it_confirms_the_district_plan(persona, units):
    pending = _start(persona, units, "district-plan-2024-2026.txt")
    assert pending.status == ImportStatus.PENDING
    mapping = _mapping(pending, units)
    assert mapping["梁子湖高中"] == str(units[SCHOOL_A].pk)
    assert mapping["全区中小学幼儿园"] == importing.ALL_BELOW
    plan = importing.confirm_import(
        persona("district_officer"), pending.pk, mapping=mapping, document_number="梁教〔2024〕12号"
    )
    assert plan.status == PlanStatus.ACTIVE
    assert plan.unit == units[DISTRICT]
    assert plan.document_number == "梁教〔2024〕12号"
    # The 2024 list's deadlines, the three years of the plan's title.
    assert (plan.start_date.isoformat(), plan.end_date.isoformat()) == ("2024-01-01", "2026-12-31")
    tasks = list(plan.tasks.order_by("seq"))
    assert len(tasks) == len(pending.draft["tasks"]) == 18
    first = tasks[0]
    assert first.title == "严格落实学校主体责任"
    assert [str(d.date) for d in first.deadlines.all()] == ["2024-12-31"]
    assert set(first.responsible_units.values_list("name", flat=True)) == {"安全股", SCHOOL_A}
    assert first.all_below
    assert "全区中小学幼儿园" in first.collective_text
    # Every school of the district, plus the named section.
    names = set(first.assignments.values_list("unit__name", flat=True))
    assert {"安全股", SCHOOL_A, "东沟镇中心小学"} <= names
    assert "鄂州职业大学" not in names
    # 局各股室: the bureau's own sections, not its schools.
    second = tasks[1]
    sections = {"安全股", "办公室", "督导办", "基础教育股", "计财股"}
    assert second.all_sections
    assert sections <= set(second.assignments.values_list("unit__name", flat=True))
    pending.refresh_from_db()
    assert (pending.status, pending.plan_id) == (ImportStatus.CONFIRMED, plan.pk)
    rows = tables.responsibility_rows(plan)
    assert len(rows) == 18 and rows[0].deadline == "2024年12月31日"
    assert rows[1].responsible_units[-1].startswith("局各股室")


def test_it_confirms_the_county_plan_with_edits(persona, units):
    pending = _start(persona, units, "county-plan-2024-2026.txt")
    tasks = [dict(t) for t in pending.draft["tasks"]]
    assert len(tasks) == 5
    tasks[0]["title"] = "发挥专业力量作用（修改）"
    tasks[0]["deadlines"] = [{"date": "2025-06-30", "label": "上半年", "kind": "date"}]
    plan = importing.confirm_import(
        persona("district_officer"), pending.pk, mapping={}, tasks=tasks, title="全县三年行动"
    )
    assert plan.title == "全县三年行动"
    first = plan.tasks.get(seq=1)
    assert first.title == "发挥专业力量作用（修改）"
    assert first.deadlines.get().label == "上半年"
    assert str(first.due_on) == "2025-06-30"
    # No unit named: every school below the issuer.
    assert first.assignments.count() == 12
    assert Assignment.objects.filter(task__plan=plan).count() == 60


def test_it_refuses_an_unmapped_unit_and_writes_nothing(persona, units):
    pending = _start(persona, units, "district-plan-2024-2026.txt")
    mapping = _mapping(pending, units)
    mapping.pop("发规股")
    before = (Plan.objects.count(), Task.objects.count(), Assignment.objects.count())
    with pytest.raises(Invalid) as error:
        importing.confirm_import(persona("district_officer"), pending.pk, mapping=mapping)
    assert "发规股" in str(error.value.message)
    assert (Plan.objects.count(), Task.objects.count(), Assignment.objects.count()) == before
    pending.refresh_from_db()
    assert pending.status == ImportStatus.PENDING


def test_it_rolls_back_when_a_late_task_is_bad(persona, units):
    pending = _start(persona, units, "county-plan-2024-2026.txt")
    tasks = [dict(t) for t in pending.draft["tasks"]]
    tasks[-1]["deadlines"] = [{"date": "2026-13-40", "label": "", "kind": "date"}]
    before = (Plan.objects.count(), TaskDeadline.objects.count(), Assignment.objects.count())
    with pytest.raises(Invalid):
        importing.confirm_import(persona("district_officer"), pending.pk, mapping={}, tasks=tasks)
    assert (Plan.objects.count(), TaskDeadline.objects.count(), Assignment.objects.count()) == (
        before
    )


def test_it_refuses_a_file_it_cannot_read(persona, units):
    with pytest.raises(Invalid):
        importing.start_import(
            persona("district_officer"), unit=units[DISTRICT], data=b"x", filename="a.exe"
        )
    assert not PlanImport.objects.exists()


def _command(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import-plan", *args, stdout=out, stderr=err)
    except SystemExit as exit:
        return int(exit.code), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_the_command_creates_the_plan_when_every_unit_matches(units):
    path = str(EXAMPLES / "county-plan-2024-2026.txt")
    code, out, err = _command(path, "--as", "district_officer", "--unit", DISTRICT)
    assert code == 0, err
    assert "已创建方案" in out
    plan = Plan.objects.get()
    assert plan.tasks.count() == 5
    assert plan.status == PlanStatus.ACTIVE
    assert plan.created_by.username == "district_officer"


def test_the_command_lists_unmatched_units_and_writes_nothing(units):
    path = str(EXAMPLES / "district-plan-2024-2026.txt")
    code, _out, err = _command(path, "--as", "district_officer", "--unit", DISTRICT)
    assert code == 2
    assert "发规股" in err and "电教站" in err
    assert not Plan.objects.exists()


def test_the_command_refuses_a_unit_outside_the_users_scope(units):
    path = str(EXAMPLES / "county-plan-2024-2026.txt")
    code, _out, err = _command(path, "--as", "school_a_officer", "--unit", DISTRICT)
    assert code == 2
    assert "不能以该单位名义" in err
    assert not Plan.objects.exists()


def test_the_command_keeps_the_dry_run(units):
    path = str(EXAMPLES / "county-plan-2024-2026.txt")
    code, out, _err = _command(path, "--dry-run", "--json")
    assert code == 0 and '"plan_title"' in out
    assert not Plan.objects.exists()
