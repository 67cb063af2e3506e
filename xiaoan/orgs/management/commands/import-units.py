from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from xiaoan.core.errors import ServiceError
from xiaoan.orgs.importer import import_units


class Command(BaseCommand):
    help = _("从 Excel 表格导入单位（名称、类型、上级单位……）；任何一行有错误则不写入任何数据。")

    def add_arguments(self, parser):
        parser.add_argument("file", help=_(".xlsx 文件路径"))
        parser.add_argument(
            "--as",
            dest="username",
            default=None,
            help=_("以该用户的授权范围导入（默认：不受范围限制的平台导入）"),
        )
        parser.add_argument("--dry-run", action="store_true", help=_("只检查，不写入"))
        parser.add_argument("--json", action="store_true", help=_("以 JSON 输出结果"))

    def handle(self, *args, **options):
        from xiaoan.accounts.models import User

        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("文件不存在：%(p)s") % {"p": path})
        if options["username"]:
            actor = User.objects.filter(username=options["username"]).first()
            if actor is None:
                raise CommandError(_("用户不存在：%(u)s") % {"u": options["username"]})
        else:
            # The console is the installation's administrator: no scope limit.
            actor = User(username="console", is_superuser=True, is_active=True)
        try:
            result = import_units(actor, path.read_bytes(), dry_run=options["dry_run"])
        except ServiceError as error:
            raise CommandError(str(error.message)) from None
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "ok": result.ok,
                        "rows": result.rows,
                        "created": result.created,
                        "updated": result.updated,
                        "errors": [
                            {"row": e.row, "column": e.column, "message": e.message}
                            for e in result.errors
                        ],
                    },
                    ensure_ascii=False,
                )
            )
        else:
            for error in result.errors:
                where = _("第 %(r)d 行") % {"r": error.row} if error.row else _("文件")
                column = f"［{error.column}］" if error.column else ""
                self.stderr.write(f"{where}{column}：{error.message}")
        if not result.ok:
            raise CommandError(_("共 %(n)d 处错误，未导入任何数据。") % {"n": len(result.errors)})
        if not options["json"]:
            if options["dry_run"]:
                self.stdout.write(_("检查通过：共 %(r)d 行。") % {"r": result.rows})
            else:
                self.stdout.write(
                    _("导入完成：共 %(r)d 行，新建 %(c)d 个，更新 %(u)d 个。")
                    % {"r": result.rows, "c": result.created, "u": result.updated}
                )
