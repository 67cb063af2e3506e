"""Unread notices (xiaoan.core.todos)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xiaoan.core.todos import Todo, live_provider
from xiaoan.notifications.services import unread_count


@live_provider
def notification_todos(user: Any) -> list[Todo]:
    url = f"{reverse('notifications:inbox')}?unread=1"
    return [Todo("notifications.unread", _("未读通知"), unread_count(user), url, order=90)]
