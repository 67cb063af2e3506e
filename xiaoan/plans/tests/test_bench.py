"""`xiaoan bench import` on a small generated plan: it runs, and the generated documents
import to the tasks they were generated from."""

from __future__ import annotations

import io

from django.core.management import call_command

from xiaoan.plans import bench
from xiaoan.plans.importer import import_plan


def test_it_generates_plans_that_import_back():
    for data, name in (
        (bench.plan_docx(14), "p.docx"),
        (bench.plan_xlsx(14), "p.xlsx"),
        (bench.plan_text(14), "p.txt"),
    ):
        plan = import_plan(data, name)
        assert plan.plan_year == 2025
        assert [t.seq for t in plan.tasks] == list(range(1, 15))
        assert plan.tasks[0].title == "第1项重点工作专项治理"
        assert [d.label for d in plan.tasks[4].deadlines] == ["防溺水", "防欺凌"]
        assert [d.kind for d in plan.tasks[5].deadlines] == ["immediate", "ongoing"]
        # Row 7 has a blank deadline: same as the row above.
        assert plan.tasks[6].deadlines == plan.tasks[5].deadlines
        assert {t.domain for t in plan.tasks} == {"教育"}


def test_it_reports_the_import_timings():
    out = io.StringIO()
    call_command("bench", "import", "--tasks", "20", "--runs", "1", stdout=out)
    lines = out.getvalue().splitlines()
    assert [line.split(":")[0] for line in lines] == ["import docx", "import xlsx", "import text"]
    assert all("20 tasks" in line for line in lines)
