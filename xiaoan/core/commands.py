"""Small pieces the management commands share."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import CommandError


def date_option(value: str | None) -> dt.date | None:
    """A `--date YYYY-MM-DD` option (None: today, as the service decides)."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError("日期格式为 YYYY-MM-DD") from None


def run_reporting(command, options: dict, work, done: str) -> None:
    """Run a backup-style job: progress to stdout (stderr under --json, so stdout stays one
    JSON document), a refusal as its Chinese message and exit status 2, then the summary
    (`done` % its figures, or its JSON)."""
    import json
    import sys

    from xiaoan.core.backup import BackupError, human_size

    out = command.stderr if options["json"] else command.stdout
    report = out.write if options["verbosity"] > 0 else (lambda _message: None)
    try:
        summary = work(report)
    except BackupError as error:
        command.stderr.write(error.message)
        sys.exit(2)
    if options["json"]:
        command.stdout.write(json.dumps(summary.as_json(), ensure_ascii=False))
        return
    for note in summary.notes:
        command.stdout.write(note)
    figures = {
        "p": summary.path,
        "t": summary.tables,
        "r": summary.rows,
        "m": summary.media_files,
        "s": human_size(summary.bytes),
    }
    command.stdout.write(done % figures)
