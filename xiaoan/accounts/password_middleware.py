"""The password policy at the door: a password set by someone else (a reset, a new account)
or past its age must be replaced before anything else; a password about to expire is
announced once a day."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.permissions import BasePermission

from xiaoan.accounts import passwords

# Pages a person whose password must change may still open (the second-factor pages too:
# enrolment may come first).
OPEN_PREFIXES = (
    "/accounts/password/",
    "/accounts/logout/",
    "/accounts/login/",
    "/accounts/mfa/",
    "/static/",
    "/healthz",
    "/readyz",
    "/metrics",
    "/api/",  # the API enforces it itself (PasswordCurrent), with a structured error
)
WARNED_KEY = "xiaoan_password_warned"
# Set on a session opened by single sign-on (xiaoan.accounts.oidc): the local password had no
# part in it, so its policy does not stand in the way (a local login still enforces it).
SSO_SESSION_KEY = "xiaoan_signed_on"


def _signed_on(request) -> bool:
    session = getattr(request, "session", None)
    return bool(session is not None and session.get(SSO_SESSION_KEY))


class PasswordPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not _signed_on(request):
            reason = passwords.change_required(user)
            if reason and not request.path.startswith(OPEN_PREFIXES):
                return redirect("accounts:my_password")
            if not reason and request.method == "GET" and not request.path.startswith("/api/"):
                self._warn(request, user)
        return self.get_response(request)

    def _warn(self, request, user) -> None:
        left = passwords.days_left(user)
        today = timezone.localdate().isoformat()
        if left is None or request.session.get(WARNED_KEY) == today:
            return
        request.session[WARNED_KEY] = today
        if left == 0:
            text = _("您的密码今天到期，请及时修改。")
        else:
            text = _("您的密码将在%(days)d天后到期，请及时修改。") % {"days": left}
        messages.warning(request, text)


class PasswordCurrent(BasePermission):
    """API calls of a person whose password must change are refused (403) except changing
    it: the same rule as the pages, for session and token callers alike."""

    message = _("请先修改密码（临时密码或密码已过期）。")
    code = "password_change_required"

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not getattr(user, "is_authenticated", False) or _signed_on(request):
            return True
        return not passwords.change_required(user)
