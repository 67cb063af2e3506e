"""The demo district: a city bureau, a district bureau with its sections and about twelve
schools, and a city-run university with its departments. Used by `xiaoan demo` and tests."""

from __future__ import annotations

from typing import Any

CITY = {"name": "鄂州市教育局", "kind": "authority", "aliases": "市教育局"}
DISTRICT = {"name": "梁子湖区教育局", "kind": "authority", "aliases": "区教育局、梁子湖区教育局"}
SECTIONS = ["安全股", "办公室", "督导办", "基础教育股", "计财股"]
# name, school_type, enrolment, boarding, boarding_students, staff
SCHOOLS: list[tuple[str, str, int, bool, int | None, int]] = [
    ("梁子湖高级中学", "senior", 1860, True, 1500, 168),
    ("太和镇中心学校", "nine_year", 1320, True, 420, 96),
    ("东沟镇中心小学", "primary", 980, False, None, 62),
    ("涂家垴镇中心小学", "primary", 860, False, None, 55),
    ("沼山镇中心学校", "nine_year", 740, True, 260, 58),
    ("梁子镇初级中学", "junior", 1120, True, 610, 88),
    ("东沟镇初级中学", "junior", 920, True, 380, 74),
    ("梧桐湖新区实验小学", "primary", 1450, False, None, 90),
    ("梁子湖区中心幼儿园", "kindergarten", 420, False, None, 45),
    ("太和镇中心幼儿园", "kindergarten", 260, False, None, 28),
    ("梁子湖区职业技术学校", "vocational", 1100, True, 900, 96),
    ("梁子湖区特殊教育学校", "special", 90, True, 60, 24),
]
SCHOOL_DEPARTMENTS = {"梁子湖高级中学": ["政教处", "总务处", "教务处"]}
UNIVERSITY = ("鄂州职业大学", "university", 15800, True, 13200, 920)
UNIVERSITY_DEPARTMENTS = [
    "党政办公室",
    "保卫处",
    "学生工作处",
    "教务处",
    "后勤管理处",
    "国有资产与实验室管理处",
    "基建处",
    "机械工程学院",
    "化学与环境工程学院",
    "医学院",
    "图书馆",
]
UNIVERSITY_CAMPUS = "葛店校区"

DEMO_PASSWORD = "Xiaoan@2026"
# username, name, mobile, member unit, role, scope unit, with subtree, what they see
PEOPLE: list[tuple[str, str, str | None, str | None, str, str | None, bool, str]] = [
    (
        "district_officer",
        "刘安全",
        "13800000001",
        "安全股",
        "safety_officer",
        "梁子湖区教育局",
        True,
        "区教育局安全股：全区所有学校",
    ),
    (
        "district_head",
        "陈局长",
        "13800000002",
        "梁子湖区教育局",
        "unit_head",
        "梁子湖区教育局",
        True,
        "区教育局负责人：全区",
    ),
    (
        "district_supervisor",
        "赵督查",
        "13800000003",
        "督导办",
        "supervisor",
        "梁子湖区教育局",
        True,
        "督导办督查员：全区督查、挂牌督办（不整改、不维护单位）",
    ),
    (
        "school_a_head",
        "王校长",
        "13800000011",
        "梁子湖高级中学",
        "unit_head",
        "梁子湖高级中学",
        True,
        "梁子湖高中校长：本校",
    ),
    (
        "school_a_officer",
        "李安办",
        "13800000012",
        "梁子湖高级中学",
        "safety_officer",
        "梁子湖高级中学",
        True,
        "梁子湖高中安办主任：本校",
    ),
    (
        "school_a_owner",
        "周总务",
        "13800000013",
        "总务处",
        "rectification_owner",
        "总务处",
        True,
        "梁子湖高中总务处：整改责任人",
    ),
    (
        "school_b_teacher",
        "张老师",
        "13800000021",
        "东沟镇中心小学",
        "reporter",
        "东沟镇中心小学",
        False,
        "东沟镇中心小学教师：随手拍",
    ),
    (
        "uni_security",
        "孙保卫",
        "13800000031",
        "保卫处",
        "safety_officer",
        "鄂州职业大学",
        True,
        "鄂州职业大学保卫处：全校",
    ),
    (
        "uni_head",
        "吴校长",
        "13800000032",
        "鄂州职业大学",
        "unit_head",
        "鄂州职业大学",
        True,
        "鄂州职业大学校长：全校",
    ),
    ("expert", "郑专家", "13800000041", None, "inspector", None, False, "校外专家：仅限受邀的检查"),
    (
        "auditor",
        "钱审计",
        "13800000051",
        "梁子湖区教育局",
        "auditor",
        "梁子湖区教育局",
        True,
        "区教育局审计员：全区只读",
    ),
    ("sysadmin", "系统管理员", None, None, "system_admin", None, True, "平台系统管理员"),
    ("secadmin", "安全保密管理员", None, None, "security_admin", None, True, "平台安全保密管理员"),
    ("auditadmin", "安全审计员", None, None, "audit_admin", None, True, "平台安全审计员"),
]


def _unit(parent: Any, name: str, **fields: Any):
    from xiaoan.orgs.models import Unit

    siblings = Unit.objects.get_children(parent) if parent else Unit.objects.get_root_nodes()
    existing = siblings.filter(name=name).first()
    if existing:
        return existing, False
    node = Unit(name=name, **fields)
    created = (
        Unit.objects.add_child(parent, instance=node)
        if parent
        else Unit.objects.add_root(instance=node)
    )
    if parent is not None:
        parent.refresh_from_db()
    return created, True


def load_demo() -> dict[str, Any]:
    """Create the demo data if missing. Returns what was created; running it twice
    creates nothing the second time."""
    from django.db import transaction

    from xiaoan.accounts.models import Role, RoleAssignment, User

    created = {"units": 0, "users": 0, "assignments": 0}
    with transaction.atomic():
        units: dict[str, Any] = {}

        def add(parent, name, **fields):
            unit, new = _unit(parent, name, **fields)
            created["units"] += int(new)
            units[name] = unit
            return unit

        city = add(None, CITY["name"], kind="authority", aliases=CITY["aliases"])
        district = add(city, DISTRICT["name"], kind="authority", aliases=DISTRICT["aliases"])
        for name in SECTIONS:
            add(district, name, kind="section")
        for name, stype, enrol, boarding, boarders, staff in SCHOOLS:
            school = add(
                district,
                name,
                kind="school",
                school_type=stype,
                enrolment=enrol,
                boarding=boarding,
                boarding_students=boarders,
                staff_count=staff,
            )
            for dept in SCHOOL_DEPARTMENTS.get(name, []):
                add(school, dept, kind="department")
        name, stype, enrol, boarding, boarders, staff = UNIVERSITY
        uni = add(
            city,
            name,
            kind="school",
            school_type=stype,
            enrolment=enrol,
            boarding=boarding,
            boarding_students=boarders,
            staff_count=staff,
            aliases="职业大学",
        )
        for dept in UNIVERSITY_DEPARTMENTS:
            add(uni, dept, kind="department")
        add(uni, UNIVERSITY_CAMPUS, kind="campus")

        roles = {r.code: r for r in Role.objects.all()}
        for username, name, mobile, unit_name, role, scope_name, desc, _about in PEOPLE:
            unit = units.get(unit_name) if unit_name else None
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User(username=username, name=name, mobile=mobile, unit=unit)
                user.set_password(DEMO_PASSWORD)
                user.save()
                created["users"] += 1
            role_obj = roles[role]
            if scope_name is None and not role_obj.is_platform:
                continue  # an outside expert: invited per inspection, no standing scope
            assign_unit = units[scope_name] if scope_name else None
            _obj, new = RoleAssignment.objects.get_or_create(
                user=user,
                role=role_obj,
                unit=assign_unit,
                defaults={"include_descendants": desc},
            )
            created["assignments"] += int(new)
        if created["units"]:  # the new schools count in the dashboard's figures
            from xiaoan.orgs.models import Unit
            from xiaoan.reports import rollups

            rollups.changed(Unit, [u.pk for u in units.values()])
    return created
