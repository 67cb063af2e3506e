from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from xiaoan.reports import rollups


class Command(BaseCommand):
    help = (
        "Recount the dashboard's rollups from the records (every kind, or --kind): after a "
        "bulk load, or to see whether anything drifted. Prints how many rows were wrong."
    )

    def add_arguments(self, parser):
        parser.add_argument("--kind", help="one tally: " + ", ".join(sorted(rollups.tallies())))

    def handle(self, *args, **options):
        kinds = sorted(rollups.tallies())
        if options["kind"]:
            if options["kind"] not in kinds:
                raise CommandError(f"未知的统计类别：{options['kind']}（可选：{'、'.join(kinds)}）")
            kinds = [options["kind"]]
        for kind in kinds:
            self.stdout.write(f"{kind}: 校正 {rollups.reconcile(kind)} 个单位的统计汇总。")
