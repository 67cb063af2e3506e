from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from xiaoan.core.names import normalize_name
from xiaoan.core.scoping import scope_filter, user_permissions


def login_name(identifier: str) -> str:
    """The account's username for what was typed at login (username or mobile number).

    Login failures are counted and locked per username (django-axes); resolving the mobile
    number first makes both spellings count against, and be locked with, the same account."""
    model = get_user_model()
    identifier = normalize_name(identifier or "")  # as usernames are stored
    if not identifier or model._default_manager.filter(username=identifier).exists():
        return identifier
    username = (
        model._default_manager.filter(mobile_hash__matches=identifier)
        .values_list("username", flat=True)
        .first()
    )
    return username or identifier


class ScopedRoleBackend(ModelBackend):
    """Log in with username or mobile number; permissions come from role assignments.

    `user.has_perm(perm)` is true when any assignment grants it; with an object it is true
    only when the object's unit is inside the assignment's scope.
    """

    def authenticate(
        self, request, username: str | None = None, password: str | None = None, **kwargs: Any
    ):
        if not username or not password:
            return None
        username = normalize_name(username)
        model = get_user_model()
        user = model._default_manager.filter(
            Q(username=username) | Q(mobile_hash__matches=username)
        ).first()
        if user is None:
            model().set_password(password)  # same work either way: no timing oracle
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous:
            return set()
        return user_permissions(user_obj)

    def has_perm(self, user_obj, perm: str, obj=None) -> bool:
        if not user_obj.is_active:
            return False
        if obj is None:
            return perm in self.get_all_permissions(user_obj)
        model = type(obj)
        lookup = getattr(model, "scope_unit_field", "unit")
        return (
            model._default_manager.filter(pk=obj.pk)
            .filter(scope_filter(user_obj, perm, lookup))
            .exists()
        )
