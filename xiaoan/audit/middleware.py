from __future__ import annotations

from xiaoan.audit.services import current_request


class AuditRequestMiddleware:
    """Holds the request being served for `audit.services.record` (source address, user
    agent, actor) so that services and signal receivers need not pass it along."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)
