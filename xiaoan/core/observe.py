"""The first middleware: gives each request its id (a sane X-Request-ID, a new one
otherwise), echoes it, times the whole request for /metrics and logs one access line."""

from __future__ import annotations

import logging
import time

from django.utils.functional import empty
from django.utils.log import log_response

from xiaoan.core import metrics, requestid

access_log = logging.getLogger("xiaoan.request")


def _user_id(request) -> int | None:
    """The user's id if something already loaded the user (never a query of its own)."""
    user = getattr(request, "user", None)
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    return user.pk if getattr(user, "is_authenticated", False) else None


class ObservationMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        rid = requestid.accept(request.headers.get(requestid.HEADER))
        with requestid.bound(rid):
            started = time.perf_counter()
            response = self.get_response(request)
            seconds = time.perf_counter() - started
            view = metrics.view_label(request)
            metrics.observe(view, request.method, response.status_code, seconds)
            response[requestid.HEADER] = rid
            if response.status_code >= 400:
                # Django's own "Not Found: /x" line, written here while the id is bound (it
                # marks the response logged, so the handler does not write it again unbound).
                log_response(
                    "%s: %s",
                    response.reason_phrase,
                    request.path,
                    response=response,
                    request=request,
                )
            access_log.info(
                "%s %s %s %.1fms",
                request.method,
                view,
                response.status_code,
                seconds * 1000,
                extra={
                    "method": request.method,
                    "route": view,
                    "status": response.status_code,
                    "duration_ms": round(seconds * 1000, 1),
                    "user_id": _user_id(request),
                },
            )
        return response
