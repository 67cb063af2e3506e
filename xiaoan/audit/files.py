"""Recording the files the platform hands out: exports (lists it writes) and downloads
(stored files). One call at each place that returns a file."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.db import models

from xiaoan.audit.models import AuditAction
from xiaoan.audit.services import current_request, record

# Query parameters that say nothing about what was exported.
IGNORED_PARAMS = {"page", "page_size", "csrfmiddlewaretoken"}


def _filters() -> dict[str, Any]:
    request = current_request.get()
    if request is None:
        return {}
    query = request.GET
    return {
        key: (values[0] if len(values) == 1 else values)
        for key, values in query.lists()
        if key not in IGNORED_PARAMS
    }


def file_served(
    action: str,
    kind: str,
    *,
    obj: models.Model | None = None,
    filename: str = "",
    **extra: Any,
) -> None:
    """Record an export (`action="export"`) or a download (`"download"`) of the current
    request: what (`kind`, the record, the file name) and with which filters."""
    detail: dict[str, Any] = {"kind": kind, "filters": _filters()}
    if filename:
        detail["filename"] = str(filename)
    detail.update(extra)
    record(action, obj=obj, detail=detail)


def exported(kind: str) -> Callable:
    """Decorator for a view that returns an export: record it when it answers 200."""

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            response = view(*args, **kwargs)
            if getattr(response, "status_code", None) == 200:
                file_served(AuditAction.EXPORT, kind)
            return response

        return wrapper

    return decorate
