from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from xiaoan.core.backup import backup, default_backup_path
from xiaoan.core.commands import run_reporting


class Command(BaseCommand):
    help = _(
        "把数据库（一致的快照）和上传文件备份到一个目录，附带校验清单 manifest.json；"
        "不写路径时备份到 数据目录/backups/xiaoan-日期-时间。失败时以状态码 2 退出。"
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help=_("备份目录（须不存在或为空）"))
        parser.add_argument("--json", action="store_true", help=_("以 JSON 输出结果"))

    def handle(self, *args, **options):
        run_reporting(
            self,
            options,
            lambda report: backup(options["path"] or default_backup_path(), report=report),
            _("备份完成：%(p)s，%(t)d 个表，%(r)d 行，上传文件 %(m)d 个，共 %(s)s。"),
        )
