import json

from django.core.management.base import BaseCommand

from xiaoan.core.commands import date_option
from xiaoan.duties import services


class Command(BaseCommand):
    help = "常态化任务日常处理：生成当期应办事项、判定完成/逾期、发送即将到期和逾期提醒"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按该日期处理（YYYY-MM-DD，默认今天）")
        parser.add_argument("--json", action="store_true", help="输出 JSON")

    def handle(self, *args, **options):
        on_date = date_option(options["date"])
        result = services.daily(on_date)
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        for row in result["duties"]:
            self.stdout.write(
                f"{row['name']:<30} {row['period'] or '-':<12} "
                f"{row['created']:>6} / {row['targets']}"
            )
        self.stdout.write(
            f"{result['date']}：新生成 {result['generated']} 项，完成 {result['met']} 项，"
            f"逾期 {result['missed']} 项，即将到期 {result['due_soon']} 项，"
            f"发送提醒 {result['notifications']} 条"
        )
