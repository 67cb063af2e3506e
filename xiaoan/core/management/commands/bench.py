from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Benchmarks: `xiaoan bench hazards` (p50/p95 of the pages that matter, export cost), "
        "`xiaoan bench inspections` (a month's generation, the coverage report), "
        "`xiaoan bench import` (plan-document import of a generated 100-page plan), "
        "`xiaoan bench dashboard` (home page and 一张图 for a school, a district, the province), "
        "`xiaoan bench alerts` (signed events to a running server, the worker killed and "
        "PostgreSQL restarted mid-run), "
        "`xiaoan bench cluster` (a realistic mix against the localhost cluster of "
        "scripts/cluster.sh, an app server and a worker killed mid-run; run it as "
        "`scripts/cluster.sh bench`)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "area",
            choices=["hazards", "inspections", "import", "dashboard", "alerts", "cluster"],
        )
        parser.add_argument("--units", type=int, default=10_000)
        parser.add_argument("--hazards", type=int, default=1_000_000)
        parser.add_argument("--runs", type=int, default=30, help="requests per measurement")
        parser.add_argument("--export-rows", type=int, default=100_000)
        parser.add_argument(
            "--months", type=int, default=12, help="inspections: months of history to keep"
        )
        parser.add_argument("--tasks", type=int, default=400, help="import: tasks in the plan")
        parser.add_argument("--events", type=int, default=6000, help="alerts: events to send")
        parser.add_argument("--senders", type=int, default=16, help="alerts: sending processes")
        parser.add_argument("--workers", type=int, default=2, help="alerts: server processes")
        parser.add_argument(
            "--threads", type=int, default=8, help="alerts: threads per server process (gthread)"
        )
        parser.add_argument(
            "--batch", type=int, default=1, help="alerts: events per request (a gateway, ≤ 100)"
        )
        parser.add_argument(
            "--no-chaos", action="store_true", help="alerts: keep the worker and database up"
        )
        parser.add_argument(
            "--restart-db", default=None, help="alerts: the command restarting PostgreSQL"
        )
        parser.add_argument(
            "--url", default="http://127.0.0.1:8080", help="cluster: nginx in front of it"
        )
        parser.add_argument("--seconds", type=int, default=90, help="cluster: load duration")
        parser.add_argument("--clients", type=int, default=6, help="cluster: client processes")
        parser.add_argument(
            "--samples", type=int, default=20, help="cluster: in-process samples per kind"
        )

    def handle(self, *args, **options):
        def out(line: str) -> None:
            self.stdout.write(line)
            self.stdout.flush()

        if options["area"] == "inspections":
            from xiaoan.inspections import bench as inspection_bench

            root, schedule = inspection_bench.build(options["units"], options["months"], out)
            inspection_bench.measure(root, schedule, options["runs"], out)
        elif options["area"] == "hazards":
            from xiaoan.hazards import bench

            root = bench.build(options["units"], options["hazards"], out)
            bench.measure(root, options["runs"], options["export_rows"], out)
        elif options["area"] == "dashboard":
            from xiaoan.hazards import bench
            from xiaoan.reports import bench as reports_bench

            root = bench.build(options["units"], options["hazards"], out)
            reports_bench.build(root, out)
            reports_bench.measure(root, options["runs"], out)
        elif options["area"] == "import":
            from xiaoan.plans import bench as plans_bench

            plans_bench.measure(options["tasks"], min(options["runs"], 5), out)
        elif options["area"] == "alerts":
            from xiaoan.alerts import bench as alerts_bench

            alerts_bench.run(
                events=options["events"],
                processes=options["senders"],
                workers=options["workers"],
                threads=options["threads"],
                batch=max(1, min(100, options["batch"])),
                chaos=not options["no_chaos"],
                restart_command=options["restart_db"],
                out=out,
            )
        elif options["area"] == "cluster":
            from xiaoan.core import clusterbench

            clusterbench.run(
                base=options["url"].rstrip("/"),
                seconds=options["seconds"],
                clients=options["clients"],
                chaos=not options["no_chaos"],
                samples=options["samples"],
                out=out,
            )
        else:  # pragma: no cover - argparse refuses other values
            raise CommandError(options["area"])
