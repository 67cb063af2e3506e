from django.core.management.base import BaseCommand

from xiaoan.notifications import services


class Command(BaseCommand):
    help = "向选择“每天汇总”的人员各发一封当天未读消息的汇总邮件（重复运行不会重发）"

    def handle(self, *args, **options):
        result = services.send_digests()
        self.stdout.write(f"已发送汇总邮件 {result['digests']} 封")
