from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from xiaoan.core.backup import restore
from xiaoan.core.commands import run_reporting


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
        run_reporting(
            self,
            options,
            lambda report: restore(options["path"], report=report),
            _("恢复完成：%(t)d 个表，%(r)d 行，上传文件 %(m)d 个，共 %(s)s。"),
        )
