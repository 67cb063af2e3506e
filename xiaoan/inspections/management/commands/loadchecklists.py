from django.core.management.base import BaseCommand

from xiaoan.inspections.loader import load_library


class Command(BaseCommand):
    help = "载入或更新内置检查表库（可重复执行；检查项有变化时生成新版本）"

    def handle(self, *args, **options):
        report = load_library()
        self.stdout.write(
            f"新建 {len(report.created)} 个，新版本 {len(report.new_versions)} 个，"
            f"未变化 {len(report.unchanged)} 个"
        )
        for code in report.new_versions:
            self.stdout.write(f"  新版本：{code}")
