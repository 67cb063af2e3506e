"""The built-in roles. Their permissions are defined here and synced on every migrate;
units may add roles of their own through the role pages."""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.utils.translation import gettext_lazy as _

UNIT_VIEW = ["orgs.view_unit"]
UNIT_MANAGE = ["orgs.view_unit", "orgs.add_unit", "orgs.change_unit"]
PEOPLE_VIEW = ["accounts.view_user", "accounts.view_roleassignment"]
PEOPLE_MANAGE = [
    "accounts.view_user",
    "accounts.add_user",
    "accounts.change_user",
    "accounts.view_roleassignment",
    "accounts.add_roleassignment",
    "accounts.delete_roleassignment",
]


PLACES_VIEW = ["orgs.view_place"]
PLACES_MANAGE = ["orgs.view_place", "orgs.add_place", "orgs.change_place"]
HAZARD_MANAGE = [
    "hazards.view_hazard",
    "hazards.add_hazard",
    "hazards.change_hazard",
    "hazards.confirm_hazard",
    "hazards.assign_hazard",
    "hazards.rectify_hazard",
    "hazards.verify_hazard",
    "hazards.supervise_hazard",
    "hazards.decide_extension_hazard",
    "hazards.export_hazard",
]
INSPECTION_MANAGE = [
    "inspections.view_inspection",
    "inspections.add_inspection",
    "inspections.change_inspection",
    "inspections.conduct_inspection",
    "inspections.view_checklisttemplate",
    "inspections.add_checklisttemplate",
    "inspections.change_checklisttemplate",
]
INSPECTION_VIEW = ["inspections.view_inspection", "inspections.view_checklisttemplate"]
# Recurring duties: issue them (an authority to its schools, a school to its departments),
# see the obligations they create and report the records that prove them.
DUTY_MANAGE = [
    "duties.view_duty",
    "duties.add_duty",
    "duties.change_duty",
    "duties.view_obligation",
    "duties.report_obligation",
]
DUTY_VIEW = ["duties.view_duty", "duties.view_obligation"]
# Plans: the issuer's heads and safety officers manage them; the units a task is assigned to
# report on it (every permission is `plans.<action>_plan`, see xiaoan.plans.models).
PLAN_MANAGE = ["plans.view_plan", "plans.add_plan", "plans.change_plan", "plans.report_plan"]
PLAN_REPORT = ["plans.view_plan", "plans.report_plan"]
PLAN_VIEW = ["plans.view_plan"]
# Indicators: a school reports its values, the unit above reviews them; an authority adds
# its own indicators and sets stricter targets for its subtree.
INDICATOR_MANAGE = [
    "indicators.view_indicator",
    "indicators.add_indicator",
    "indicators.change_indicator",
    "indicators.view_indicatorvalue",
    "indicators.report_indicatorvalue",
    "indicators.review_indicatorvalue",
]
INDICATOR_VIEW = ["indicators.view_indicator", "indicators.view_indicatorvalue"]
# Hazardous chemicals (危化品台账): a school's head and safety officer keep the catalogue, the
# storages and the ledger and sign movements as the second person (双人双锁); supervisors
# and auditors read it.
CHEMICAL_VIEW = [
    "chemicals.view_chemical",
    "chemicals.view_storage",
    "chemicals.view_balance",
    "chemicals.view_stockmovement",
    "chemicals.view_stocktake",
]
CHEMICAL_MANAGE = [
    *CHEMICAL_VIEW,
    "chemicals.add_chemical",
    "chemicals.change_chemical",
    "chemicals.add_storage",
    "chemicals.change_storage",
    "chemicals.add_stockmovement",
    "chemicals.confirm_stockmovement",
    "chemicals.add_stocktake",
]
# Registers (台账, xiaoan.core.registers): each register app adds its model here; heads and
# safety officers keep them (retiring is a change), supervisors, auditors and inspectors
# read them.
REGISTER_MODELS = [
    "buildings.buildingfile",
    "equipment.equipment",
    "fireassets.fireasset",
    "fireassets.fireassetcheck",
    "certificates.certificate",
    "emergency.emergencyplan",
    "emergency.emergencyteam",
    "cameras.camera",
    "cameras.alarmpoint",
    "waters.water",
    "waters.waterpatrol",
    "vehicles.campusvehicle",
    "vehicles.violation",
    "traffic.trafficagreement",
    "buses.bus",
    "buses.buscheck",
    "events.event",
    "construction.constructionproject",
    "security.securityposture",
    "lawsafety.legalviceprincipal",
    "lawsafety.policeroom",
    "lawsafety.counsellor",
    "training.trainingsession",
    "activities.activity",
    "incidents.dutyshift",
]
REGISTER_MANAGE = [
    f"{m.split('.')[0]}.{action}_{m.split('.')[1]}"
    for m in REGISTER_MODELS
    for action in ("view", "add", "change")
]
REGISTER_VIEW = [f"{m.split('.')[0]}.view_{m.split('.')[1]}" for m in REGISTER_MODELS]
# Hot-work permits (动火作业审批): heads and safety officers request, approve and cancel;
# the on-site supervisor (监护人) they name starts and finishes the work; those above read.
HOTWORK_SUPERVISE = ["hotwork.view_hotworkpermit", "hotwork.supervise_hotworkpermit"]
HOTWORK_MANAGE = [
    *HOTWORK_SUPERVISE,
    "hotwork.add_hotworkpermit",
    "hotwork.change_hotworkpermit",
    "hotwork.approve_hotworkpermit",
]
HOTWORK_VIEW = ["hotwork.view_hotworkpermit"]
# Drills (应急演练): heads and safety officers plan, record and evaluate them; supervisors,
# and auditors read them (an invited observer reads that one drill only).
DRILL_VIEW = ["drills.view_drill"]
DRILL_MANAGE = [
    *DRILL_VIEW,
    "drills.add_drill",
    "drills.change_drill",
    "drills.record_drill",
    "drills.evaluate_drill",
]
# Incidents (事件): heads and safety officers report, follow up and review them; classifying
# and closing take the same right held above the school (the services check it); supervisors
# and auditors read.
INCIDENT_VIEW = ["incidents.view_incident"]
INCIDENT_MANAGE = [
    *INCIDENT_VIEW,
    "incidents.add_incident",
    "incidents.change_incident",
    "incidents.review_incident",
    "incidents.classify_incident",
]
# 销号复核: a bureau's heads and safety officers draw the monthly sample and review; the
# supervisors review what they are assigned; auditors read. A school's own grant never
# covers its bureau's sample (it sees the reopened hazard and its event instead).
CLOSURE_VIEW = ["closure.view_closuresample"]
CLOSURE_REVIEW = [*CLOSURE_VIEW, "closure.review_closuresample"]
CLOSURE_MANAGE = [*CLOSURE_REVIEW, "closure.add_closuresample"]
# Message channels (群机器人、短信): a unit's heads and safety officers set them up and send
# test messages; auditors read them and the delivery log (never the address or secret).
CHANNEL_VIEW = ["channels.view_channel", "channels.view_delivery"]
CHANNEL_MANAGE = [*CHANNEL_VIEW, "channels.add_channel", "channels.change_channel"]
# 预警处置: heads and safety officers acknowledge, handle and close their units' alerts and
# set silences; they also keep rules over their subtree and, at a bureau, post warnings to
# its schools (the services refuse a posting from a school); supervisors and auditors read.
ALERT_VIEW = [
    "alerts.view_alert",
    "alerts.view_alertrule",
    "alerts.view_silence",
    "alerts.view_bulletin",
    "alerts.view_alertsource",
]
ALERT_MANAGE = [
    *ALERT_VIEW,
    "alerts.handle_alert",
    "alerts.add_silence",
    "alerts.change_silence",
    "alerts.add_alertrule",
    "alerts.change_alertrule",
    "alerts.add_bulletin",
    "alerts.add_alertsource",
    "alerts.change_alertsource",
]
# Campus vehicles: lifting a blacklisting (and setting the school's rule) is the head's.
VEHICLE_LIFT = ["vehicles.lift_campusvehicle"]
# 大型活动签批: the head (第一责任人) signs off a large event; safety officers prepare it.
EVENT_SIGNOFF = ["events.signoff_event"]
# 安防建设: a bureau's heads and safety officers verify their schools' declarations (the
# services refuse it at the school itself: a school never verifies its own).
SECURITY_VERIFY = ["security.verify_securityposture"]


@dataclass(frozen=True)
class RoleSpec:
    code: str
    name: str
    description: str
    permissions: tuple[str, ...]
    is_platform: bool = False


BUILTIN_ROLES: list[RoleSpec] = [
    RoleSpec(
        "unit_head",
        _("单位负责人"),
        _("第一责任人：本单位及下级单位的全面管理"),
        (
            "orgs.lead_unit",
            *UNIT_MANAGE,
            *PEOPLE_MANAGE,
            "accounts.view_role",
            *PLACES_MANAGE,
            *HAZARD_MANAGE,
            *INSPECTION_MANAGE,
            *DUTY_MANAGE,
            *PLAN_MANAGE,
            *INDICATOR_MANAGE,
            *CHEMICAL_MANAGE,
            *REGISTER_MANAGE,
            *HOTWORK_MANAGE,
            *DRILL_MANAGE,
            *INCIDENT_MANAGE,
            *CLOSURE_MANAGE,
            *CHANNEL_MANAGE,
            *ALERT_MANAGE,
            *VEHICLE_LIFT,
            *EVENT_SIGNOFF,
            *SECURITY_VERIFY,
        ),
    ),
    RoleSpec(
        "safety_officer",
        _("安全管理员"),
        _("安办主任/安全股工作人员：日常安全管理"),
        (
            *UNIT_MANAGE,
            *PEOPLE_MANAGE,
            "accounts.view_role",
            *PLACES_MANAGE,
            *HAZARD_MANAGE,
            *INSPECTION_MANAGE,
            *DUTY_MANAGE,
            *PLAN_MANAGE,
            *INDICATOR_MANAGE,
            *CHEMICAL_MANAGE,
            *REGISTER_MANAGE,
            *HOTWORK_MANAGE,
            *DRILL_MANAGE,
            *INCIDENT_MANAGE,
            *CLOSURE_MANAGE,
            *CHANNEL_MANAGE,
            *ALERT_MANAGE,
            *SECURITY_VERIFY,
        ),
    ),
    RoleSpec(
        "inspector",
        _("检查员"),
        _("开展检查；校外专家和第三方机构仅限受邀的检查"),
        (
            *UNIT_VIEW,
            *PLACES_VIEW,
            "hazards.add_hazard",
            *INSPECTION_VIEW,
            "inspections.conduct_inspection",
            *REGISTER_VIEW,
        ),
    ),
    RoleSpec(
        "rectification_owner",
        _("整改责任人"),
        _("负责隐患整改落实"),
        (
            *UNIT_VIEW,
            *PLACES_VIEW,
            "hazards.view_hazard",
            "hazards.add_hazard",
            "hazards.rectify_hazard",
            *PLAN_REPORT,
            *HOTWORK_SUPERVISE,
        ),
    ),
    RoleSpec(
        "reporter",
        _("随手拍上报人"),
        _("教职工或学生，可随手拍上报隐患；只看到自己上报的隐患"),
        (*UNIT_VIEW, *PLACES_VIEW, "hazards.add_hazard"),
    ),
    RoleSpec(
        "supervisor",
        _("督查员"),
        _("上级督查：查看下级单位情况并督办"),
        (
            *UNIT_VIEW,
            *PEOPLE_VIEW,
            *PLACES_VIEW,
            "hazards.view_hazard",
            "hazards.supervise_hazard",
            "hazards.export_hazard",
            # 督查: supervisors plan and carry out supervision inspections of their subtree.
            *INSPECTION_VIEW,
            "inspections.add_inspection",
            "inspections.change_inspection",
            "inspections.conduct_inspection",
            *DUTY_VIEW,
            *PLAN_VIEW,
            *INDICATOR_VIEW,
            *CHEMICAL_VIEW,
            *REGISTER_VIEW,
            *HOTWORK_VIEW,
            *DRILL_VIEW,
            *INCIDENT_VIEW,
            *CLOSURE_REVIEW,
            *ALERT_VIEW,
        ),
    ),
    RoleSpec(
        "auditor",
        _("审计员"),
        _("只读查看本单位及下级单位的记录和变更历史"),
        (
            *UNIT_VIEW,
            *PEOPLE_VIEW,
            "accounts.view_role",
            *PLACES_VIEW,
            "hazards.view_hazard",
            "hazards.export_hazard",
            *INSPECTION_VIEW,
            *DUTY_VIEW,
            *PLAN_VIEW,
            *INDICATOR_VIEW,
            *CHEMICAL_VIEW,
            *REGISTER_VIEW,
            *HOTWORK_VIEW,
            *DRILL_VIEW,
            *INCIDENT_VIEW,
            *CLOSURE_VIEW,
            *CHANNEL_VIEW,
            *ALERT_VIEW,
        ),
    ),
    RoleSpec(
        "system_admin",
        _("系统管理员"),
        _("三员之一：维护单位和用户账号，不能授权，不能查看业务数据"),
        (
            *UNIT_MANAGE,
            "accounts.view_user",
            "accounts.add_user",
            "accounts.change_user",
            "accounts.view_role",
        ),
        is_platform=True,
    ),
    RoleSpec(
        "security_admin",
        _("安全保密管理员"),
        _("三员之一：角色、安全策略与授权，不能维护账号和单位，不能查看业务数据"),
        (
            *UNIT_VIEW,
            "accounts.view_user",
            "accounts.view_roleassignment",
            "accounts.add_roleassignment",
            "accounts.delete_roleassignment",
            "accounts.view_role",
            "accounts.add_role",
            "accounts.change_role",
        ),
        is_platform=True,
    ),
    RoleSpec(
        "audit_admin",
        _("安全审计员"),
        _("三员之一：查看全平台审计日志，只读"),
        (
            *UNIT_VIEW,
            *PEOPLE_VIEW,
            "accounts.view_role",
            "audit.view_auditentry",
            "audit.export_auditentry",
        ),
        is_platform=True,
    ),
]

# Accountability (约谈问责): a bureau's heads and safety officers draft and issue decisions and
# accept commitments; a named school's heads and officers see their entry and report their
# commitments (a unit's own people only, see the commitment's scope); supervisors and
# auditors read.
ACCOUNTABILITY_VIEW = ["accountability.view_decision", "accountability.view_commitment"]
ACCOUNTABILITY_MANAGE = [
    *ACCOUNTABILITY_VIEW,
    "accountability.add_decision",
    "accountability.change_decision",
    "accountability.report_commitment",
    "accountability.accept_commitment",
]
_ACCOUNTABILITY_ROLES = {
    "unit_head": ACCOUNTABILITY_MANAGE,
    "safety_officer": ACCOUNTABILITY_MANAGE,
    "supervisor": ACCOUNTABILITY_VIEW,
    "auditor": ACCOUNTABILITY_VIEW,
}
# Reports upward (上报材料): heads and safety officers issue calls from a bureau, draft and
# submit their unit's reports, and decide (accept or return) the reports called by their
# bureau (the services refuse a unit deciding its own); supervisors and auditors read.
REPORTCALL_VIEW = ["reportcalls.view_reportcall", "reportcalls.view_report"]
REPORTCALL_MANAGE = [
    *REPORTCALL_VIEW,
    "reportcalls.add_reportcall",
    "reportcalls.change_report",
    "reportcalls.submit_report",
    "reportcalls.accept_report",
]
_REPORTCALL_ROLES = {
    "unit_head": REPORTCALL_MANAGE,
    "safety_officer": REPORTCALL_MANAGE,
    "supervisor": REPORTCALL_VIEW,
    "auditor": REPORTCALL_VIEW,
}
BUILTIN_ROLES = [
    RoleSpec(
        spec.code,
        spec.name,
        spec.description,
        (
            *spec.permissions,
            *_ACCOUNTABILITY_ROLES.get(spec.code, ()),
            *_REPORTCALL_ROLES.get(spec.code, ()),
        ),
        spec.is_platform,
    )
    for spec in BUILTIN_ROLES
]
# 学生安全专员: a minor's records (xiaoan.studentcases) are seen by the people named on them
# and by this role, assigned at the school itself (the principal or a designated teacher) —
# never through a bureau's subtree. Heads, safety officers, supervisors and auditors see the
# counts per school only (`count_studentcase`, scoped over their subtree as usual).
STUDENT_CASE_COUNT = "studentcases.count_studentcase"
BUILTIN_ROLES = [
    replace(spec, permissions=(*spec.permissions, STUDENT_CASE_COUNT))
    if spec.code in ("unit_head", "safety_officer", "supervisor", "auditor")
    else spec
    for spec in BUILTIN_ROLES
]
BUILTIN_ROLES.insert(
    -3,
    RoleSpec(
        "student_safety",
        _("学生安全专员"),
        _("本校学生安全个案、欺凌事件和矛盾纠纷排查的登记、跟进与查看（仅限任职学校）"),
        (
            *UNIT_VIEW,
            "studentcases.view_studentcase",
            "studentcases.add_studentcase",
            "studentcases.followup_studentcase",
            "studentcases.close_studentcase",
            "studentcases.export_studentcase",
            "studentcases.count_studentcase",
            "studentcases.view_bullyingcase",
            "studentcases.add_bullyingcase",
            "studentcases.handle_bullyingcase",
            "studentcases.view_conflictscreening",
            "studentcases.add_conflictscreening",
        ),
    ),
)
# 学生欺凌复查/复核专员: the review (复查) is the county-level 学生欺凌防治 body's and the
# re-examination (复核) the city-level one's. Two roles, assigned at an education authority
# over its subtree: one person may sit on one body and not the other, and a city's 复核 person
# is not handed the reviews of the schools the city runs itself. A holder sees only the
# bullying cases for which their step was asked for (xiaoan.studentcases.access).
BUILTIN_ROLES[-3:-3] = [
    RoleSpec(
        "bullying_reviewer",
        _("学生欺凌复查专员"),
        _(
            "区县学生欺凌防治机构：作出本局直属学校申请复查的欺凌事件的复查结论（仅限申请复查的事件）"
        ),
        (*UNIT_VIEW, "studentcases.review_bullyingcase"),
    ),
    RoleSpec(
        "bullying_reexaminer",
        _("学生欺凌复核专员"),
        _(
            "市级学生欺凌防治机构：作出下级区县学校申请复核的欺凌事件的复核结论（仅限申请复核的事件）"
        ),
        (*UNIT_VIEW, "studentcases.reexamine_bullyingcase"),
    ),
]

# 群众举报 (xiaoan.publicreports): a school's heads and safety officers handle the reports
# (accept into the hazard ledger, reject, mark duplicate), read the reporter's phone number
# and manage the public page (QR code, rotate its address, switch it off); bureau
# supervisors and auditors read the reports of their subtree (phone numbers masked).
PUBLIC_REPORT_VIEW = ["publicreports.view_publicreport", "publicreports.view_publicchannel"]
PUBLIC_REPORT_MANAGE = [
    *PUBLIC_REPORT_VIEW,
    "publicreports.handle_publicreport",
    "publicreports.phone_publicreport",
    "publicreports.change_publicchannel",
]
_PUBLIC_REPORT_ROLES = {
    "unit_head": PUBLIC_REPORT_MANAGE,
    "safety_officer": PUBLIC_REPORT_MANAGE,
    "supervisor": ["publicreports.view_publicreport"],
    "auditor": ["publicreports.view_publicreport"],
}
# 风险分级管控 (xiaoan.risks): a unit's heads and safety officers register, assess, control,
# check and export risk points over their subtree; supervisors and auditors read and export
# (a district sees its schools' registers); rectification owners record control checks at
# their department. A measure's person checks their own measures without any of these.
RISK_VIEW = ["risks.view_riskpoint", "risks.export_riskpoint"]
RISK_MANAGE = [
    *RISK_VIEW,
    "risks.add_riskpoint",
    "risks.change_riskpoint",
    "risks.assess_riskpoint",
    "risks.check_riskpoint",
]
_RISK_ROLES = {
    "unit_head": RISK_MANAGE,
    "safety_officer": RISK_MANAGE,
    "supervisor": RISK_VIEW,
    "auditor": RISK_VIEW,
    "rectification_owner": ["risks.view_riskpoint", "risks.check_riskpoint"],
}
# The later apps' grants, added to the roles above in one pass.
_ADDED = (_PUBLIC_REPORT_ROLES, _RISK_ROLES)
BUILTIN_ROLES = [
    replace(
        spec,
        permissions=(*spec.permissions, *(p for added in _ADDED for p in added.get(spec.code, ()))),
    )
    for spec in BUILTIN_ROLES
]

PLATFORM_ROLE_CODES = {spec.code for spec in BUILTIN_ROLES if spec.is_platform}


def sync_builtin_roles(**kwargs) -> None:
    """Create or update the built-in roles (idempotent; runs after every migrate). Uses the
    migrated state's model, so a partial `migrate <app>` does not trip over columns that do
    not exist yet."""
    state = kwargs.get("apps")
    if state is None:
        from xiaoan.accounts.models import Role
    else:
        try:
            Role = state.get_model("accounts", "Role")
        except LookupError:  # accounts not migrated yet
            return
    fields = {f.name for f in Role._meta.get_fields()}
    from xiaoan.accounts.models import Role as CurrentRole

    if fields >= {f.name for f in CurrentRole._meta.get_fields()}:
        Role = CurrentRole

    for spec in BUILTIN_ROLES:
        defaults = {
            "name": str(spec.name),
            "description": str(spec.description),
            "permissions": sorted(set(spec.permissions)),
            "is_platform": spec.is_platform,
            "is_builtin": True,
        }
        if spec.is_platform and "require_mfa" in fields:
            # The three administrators always need a second factor; for the other built-in
            # roles it is the security administrator's setting and survives a migrate.
            defaults["require_mfa"] = True
        Role.objects.update_or_create(code=spec.code, defaults=defaults)
