from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xiaoan.core.scoping import user_permissions

# Modules to come are listed so the shape of the product is visible from day one.
MODULES = [
    ("core:home", _("工作台"), None),
    ("orgs:unit_list", _("单位"), "orgs.view_unit"),
    ("accounts:user_list", _("人员与授权"), "accounts.view_user"),
    (None, _("隐患台账"), None),
    (None, _("检查排查"), None),
    (None, _("方案任务"), None),
    (None, _("安全台账"), None),
    (None, _("培训演练"), None),
    (None, _("预警"), None),
    (None, _("统计报表"), None),
]


def shell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    perms = user_permissions(user)
    nav = []
    for url_name, label, perm in MODULES:
        if perm and perm not in perms:
            continue
        nav.append(
            {
                "label": label,
                "url": reverse(url_name) if url_name else None,
                "active": bool(url_name)
                and request.path.startswith(reverse(url_name))
                and (url_name != "core:home" or request.path == "/"),
            }
        )
    assignments = list(
        user.assignments.select_related("role", "unit").order_by("unit__path", "role_id")
    )
    return {
        "nav_items": nav,
        "my_assignments": assignments,
        "switchable_units": {a.unit_id: a.unit for a in assignments if a.unit_id}.values(),
        "current_unit": request.current_unit,
        "my_perms": perms,
    }
