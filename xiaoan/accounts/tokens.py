"""API tokens: created, listed and revoked by their owner, stored only as a hash.

A key is 40 random URL-safe characters (240 bits from `secrets`), so a plain SHA-256 of it
is enough: nobody can guess or brute-force a key of that size, and a slow password hash
would only make every API call slower. The first 8 characters are kept in clear as the
prefix people recognise their tokens by.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from xiaoan.accounts.models import ApiToken, User
from xiaoan.audit.models import AuditAction
from xiaoan.audit.services import record as audit
from xiaoan.core.errors import NotFound

PREFIX_LENGTH = 8
# last_used_at is written at most once per this interval, to spare the database.
TOUCH_INTERVAL = dt.timedelta(minutes=1)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def new_key() -> str:
    return secrets.token_urlsafe(30)  # 30 bytes → 40 characters


def default_expiry(now: dt.datetime | None = None) -> dt.datetime | None:
    days = settings.XIAOAN_API_TOKEN_DAYS
    if not days:
        return None
    return (now or timezone.now()) + dt.timedelta(days=days)


@transaction.atomic
def create_token(user: User, name: str = "") -> tuple[ApiToken, str]:
    """A new token for `user`; returns the row and the key, which is never stored."""
    key = new_key()
    token = ApiToken.objects.create(
        user=user,
        name=name.strip()[:100],
        prefix=key[:PREFIX_LENGTH],
        key_hash=hash_key(key),
        expires_at=default_expiry(),
    )
    _audit(user, "create", token)
    return token, key


def _audit(owner: Any, step: str, token: ApiToken) -> None:
    detail = {"step": step, "token": token.pk, "prefix": token.prefix, "name": token.name}
    audit(AuditAction.TOKEN, actor=owner, obj=owner, detail=detail)


def active_tokens(user: Any):
    now = timezone.now()
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).exclude(expires_at__lte=now)


def own_tokens(user: Any):
    """The person's tokens that still work, newest first (revoked and expired ones drop out)."""
    return active_tokens(user).order_by("-created_at", "-id")


@transaction.atomic
def revoke(user: Any, token_id: Any) -> ApiToken:
    """Revoke one of the person's own tokens. Anyone else's token is 404."""
    try:
        token = ApiToken.objects.select_for_update().get(
            pk=int(token_id), user=user, revoked_at__isnull=True
        )
    except (ApiToken.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("令牌不存在或已撤销。")) from None
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    _audit(user, "revoke", token)
    return token


def revoke_all(user: Any) -> int:
    """End every API token of the person (a new password, set by its owner or reset)."""
    count = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if count:  # the actor is the request's user (who changed the password), if any
        audit(AuditAction.TOKEN, obj=user, detail={"step": "revoke_all", "count": count})
    return count


class TokenRejected(exceptions.APIException):
    """401 whichever authentication class comes first (DRF turns AuthenticationFailed into
    403 when the first class, sessions, offers no WWW-Authenticate header)."""

    status_code = 401
    default_code = "authentication_failed"
    default_detail = gettext_lazy("令牌无效。")
    auth_header = "Token"


class ApiTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>` against the hashed ApiToken rows."""

    keyword = "Token"

    def authenticate_credentials(self, key: str):
        token = (
            ApiToken.objects.select_related("user").filter(key_hash=hash_key(key)).first()
            if key
            else None
        )
        if token is None:
            raise TokenRejected(_("令牌无效。"))
        now = timezone.now()
        if token.revoked_at is not None:
            raise TokenRejected(_("令牌已撤销，请重新获取。"))
        if token.expires_at is not None and token.expires_at <= now:
            raise TokenRejected(_("令牌已过期，请重新获取。"))
        if not token.user.is_active:
            raise TokenRejected(_("账号已停用。"))
        if token.last_used_at is None or now - token.last_used_at >= TOUCH_INTERVAL:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return token.user, token
