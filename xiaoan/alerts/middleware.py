"""The outside systems' intake served before the rest of the middleware.

A sensor's request carries no session, cookie, CSRF token or user, and the intake must take
bursts of them (`xiaoan bench alerts`); the session, authentication, OTP, audit, history and
page middleware would only cost it time. The answers and errors are those of the API views
(xiaoan.alerts.api.intake), which serve the same paths when this middleware is left out."""

from __future__ import annotations

import logging

from django.db import InterfaceError, OperationalError, connection
from django.http import JsonResponse
from django.urls import resolve, reverse
from django.utils.translation import gettext as _

from xiaoan.core.api import bad_input_error, error_body
from xiaoan.core.errors import ServiceError

logger = logging.getLogger(__name__)


class IntakeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.paths: dict[str, str] | None = None
        self.matches: dict[str, object] = {}

    def _routes(self) -> dict[str, str]:
        if self.paths is None:
            self.paths = {
                reverse("api:alert-intake"): "signed",
                reverse("api:alert-alertmanager"): "alertmanager",
            }
        return self.paths

    def __call__(self, request):
        route = self._routes().get(request.path) if request.method == "POST" else None
        if route is None:
            return self.get_response(request)
        # Set as URL resolution would have (logging and the tests' route coverage read it).
        if route not in self.matches:
            self.matches[route] = resolve(request.path_info)
        request.resolver_match = self.matches[route]
        from xiaoan.alerts.api.intake import answer_alertmanager, answer_signed

        # No ping before the first query (CONN_HEALTH_CHECKS): a connection the database
        # dropped fails this request with nothing stored, the sender retries, and Django
        # replaces the connection when the request ends. The ping was a quarter of the
        # intake's round trips.
        connection.health_check_done = True
        try:
            body = request.body
            if route == "signed":
                status, answer = answer_signed(request.headers, body)
            else:
                status, answer = answer_alertmanager(request.headers.get("Authorization", ""), body)
        except ServiceError as error:
            status, answer = error.status, error_body(error.code, str(error.message), error.fields)
        except (OperationalError, InterfaceError):
            # The database is away (a restart): nothing was stored; the sender retries.
            logger.warning("intake: the database is unavailable", exc_info=True)
            answer = error_body("unavailable", _("暂时无法接收，请稍后重试。"))
            response = JsonResponse(answer, status=503, json_dumps_params={"ensure_ascii": False})
            response["Retry-After"] = "1"
            return response
        except Exception as error:
            bad = bad_input_error(error)
            if bad is None:
                raise
            status, answer = 400, error_body(*bad)
        return JsonResponse(answer, status=status, json_dumps_params={"ensure_ascii": False})
