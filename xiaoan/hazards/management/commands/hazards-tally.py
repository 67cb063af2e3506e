from django.core.management.base import BaseCommand

from xiaoan.hazards import rollup, tally


class Command(BaseCommand):
    help = "重建隐患台账的分单位计数和一张图的统计汇总（批量导入隐患后使用；每日任务会自动校正）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="只校正与实际不符的计数，不整体重建。"
        )

    def handle(self, *args, **options):
        if options["check"]:
            self.stdout.write(f"校正 {tally.reconcile()} 项计数。")
            self.stdout.write(f"校正 {rollup.reconcile()} 个单位的统计汇总。")
        else:
            self.stdout.write(f"已重建 {tally.rebuild()} 项计数。")
            self.stdout.write(f"已重建 {rollup.rebuild()} 个单位的统计汇总。")
