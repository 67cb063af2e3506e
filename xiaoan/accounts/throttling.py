"""Rate limits. Login failures lock an account from the address they came from (django-axes,
parameters username + address), so nobody can lock a known username out for ever from one
machine; an address that fails too often across accounts is refused for the cool-off time;
the token, password and write endpoints of the API are throttled per caller. All counters
live in the cache (Redis in production), so they hold across app servers."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _
from rest_framework.throttling import SimpleRateThrottle

from xiaoan.core.errors import ServiceError


class TooManyRequests(ServiceError):
    status = 429
    code = "throttled"
    default_message = _("请求过于频繁，请稍后再试。")


def client_ip(request: Any) -> str:
    from xiaoan.audit.services import client_ip as address

    return address(request) or "unknown"


def _address_key(request: Any) -> str:
    return f"xiaoan:login-failures:{client_ip(request)}"


def address_blocked(request: Any) -> bool:
    """True when this address failed more logins (any accounts) than allowed lately."""
    limit = settings.XIAOAN_LOGIN_ADDRESS_FAILURE_LIMIT
    return bool(limit) and (cache.get(_address_key(request)) or 0) >= limit


def bump(key: str, timeout: int) -> int:
    """Add one to a counter in the cache and return it; the first bump starts its timeout.
    add + incr are atomic on Redis and locmem alike, so several app servers count as one."""
    if cache.add(key, 1, timeout):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout)
        return 1


def count_address_failure(request: Any) -> None:
    bump(_address_key(request), settings.XIAOAN_LOGIN_COOLOFF_MINUTES * 60)


def check_address(request: Any) -> None:
    if address_blocked(request):
        raise TooManyRequests(
            _("该网络地址登录失败次数过多，请%(minutes)d分钟后再试。")
            % {"minutes": settings.XIAOAN_LOGIN_COOLOFF_MINUTES}
        )


class _ConfiguredRate(SimpleRateThrottle):
    """A throttle whose rate is read from settings at call time ("" or None: off)."""

    setting = ""

    def __init__(self) -> None:  # SimpleRateThrottle reads THROTTLE_RATES at import time
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate) if self.rate else (None, None)

    def get_rate(self) -> str | None:
        return getattr(settings, self.setting, "") or None

    def allow_request(self, request, view) -> bool:
        if not self.rate:
            return True
        return super().allow_request(request, view)


class TokenRateThrottle(_ConfiguredRate):
    """Token requests per source address (they come before anyone is known)."""

    scope = "token"
    setting = "XIAOAN_RATE_TOKEN"

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request)}


class _PerPersonWrites(_ConfiguredRate):
    """Counts writes (not reads) per person, or per address before anyone is known."""

    def get_cache_key(self, request, view) -> str | None:
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return None
        ident = request.user.pk if request.user.is_authenticated else client_ip(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


class PasswordRateThrottle(_PerPersonWrites):
    """Password changes and resets per person."""

    scope = "password"
    setting = "XIAOAN_RATE_PASSWORD"


class WriteRateThrottle(_PerPersonWrites):
    """Every write (POST, PUT, PATCH, DELETE) per person: a runaway script or a stolen
    token cannot flood the ledger."""

    scope = "write"
    setting = "XIAOAN_RATE_WRITE"
