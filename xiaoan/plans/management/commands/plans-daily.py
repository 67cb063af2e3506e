from django.core.management.base import BaseCommand

from xiaoan.plans import services


class Command(BaseCommand):
    help = "每日方案任务期限检查：标记逾期任务并发送逾期、即将到期提醒。"

    def handle(self, *args, **options):
        result = services.daily()
        self.stdout.write(f"逾期 {result['overdue']} 项，到期提醒 {result['due_soon']} 项。")
