"""A plan's tables: the 责任清单 (rows and files) and the progress grid of tasks by unit."""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoan.audit.files import file_served
from xiaoan.core.errors import Invalid
from xiaoan.core.services import get_scoped
from xiaoan.core.xlsx import XLSX
from xiaoan.orgs.models import Unit
from xiaoan.plans import exports
from xiaoan.plans.deadlines import annotate_milestones
from xiaoan.plans.models import (
    Assignment,
    Plan,
    Task,
    TaskDeadline,
)


def _deadline_text(deadlines: Iterable[TaskDeadline]) -> str:
    return exports.deadline_text(
        {"date": d.date.isoformat() if d.date else None, "label": d.label, "kind": d.kind}
        for d in deadlines
    )


def responsibility_rows(plan: Plan) -> list[exports.ResponsibilityRow]:
    """The plan's top-level tasks in the official table order: 序号, 工作任务, 完成时限,
    牵头单位, 责任单位, 配合单位. The responsible units end with the collective phrases the
    plan used (全区中小学幼儿园, 局各股室) rather than every school they stand for."""
    tasks = (
        Task.objects.filter(plan=plan, parent__isnull=True)
        .order_by("seq", "id")
        .prefetch_related("deadlines", "lead_units", "responsible_units", "cooperating_units")
    )
    rows = []
    for task in tasks:
        responsible = [u.name for u in task.responsible_units.all()]
        if task.collective_text:
            responsible.append(task.collective_text)
        rows.append(
            exports.ResponsibilityRow(
                seq=task.seq,
                title=task.title,
                content=task.content,
                deadline=_deadline_text(task.deadlines.all()),
                lead_units=[u.name for u in task.lead_units.all()],
                responsible_units=responsible,
                cooperating_units=[u.name for u in task.cooperating_units.all()],
            )
        )
    return rows


RESPONSIBILITY_FORMATS = {
    "xlsx": (
        exports.write_xlsx,
        XLSX,
    ),
    "docx": (
        exports.write_docx,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
}


def responsibility_file(actor: Any, pk: Any, fmt: str) -> tuple[bytes, str, str]:
    """The plan's responsibility list as a file: (content, content type, file name). Whoever
    may open the plan may take its list."""
    if fmt not in RESPONSIBILITY_FORMATS:
        raise Invalid(fields={"format": [_("格式只能是 xlsx 或 docx。")]})
    plan = get_scoped(actor, Plan, pk, "view")
    writer, content_type = RESPONSIBILITY_FORMATS[fmt]
    buffer = io.BytesIO()
    title = _("%(t)s 责任清单") % {"t": plan.title}
    writer(title, responsibility_rows(plan), buffer, doc_number=plan.document_number)
    name = f"{plan.title[:60]}-责任清单.{fmt}"
    file_served("export", f"plan-responsibilities-{fmt}", obj=plan, filename=name)
    return buffer.getvalue(), content_type, name


# ---------------------------------------------------------------- progress table


def progress_table(plan: Plan, actor: Any, tasks: list[Task] | None = None) -> dict[str, Any]:
    """Units × top-level tasks: the status of each assignment the actor may see (`tasks`:
    the plan's top-level tasks the actor may see, when the caller has them already)."""
    if tasks is None:
        tasks = list(
            Task.objects.restrict(actor)
            .filter(plan=plan, parent__isnull=True)
            .order_by("seq", "id")
        )
    assignments = (
        Assignment.objects.restrict(actor)
        .filter(task__plan=plan, task__parent__isnull=True)
        .select_related("unit")
        .only("id", "task_id", "unit__name", "unit__path", "status", "progress", "due_on")
    )
    assignments = list(assignments)
    annotate_milestones(assignments, timezone.localdate())
    cells: dict[int, dict[int, Assignment]] = defaultdict(dict)
    units: dict[int, Unit] = {}
    for assignment in assignments:
        cells[assignment.unit_id][assignment.task_id] = assignment
        units[assignment.unit_id] = assignment.unit
    rows = [
        {"unit": unit, "cells": [cells[unit.pk].get(task.pk) for task in tasks]}
        for unit in sorted(units.values(), key=lambda u: u.path)
    ]
    return {"tasks": tasks, "rows": rows}
