"""Signal receivers feeding the audit trail: logins, logouts, failures, lockouts and the
create/change/delete history of every model django-simple-history tracks."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

from xiaoan.audit.models import AuditAction
from xiaoan.audit.services import record

HISTORY_ACTIONS = {"+": AuditAction.CREATE, "~": AuditAction.CHANGE, "-": AuditAction.DELETE}
# Bookkeeping fields whose change alone is not worth an entry.
QUIET_FIELDS = {"updated_at", "last_login", "numchild"}


def _tried_user(username: str) -> Any:
    if not username:
        return None
    User = get_user_model()
    return User.objects.filter(username=username).only("pk", "username", "unit_id").first()


def on_login(sender, request, user, **kwargs) -> None:
    record(AuditAction.LOGIN, actor=user, request=request, obj=user)


def on_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        record(AuditAction.LOGOUT, actor=user, request=request, obj=user)


def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    # Django has already masked the password in `credentials`; only the name tried is kept.
    username = str(credentials.get("username") or "")[:150]
    _failed(AuditAction.LOGIN_FAILED, request, username)


def on_locked_out(sender, request=None, username=None, ip_address=None, **kwargs) -> None:
    _failed(AuditAction.LOCKOUT, request, str(username or "")[:150])


def _failed(action: str, request: Any, username: str) -> None:
    user = _tried_user(username)
    record(
        action,
        actor=None,
        request=request,
        unit=getattr(user, "unit_id", None),
        detail={"username": username},
        obj=user,
        object_repr=username,
    )


def on_history(sender, instance, history_instance, history_user=None, **kwargs) -> None:
    action = HISTORY_ACTIONS.get(history_instance.history_type)
    if action is None:
        return
    detail: dict[str, Any] = {}
    if action == AuditAction.CHANGE:
        fields = changed_fields(history_instance)
        if not fields or set(fields) <= QUIET_FIELDS:
            return
        detail["fields"] = fields
    reason = getattr(history_instance, "history_change_reason", None)
    if reason:
        detail["reason"] = str(reason)[:500]
    record(action, actor=history_user, obj=instance, detail=detail)


def changed_fields(history_instance: Any) -> list[str]:
    """Names of the tracked fields this save changed (never their values)."""
    previous = history_instance.prev_record
    if previous is None:
        return []
    delta = history_instance.diff_against(previous)
    return sorted(change.field for change in delta.changes)


def connect() -> None:
    from axes.signals import user_locked_out
    from simple_history.signals import post_create_historical_record

    user_logged_in.connect(on_login, dispatch_uid="audit_login")
    user_logged_out.connect(on_logout, dispatch_uid="audit_logout")
    user_login_failed.connect(on_login_failed, dispatch_uid="audit_login_failed")
    user_locked_out.connect(on_locked_out, dispatch_uid="audit_lockout")
    post_create_historical_record.connect(on_history, dispatch_uid="audit_history")
