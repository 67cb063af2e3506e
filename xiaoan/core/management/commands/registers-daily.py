import json

from django.core.management.base import BaseCommand

from xiaoan.core import register_due
from xiaoan.core.commands import date_option


class Command(BaseCommand):
    help = "台账到期提醒：对即将到期和已过期的事项各提醒一次（可重复执行）"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按该日期处理（YYYY-MM-DD，默认今天）")
        parser.add_argument("--json", action="store_true", help="输出 JSON")

    def handle(self, *args, **options):
        result = register_due.daily(date_option(options["date"]))
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        self.stdout.write(
            f"{result['date']}：即将到期 {result['due_soon']} 项，已过期 {result['overdue']} 项，"
            f"发送提醒 {result['notifications']} 条"
        )
