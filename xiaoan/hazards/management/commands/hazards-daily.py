from django.core.management.base import BaseCommand

from xiaoan.hazards import services


class Command(BaseCommand):
    help = (
        "每日隐患期限检查：标记逾期、提醒即将到期、逾期过久的自动挂牌督办、"
        "督办逾期未答复告知督办单位，并校正台账计数。"
    )

    def handle(self, *args, **options):
        result = services.daily()
        self.stdout.write(
            f"逾期 {result['overdue']} 条，自动督办 {result['supervised']} 条，"
            f"到期提醒 {result['due_soon']} 条，督办逾期未答复 {result['late_answers']} 条，"
            f"计数校正 {result['tally_fixed']} 项。"
        )
