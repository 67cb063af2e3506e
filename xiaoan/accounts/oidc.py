"""Single sign-on through the province's OpenID Connect provider (mozilla-django-oidc).

On only when `XIAOAN_OIDC_*` is configured (settings.py). The provider's person is matched by
one claim (`XIAOAN_OIDC_USERNAME_CLAIM`) to an existing account's username or mobile number
(`XIAOAN_OIDC_ACCOUNT_FIELD`). Nobody is created here: an account carries a unit and roles
that only its managers give. Refused: unknown people, inactive or locked-out accounts, and the
platform administrators (三员), whose login stays local with the second factor. A refusal is
written to the audit trail and told on the login page; a login is recorded like any other
(the `user_logged_in` signal) and then lives under the same session rules (idle and absolute
limits, the second factor when a role requires it), except the local password's policy: a
password the person did not use is not made to change.
"""

from __future__ import annotations

import logging
from typing import Any

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation
from django.http import HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.translation import gettext_lazy as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView

from xiaoan.accounts.authority import is_platform_admin
from xiaoan.accounts.password_middleware import SSO_SESSION_KEY
from xiaoan.audit.models import AuditAction
from xiaoan.audit.services import record
from xiaoan.core.names import normalize_name

logger = logging.getLogger(__name__)

MESSAGES = {
    "unknown": _("统一身份认证账号“%(name)s”没有对应的校安账号，请联系本单位系统管理员开通账号。"),
    "inactive": _("您的校安账号已停用，无法登录。"),
    "locked": _("您的账号因多次登录失败已被暂时锁定，请稍后再试。"),
    "platform_admin": _(
        "平台管理员（三员）不能使用统一身份认证登录，请使用账号密码和动态验证码登录。"
    ),
    "no_claim": _("统一身份认证没有提供用于匹配账号的信息，请联系系统管理员。"),
    "failed": _("统一身份认证登录失败，请重试或使用账号密码登录。"),
    "unavailable": _("统一身份认证服务暂时无法访问，请稍后再试或使用账号密码登录。"),
}


class SsoRefused(Exception):
    """Stops the login with a reason. Deliberately not a SuspiciousOperation, which
    mozilla-django-oidc swallows without saying why."""

    def __init__(self, reason: str, name: str = "", user: Any = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.name = name
        self.user = user

    @property
    def message(self) -> str:
        return str(MESSAGES[self.reason]) % {"name": self.name}


def claim_value(claims: dict) -> str:
    """The configured claim as the name the account is looked up by ("" when absent)."""
    value = claims.get(settings.XIAOAN_OIDC_USERNAME_CLAIM)
    if isinstance(value, bool) or not isinstance(value, str | int):
        return ""
    return normalize_name(str(value))[:150]


def matching_accounts(value: str):
    """Accounts the claim names, inactive ones included (so they are refused by name)."""
    users = get_user_model()._default_manager
    if settings.XIAOAN_OIDC_ACCOUNT_FIELD == "mobile":
        digits = value.replace(" ", "").replace("-", "")
        if digits.startswith("+86"):
            digits = digits[3:]
        return users.filter(mobile_hash__matches=digits)
    return users.filter(username=value)


def check_may_use_sso(request: Any, user: Any, name: str) -> None:
    if not user.is_active:
        raise SsoRefused("inactive", name, user)
    if user.is_superuser or is_platform_admin(user):
        raise SsoRefused("platform_admin", name, user)
    if settings.AXES_ENABLED:
        from axes.handlers.proxy import AxesProxyHandler

        if AxesProxyHandler.is_locked(request, {"username": user.get_username()}):
            raise SsoRefused("locked", name, user)


class OidcBackend(OIDCAuthenticationBackend):
    """Authenticates the callback of the code flow; grants no permissions of its own (those
    come from the role assignments, `ScopedRoleBackend`)."""

    def authenticate(self, request, **kwargs):
        # Only the callback view passes a nonce: a password login whose address happens to
        # carry ?code=&state= must not start a token exchange.
        if request is None or "nonce" not in kwargs:
            return None
        return super().authenticate(request, **kwargs)

    def verify_token(self, token, **kwargs):
        try:
            payload = super().verify_token(token, **kwargs)
        except jwt.PyJWTError as exc:  # expired, malformed key…: the library lets these out
            raise SuspiciousOperation(f"id_token refused: {exc}") from exc
        # mozilla-django-oidc checks neither the issuer nor the audience.
        if payload.get("iss") != settings.XIAOAN_OIDC_ISSUER:
            raise SuspiciousOperation("id_token from another issuer")
        audience = payload.get("aud")
        audiences = [audience] if isinstance(audience, str) else list(audience or [])
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("id_token for another client")
        if "exp" not in payload:
            raise SuspiciousOperation("id_token without expiry")
        return payload

    def get_userinfo(self, access_token, id_token, payload):
        info = super().get_userinfo(access_token, id_token, payload)
        if not isinstance(info, dict) or info.get("sub") != payload.get("sub"):
            raise SsoRefused("failed")  # OIDC Core 5.3.2: the answer is about someone else
        return {**info, **payload}  # the signed id_token wins where both name a claim

    def verify_claims(self, claims):
        if not claim_value(claims):
            raise SsoRefused("no_claim")
        return True

    def filter_users_by_claims(self, claims):
        return matching_accounts(claim_value(claims))

    def create_user(self, claims):
        raise SsoRefused("unknown", claim_value(claims))

    def update_user(self, user, claims):
        check_may_use_sso(self.request, user, claim_value(claims))
        return user

    def get_user(self, user_id):
        # The library's get_user would keep a deactivated person's session alive.
        return ModelBackend.get_user(self, user_id)

    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        return set()

    def get_all_permissions(self, user_obj, obj=None):
        return set()

    def has_perm(self, user_obj, perm, obj=None):
        return False

    def has_module_perms(self, user_obj, app_label):
        return False


class CallbackView(OIDCAuthenticationCallbackView):
    """The provider's redirect back: every way it can fail ends on the login page with a
    message and an audit entry, not as a 400 or 500."""

    def get(self, request):
        try:
            return super().get(request)
        except SsoRefused as refusal:
            return self.refuse(refusal)
        except SuspiciousOperation as exc:  # state, nonce, signature, issuer, audience
            logger.warning("single sign-on refused: %s", exc)
            return self.refuse(SsoRefused("failed"))
        except requests.RequestException as exc:
            logger.warning("single sign-on provider unreachable: %s", exc)
            return self.refuse(SsoRefused("unavailable"))

    def login_success(self):
        response = super().login_success()
        self.request.session[SSO_SESSION_KEY] = True
        return response

    def login_failure(self):
        # With `self.user` set, django.contrib.auth has already sent user_login_failed,
        # which the audit trail records: write no second entry.
        return self.refuse(SsoRefused("failed"), audit=not hasattr(self, "user"))

    def refuse(self, refusal: SsoRefused, audit: bool = True) -> HttpResponseRedirect:
        request = self.request
        if audit:
            user = refusal.user
            record(
                AuditAction.LOGIN_FAILED,
                actor=None,
                request=request,
                unit=getattr(user, "unit_id", None),
                obj=user,
                detail={"username": refusal.name, "method": "oidc", "reason": refusal.reason},
                object_repr=refusal.name,
            )
        messages.error(request, refusal.message)
        return HttpResponseRedirect(resolve_url(settings.LOGIN_URL))
