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
        "输出拆分出的任务草稿（--dry-run，不写入数据库），"
        "或以 --as 用户、--unit 发文单位创建方案并下发任务（文件中的单位须全部能对应到现有单位，"
        "否则列出未对应的名称）；"
        "文件无法读取、找不到任务或有未对应的单位时以状态码 2 退出。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("方案文件路径；- 表示从标准输入读取文字"))
        parser.add_argument("--dry-run", action="store_true", help=_("只预览，不写入数据库"))
        parser.add_argument("--as", dest="as_user", help=_("以该用户（用户名）的身份创建方案"))
        parser.add_argument("--unit", help=_("发文单位（名称或编号）"))
        parser.add_argument("--document-number", default="", help=_("文号"))
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
            self._create(data, filename, options)
            return
        if options["json"]:
            self.stdout.write(json.dumps(plan.as_json(), ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            _("方案：%(t)s（%(y)d 年）") % {"t": plan.plan_title, "y": plan.plan_year}
        )
        if plan.document_number:
            self.stdout.write(_("文号：%(n)s") % {"n": plan.document_number})
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

    def _create(self, source: bytes, filename: str, options) -> None:
        from xiaoan.accounts.models import User
        from xiaoan.core.errors import ServiceError
        from xiaoan.orgs.models import Unit
        from xiaoan.plans import importing

        if not options["as_user"] or not options["unit"]:
            self._fail(_("创建方案须指定 --as 用户 和 --unit 发文单位；只预览请加 --dry-run。"))
        user = User.objects.filter(username=options["as_user"], is_active=True).first()
        if user is None:
            self._fail(_("用户不存在：%(u)s") % {"u": options["as_user"]})
        wanted = options["unit"]
        units = Unit.objects.filter(is_active=True)
        unit = units.filter(pk=int(wanted)).first() if wanted.isdigit() else None
        if unit is None:
            found = list(units.filter(name=wanted)[:2])
            unit = found[0] if len(found) == 1 else None
        if unit is None:
            self._fail(_("单位不存在或重名：%(u)s") % {"u": wanted})
        # Read again knowing the issuer's units: a known name is never split on 与/和/及.
        draft = import_plan(source, filename, units=importing.unit_names_below(unit))
        data = importing.draft_json(draft)
        suggestions = importing.suggest_units(data, unit)
        missing = importing.unmatched_names(suggestions)
        if missing:
            self._fail(
                _("以下单位无法对应到现有单位，请在导入页面中对应后确认：%(n)s")
                % {"n": "、".join(missing)}
            )
        try:
            created = importing.create_from_draft(
                user,
                unit=unit,
                draft=data,
                mapping=importing.default_mapping(suggestions),
                document_number=options["document_number"] or None,
                source_name=filename,
            )
        except ServiceError as error:
            self._fail(str(error.message))
        self.stdout.write(
            _("已创建方案：%(t)s（编号 %(id)d），%(n)d 项任务，下发 %(a)d 个单位任务。")
            % {
                "t": created.title,
                "id": created.pk,
                "n": created.tasks.count(),
                "a": sum(t.assignments.count() for t in created.tasks.all()),
            }
        )

    def _fail(self, message: str) -> None:
        self.stderr.write(str(message))
        sys.exit(EXIT_UNREADABLE)
