"""Session rules: idle timeout, absolute session length, and the second-factor gate."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from xiaoan.core.api import error_body

LAST_SEEN = "xiaoan_last_seen"
AUTH_AT = "xiaoan_auth_at"
# The activity stamp is rewritten at most this often, so a busy session is not saved on
# every request (the idle limit is therefore exact to within this many seconds).
TOUCH_SECONDS = 60


def _is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


def _redirect(request: HttpRequest, url_name: str) -> HttpResponse:
    """To `url_name`, coming back here afterwards (htmx requests are told to load it)."""
    url = reverse(url_name)
    if request.method == "GET":
        url += "?" + urlencode({"next": request.get_full_path()})
    if request.headers.get("HX-Request") == "true":
        response = HttpResponse(status=200)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def start_session_clocks(sender, request, user, **kwargs) -> None:
    """On login (signal user_logged_in): the idle and the absolute limit count from now."""
    session = getattr(request, "session", None)
    if session is not None:
        session[AUTH_AT] = session[LAST_SEEN] = int(time.time())


class SessionTimeoutMiddleware:
    """Logs a session out after `XIAOAN_SESSION_IDLE_MINUTES` without a request, and after
    `XIAOAN_SESSION_HOURS` since login whatever the activity (saving the activity stamp
    renews the session's own expiry, so the absolute limit is enforced here)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            message = self._expired(request, now)
            if message:
                logout(request)
                if _is_api(request):
                    response = JsonResponse(error_body("not_authenticated", message), status=401)
                    response["WWW-Authenticate"] = 'Token realm="api"'
                    return response
                messages.warning(request, message)
                return _redirect(request, settings.LOGIN_URL)
            self._stamp(request, now)
        return self.get_response(request)

    @staticmethod
    def _expired(request: HttpRequest, now: int) -> str:
        session = request.session
        auth_at = session.get(AUTH_AT)
        if auth_at is not None and now - auth_at > settings.SESSION_COOKIE_AGE:
            return _("登录已超过 %(hours)d 小时，请重新登录。") % {
                "hours": settings.SESSION_COOKIE_AGE // 3600
            }
        idle = settings.XIAOAN_SESSION_IDLE_SECONDS
        last_seen = session.get(LAST_SEEN)
        if idle and last_seen is not None and now - last_seen > idle:
            return _("长时间未操作，已自动退出，请重新登录。")
        return ""

    @staticmethod
    def _stamp(request: HttpRequest, now: int) -> None:
        session = request.session
        if session.get(AUTH_AT) is None:  # a session from before this middleware
            session[AUTH_AT] = now
            session[LAST_SEEN] = now
        elif now - session.get(LAST_SEEN, 0) >= TOUCH_SECONDS:
            session[LAST_SEEN] = now


# Views an authenticated session may reach before it has passed the second factor.
OPEN_BEFORE_SECOND_FACTOR = {
    "accounts:mfa_verify",
    "accounts:mfa_setup",
    "accounts:logout",
    "api:token",  # checks password and code itself
}


class SecondFactorMiddleware:
    """A person to whom the second factor applies (required by a role, or enrolled of their
    own accord) reaches nothing but the code page, the enrolment page and logout until the
    session is verified (django-otp's `request.user.is_verified()`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        match = request.resolver_match
        if match is not None and match.view_name in OPEN_BEFORE_SECOND_FACTOR:
            return None
        from xiaoan.accounts.mfa import mfa_state

        required, enrolled = mfa_state(user)
        if not (required or enrolled):
            return None
        if _is_api(request):
            return JsonResponse(
                error_body("mfa_required", _("请先在网页上完成双因素认证（动态验证码）。")),
                status=403,
            )
        return _redirect(request, "accounts:mfa_verify" if enrolled else "accounts:mfa_setup")
