"""Each request is one action: its notices are grouped per person, and its user is told
nothing of what they did themselves."""

from __future__ import annotations

from xiaoan.notifications.services import grouped


class GroupedNotificationsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Read lazily: an API token is authenticated inside the view, which sets request.user.
        with grouped(lambda: getattr(request, "user", None)):
            return self.get_response(request)
