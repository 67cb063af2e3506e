import json

from django.core.management.base import BaseCommand
from django.db.models import Count

from xiaoan.inspections.models import ChecklistTemplate


class Command(BaseCommand):
    help = "列出检查表（--json 输出机器可读的清单）"

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="输出 JSON")
        parser.add_argument("--all", action="store_true", help="含各单位的副本（默认只列内置）")

    def handle(self, *args, **options):
        templates = ChecklistTemplate.objects.annotate(n=Count("current_version__items"))
        if not options["all"]:
            templates = templates.filter(owner_unit__isnull=True)
        rows = [
            {"code": t.code, "name": t.name, "domain": t.domain, "items": t.n}
            for t in templates.order_by("code")
        ]
        if options["json"]:
            self.stdout.write(json.dumps({"templates": rows}, ensure_ascii=False))
            return
        for row in rows:
            self.stdout.write(f"{row['code']:<24} {row['items']:>4}  {row['name']}")
        self.stdout.write(f"共 {len(rows)} 个检查表，{sum(r['items'] for r in rows)} 个检查项")
