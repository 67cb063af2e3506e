import json

from django.core.management.base import BaseCommand
from django.utils import timezone

from xiaoan.core.commands import date_option
from xiaoan.inspections import schedules


class Command(BaseCommand):
    help = "按检查计划生成当期检查（重复运行不会重复生成）"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按该日期所在的周期生成（YYYY-MM-DD，默认今天）")
        parser.add_argument("--json", action="store_true", help="输出 JSON")

    def handle(self, *args, **options):
        on_date = date_option(options["date"])
        results = schedules.generate_all(on_date)
        rows = [r.as_dict() for r in results]
        total = sum(r["created"] for r in rows)
        if options["json"]:
            payload = {
                "date": (on_date or timezone.localdate()).isoformat(),
                "created": total,
                "schedules": rows,
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
            return
        for row in rows:
            note = f"（{row['skipped']}）" if row["skipped"] else ""
            self.stdout.write(
                f"{row['name']:<24} {row['period'] or '-':<12} "
                f"{row['created']:>6} / {row['targets']:<6}{note}"
            )
        self.stdout.write(f"共生成 {total} 项检查")
