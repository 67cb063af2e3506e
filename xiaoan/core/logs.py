"""Log lines for a log collector: one JSON object per line (XIAOAN_LOG_FORMAT=json) with the
time, level, logger, message, the id of the request or job being served and the exception;
the request id is added to every record by RequestIdFilter (plain text format too)."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from xiaoan.core import requestid

# Fields a caller may pass with `extra=` that belong in the JSON line (the access line's).
EXTRA_FIELDS = ("method", "route", "status", "duration_ms", "user_id", "job")


class RequestIdFilter(logging.Filter):
    """Stamps the current request (or job) id on the record while still in its context, so a
    handler on another thread formats the right one; "-" outside any request."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = requestid.get() or "-"
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        request_id = getattr(record, "request_id", None)
        if request_id in (None, "-"):
            request_id = requestid.get()
        line = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": request_id,
        }
        for field in EXTRA_FIELDS:
            value = getattr(record, field, None)
            if value is not None:
                line[field] = value
        if record.exc_info:
            line["exc_info"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack_info"] = self.formatStack(record.stack_info)
        # ensure_ascii=False keeps Chinese messages readable; json escapes newlines, so one
        # record is one line whatever its message holds.
        return json.dumps(line, ensure_ascii=False, default=str)
