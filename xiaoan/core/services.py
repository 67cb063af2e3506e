"""Shared service helpers: permission checks and the re-check after write."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from xiaoan.core.errors import Forbidden, NotFound, field_error
from xiaoan.core.scoping import has_permission_anywhere, permission_name


def require_permission(user: Any, model: type[models.Model], action: str) -> None:
    """403 when the user holds the permission nowhere at all."""
    if not has_permission_anywhere(user, permission_name(model, action)):
        raise Forbidden()


def get_scoped(user: Any, model: type[models.Model], pk: Any, action: str = "view"):
    """The object if the user may `action` it; 404 when it is not visible, 403 when it is
    visible but the action is not allowed."""
    manager = model._default_manager
    try:
        obj = manager.restrict(user, "view").get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
    if action != "view" and not manager.restrict(user, action).filter(pk=obj.pk).exists():
        raise Forbidden()
    return obj


def ensure_in_scope(user: Any, obj: models.Model, action: str = "change") -> None:
    """Re-check after a write inside the transaction: moving a record out of one's own scope
    fails and the caller's atomic block rolls back."""
    manager = type(obj)._default_manager
    if not manager.restrict(user, action).filter(pk=obj.pk).exists():
        raise Forbidden(_("保存后的记录不在您的管理范围内，操作已撤销。"))


def clean_text(
    value: Any, field: str, label: str, limit: int = 2000, *, required: bool = True
) -> str:
    """A typed text of a service's input, stripped: refused when required and empty, or
    longer than `limit` characters, with the field's label in the message."""
    text = str(value or "").strip()
    if required and not text:
        raise field_error(gettext("请填写%(what)s。") % {"what": label}, field)
    if len(text) > limit:
        raise field_error(
            gettext("%(what)s不超过 %(n)d 个字。") % {"what": label, "n": limit}, field
        )
    return text
