"""Shared plan fixtures: a district plan with two tasks, one naming School A, one for every
school."""

from __future__ import annotations

import datetime as dt

from xiaoan.plans import services

DISTRICT = "梁子湖区教育局"
SCHOOL_A = "梁子湖高级中学"
SCHOOL_B = "东沟镇中心小学"
UNI = "鄂州职业大学"


def make_plan(persona, units, *, active=True, due=dt.date(2026, 12, 31)):
    officer = persona("district_officer")
    plan = services.create_plan(
        officer,
        unit=units[DISTRICT],
        title="梁子湖区教育系统安全生产治本攻坚三年行动实施方案",
        document_number="梁教〔2024〕12号",
        start_date=dt.date(2024, 1, 1),
        end_date=dt.date(2026, 12, 31),
    )
    named = services.save_task(
        officer,
        plan,
        title="严格落实学校主体责任",
        content="建立校园安全主体责任体系。",
        deadlines=[{"date": due.isoformat(), "label": "", "kind": "date"}],
        lead_units=[units["安全股"].pk],
        responsible_units=[units[SCHOOL_A].pk],
    )
    everyone = services.save_task(
        officer,
        plan,
        title="开展隐患排查",
        deadlines=[
            {"date": None, "label": "", "kind": "immediate"},
            {"date": None, "label": "", "kind": "ongoing"},
        ],
        all_below=True,
        collective_text="全区中小学幼儿园",
    )
    if active:
        services.activate_plan(officer, plan.pk)
        plan.refresh_from_db()
    return plan, named, everyone
