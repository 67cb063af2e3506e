from __future__ import annotations

from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from xiaoan.core.scoping import user_permissions

HAZARD_PAGES = ("hazards.view_hazard", "hazards.add_hazard")
INSPECTION_PAGES = "inspections.view_inspection"
DUTY_PAGES = ("duties.view_duty", "duties.view_obligation")

# Only sections that exist are listed (no placeholders for modules to come).
# The third value is the permission (or any of several) the entry needs; None: everyone.
# The fourth groups entries under one menu (so the bar keeps to one line at 1280 px); what
# people open every day stays on the bar.
WORK, EDUCATION, PEOPLE = _("常态工作"), _("宣传教育"), _("单位人员")
MODULES = [
    ("core:home", _("工作台"), None, None),
    ("reports:dashboard", _("一张图"), "hazards.view_hazard", None),
    ("hazards:my_tasks", _("我的待办"), HAZARD_PAGES, None),
    ("hazards:hazard_list", _("隐患台账"), HAZARD_PAGES, None),
    ("inspections:inspection_list", _("检查排查"), INSPECTION_PAGES, None),
    ("alerts:alert_list", _("预警处置"), "alerts.view_alert", None),
    ("duties:obligation_list", _("常态化任务"), DUTY_PAGES, WORK),
    ("risks:riskpoint_list", _("风险分级管控"), "risks.view_riskpoint", WORK),
    ("plans:plan_list", _("工作方案"), "plans.view_plan", WORK),
    ("accountability:decision_list", _("约谈问责"), "accountability.view_decision", WORK),
    ("indicators:indicator_list", _("指标"), "indicators.view_indicator", WORK),
    ("hotwork:hotworkpermit_list", _("动火作业"), "hotwork.view_hotworkpermit", WORK),
    ("studentcases:studentcase_list", _("学生安全个案"), "studentcases.view_studentcase", WORK),
    ("studentcases:studentcase_counts", _("学生个案统计"), "studentcases.count_studentcase", WORK),
    (
        "studentcases:bullyingcase_list",
        _("欺凌事件复查复核"),
        ("studentcases.review_bullyingcase", "studentcases.reexamine_bullyingcase"),
        WORK,
    ),
    ("training:trainingsession_list", _("安全培训"), "training.view_trainingsession", EDUCATION),
    ("activities:activity_list", _("安全教育"), "activities.view_activity", EDUCATION),
    ("drills:drill_list", _("应急演练"), "drills.view_drill", EDUCATION),
    ("incidents:incident_list", _("事件与值班"), "incidents.view_incident", WORK),
    ("closure:sample_list", _("销号复核"), "closure.view_closuresample", WORK),
    ("reportcalls:report_list", _("上报材料"), "reportcalls.view_report", WORK),
    ("publicreports:publicreport_list", _("群众举报"), "publicreports.view_publicreport", WORK),
    ("orgs:unit_list", _("单位"), "orgs.view_unit", PEOPLE),
    ("accounts:user_list", _("人员与授权"), "accounts.view_user", PEOPLE),
]


def _grouped(items: list[dict]) -> list[dict]:
    """Entries of one group become one menu where the first of them stands; a group with a
    single entry stays a plain entry."""
    out: list[dict] = []
    menus: dict[str, dict] = {}
    for item in items:
        group = item.pop("group")
        if group is None:
            out.append(item)
        elif group in menus:
            menus[group]["children"].append(item)
            menus[group]["active"] = menus[group]["active"] or item["active"]
        else:
            menus[group] = {"label": group, "children": [item], "active": item["active"]}
            out.append(menus[group])
    return [m["children"][0] if len(m.get("children", ())) == 1 else m for m in out]


def _allowed(perm, perms: set[str]) -> bool:
    if not perm:
        return True
    if isinstance(perm, tuple | list):
        return any(p in perms for p in perm)
    return perm in perms


def _sees_registers(perms: set[str]) -> bool:
    """Whether any register (xiaoan.core.registers.registry) is visible to these perms."""
    from xiaoan.core.registers import registry

    return any(r.perm("view") in perms for r in registry)


def _invited(user) -> bool:
    from xiaoan.inspections.models import InspectionInvite

    return InspectionInvite.objects.filter(user_id=user.pk).exists()


def shell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from xiaoan.notifications.services import unread_count

    perms = user_permissions(user)
    unread = unread_count(user)
    inbox_label = format_lazy("{}（{}）", _("消息"), unread) if unread else _("消息")
    nav_perms = perms
    if INSPECTION_PAGES not in perms and _invited(user):
        # An invited expert or peer inspector holds no role, only the inspections they were
        # invited to: the entry leads to those.
        nav_perms = {*perms, INSPECTION_PAGES}
    entries = [
        (url, label, group) for url, label, perm, group in MODULES if _allowed(perm, nav_perms)
    ]
    if _sees_registers(nav_perms):
        # 台账: with the daily work, when any register is visible.
        entries.append(("core:registers", _("台账"), WORK))
    entries.append(("notifications:inbox", inbox_label, None))
    urls = [reverse(url_name) for url_name, _label, _group in entries]
    # The entry whose address is the longest prefix of this page is the active one.
    matches = [u for u in urls if request.path.startswith(u) and (u != "/" or request.path == "/")]
    active = max(matches, key=len, default=None)
    nav = _grouped(
        [
            {"label": label, "url": url, "active": url == active, "group": group}
            for (_name, label, group), url in zip(entries, urls, strict=True)
        ]
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
        "unread_notifications": unread,
    }
