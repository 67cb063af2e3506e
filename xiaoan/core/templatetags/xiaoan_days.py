"""Day counts as a person says them: 今天, not "0 天前" or "已 0 天".

{% load xiaoan_days %}
{{ hazard.age|days_ago }}    今天 / 昨天 / 3 天前
{{ hazard.age|days_open }}   今天 / 已 3 天
{{ days_left|days_left }}    今天到期 / 明天到期 / 剩 3 天
"""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


def _days(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@register.filter
def days_ago(value) -> str:
    days = _days(value)
    if days is None:
        return ""
    if days <= 0:
        return _("今天")
    if days == 1:
        return _("昨天")
    return ngettext("%(d)d 天前", "%(d)d 天前", days) % {"d": days}


@register.filter
def days_open(value) -> str:
    days = _days(value)
    if days is None:
        return ""
    if days <= 0:
        return _("今天")
    return ngettext("已 %(d)d 天", "已 %(d)d 天", days) % {"d": days}


@register.filter
def days_left(value) -> str:
    days = _days(value)
    if days is None:
        return ""
    if days <= 0:
        return _("今天到期")
    if days == 1:
        return _("明天到期")
    return ngettext("剩 %(d)d 天", "剩 %(d)d 天", days) % {"d": days}
