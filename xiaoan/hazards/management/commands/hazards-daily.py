from django.core.management.base import BaseCommand

from xiaoan.hazards import services


class Command(BaseCommand):
    help = "每日隐患期限检查：标记逾期、提醒即将到期、逾期过久的自动挂牌督办。"

    def handle(self, *args, **options):
        result = services.mark_overdue()
        self.stdout.write(
            f"逾期 {result['overdue']} 条，自动督办 {result['supervised']} 条，"
            f"到期提醒 {result['due_soon']} 条。"
        )
