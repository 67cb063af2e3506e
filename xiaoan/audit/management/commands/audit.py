"""`xiaoan audit verify|tail|archive`: the audit trail from the console."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from xiaoan.audit import archive as archiving
from xiaoan.audit import services
from xiaoan.audit.models import AuditEntry
from xiaoan.core.commands import date_option


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")


class Command(BaseCommand):
    help = "安全审计：verify 校验记录链，tail 查看最新记录，archive 归档过期记录。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="command", required=True)
        sub.add_parser("verify", help="逐条校验审计记录链，发现断裂时以非零状态退出")
        tail = sub.add_parser("tail", help="显示最新的审计记录")
        tail.add_argument("-n", type=int, default=20, help="条数（默认 20）")
        tail.add_argument("--json", action="store_true", help="每行一条 JSON")
        arch = sub.add_parser("archive", help="把超过保留期的记录归档到文件后删除")
        arch.add_argument("--before", help="归档此日期（YYYY-MM-DD）之前的记录")

    def handle(self, *args, command: str, **options):
        getattr(self, f"_{command}")(**options)

    def _verify(self, **options) -> None:
        verdict = services.verify()
        if verdict.broken is not None:
            entry = verdict.broken.entry
            reason = "与前一条记录不衔接" if verdict.broken.reason == "prev" else "内容与校验值不符"
            raise CommandError(
                f"审计记录链断裂：第一条异常记录 ID {entry.id}（{_local(entry.at)}），"
                f"{reason}。此前 {verdict.count} 条完好。"
            )
        self.stdout.write(f"审计记录链完好，共 {verdict.count} 条。")

    def _tail(self, n: int, json: bool = False, **options) -> None:
        if n < 1:
            raise CommandError("-n 须为正整数")
        entries = list(AuditEntry.objects.order_by("-id")[:n])
        entries.reverse()
        for entry in entries:
            if json:
                self.stdout.write(_dumps(archiving.row_json(entry)))
            else:
                self.stdout.write(
                    "  ".join(
                        part
                        for part in (
                            _local(entry.at),
                            str(entry.get_action_display()),
                            entry.actor_name or "—",
                            entry.ip or "—",
                            " ".join(p for p in (entry.object_type, entry.object_id) if p),
                            entry.object_repr,
                        )
                        if part
                    )
                )

    def _archive(self, before: str | None = None, **options) -> None:
        try:
            result = archiving.archive(date_option(before))
        except archiving.ArchiveError as error:
            raise CommandError(str(error)) from None
        if result is None:
            self.stdout.write("没有需要归档的审计记录。")
            return
        self.stdout.write(
            f"已归档 {result.count} 条（ID {result.first_id}–{result.last_id}）到 {result.path}，"
            f"SHA-256 {result.sha256}。"
        )


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)
