from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from xiaoan.core.backup import BackupError, human_size, restore

EXIT_REFUSED = 2


class Command(BaseCommand):
    help = _(
        "校验并恢复 xiaoan backup 写出的备份：先核对每个文件的校验和，"
        "只恢复到同种类的空数据库（没有任何表时先自动迁移），全部数据在一个事务中写入。"
        "被拒绝或失败时以状态码 2 退出，不写入任何数据。"
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help=_("备份目录"))
        parser.add_argument("--json", action="store_true", help=_("以 JSON 输出结果"))

    def handle(self, *args, **options):
        out = self.stderr if options["json"] else self.stdout
        report = out.write if options["verbosity"] > 0 else (lambda _m: None)
        try:
            summary = restore(options["path"], report=report)
        except BackupError as error:
            self.stderr.write(error.message)
            sys.exit(EXIT_REFUSED)
        if options["json"]:
            self.stdout.write(json.dumps(summary.as_json(), ensure_ascii=False))
            return
        for note in summary.notes:
            self.stdout.write(note)
        self.stdout.write(
            _("恢复完成：%(t)d 个表，%(r)d 行，上传文件 %(m)d 个，共 %(s)s。")
            % {
                "t": summary.tables,
                "r": summary.rows,
                "m": summary.media_files,
                "s": human_size(summary.bytes),
            }
        )
