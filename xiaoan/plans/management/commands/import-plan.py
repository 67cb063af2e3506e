from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from xiaoan.plans.importer import PlanImportError, import_plan

EXIT_UNREADABLE = 2


class Command(BaseCommand):
    help = _(
        "读取方案文件（.docx、.xlsx、.csv、.txt、.md、.html、带文字层的 .pdf，"
        "或用 - 从标准输入读取粘贴的文字），"
        "输出拆分出的任务草稿。本版本只提供预览（--dry-run），不写入数据库；"
        "文件无法读取或找不到任务时以状态码 2 退出。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("方案文件路径；- 表示从标准输入读取文字"))
        parser.add_argument(
            "--dry-run", action="store_true", help=_("只预览，不写入（本版本必须指定）")
        )
        parser.add_argument("--json", action="store_true", help=_("以 JSON 输出任务草稿"))

    def handle(self, *args, **options):
        name = options["file"]
        try:
            if name == "-":
                data, filename = sys.stdin.buffer.read(), ""
            else:
                path = Path(name)
                if not path.is_file():
                    raise PlanImportError(_("文件不存在：%(p)s") % {"p": name})
                data, filename = path.read_bytes(), path.name
            plan = import_plan(data, filename)
        except PlanImportError as error:
            self._fail(error.message)
        if not options["dry_run"]:
            self._fail(
                _("本版本只提供预览：请加 --dry-run 查看任务草稿；保存方案和任务将在后续版本提供。")
            )
        if options["json"]:
            self.stdout.write(json.dumps(plan.as_json(), ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            _("方案：%(t)s（%(y)d 年）") % {"t": plan.plan_title, "y": plan.plan_year}
        )
        for task in plan.tasks:
            due = "；".join(
                " ".join(p for p in (d.label, d.date.isoformat() if d.date else "") if p)
                for d in task.deadlines
            )
            self.stdout.write(f"{task.seq}. {task.title}　[{due}]")
            for label, names in (
                (_("牵头单位"), task.lead_units),
                (_("责任单位"), task.responsible_units),
                (_("配合单位"), task.cooperating_units),
            ):
                if names:
                    self.stdout.write(f"    {label}：{'、'.join(names)}")
        self.stdout.write(_("共 %(n)d 项任务。") % {"n": len(plan.tasks)})

    def _fail(self, message: str) -> None:
        self.stderr.write(str(message))
        sys.exit(EXIT_UNREADABLE)
