"""Sample 大型活动 for the demo schools (`xiaoan demo`): made through the register's services,
once (nothing when a school already has events on file). One event within the week waits
for its sign-off (a to-do), one took place without it, one past event was signed off."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from xiaoan.accounts.models import User
from xiaoan.core import registers
from xiaoan.events.models import Event
from xiaoan.events.registers import EVENTS
from xiaoan.orgs.models import Unit

# name, kind, days from today, length in days, destination, participants, organiser, signed
ROWS: dict[str, list[tuple]] = {
    "梁子湖高级中学": [
        ("2026年秋季田径运动会", "sports", 5, 2, "学校田径场", 1800, "王体育", False),
        ("高二年级研学旅行（武汉）", "study_tour", 20, 3, "湖北省博物馆", 620, "李年级", False),
        ("元旦文艺汇演", "performance", 26, 1, "学校礼堂", 900, "赵团委", False),
        ("期中考试", "exam", -30, 2, "教学楼", 2400, "陈教务", True),
        ("秋季开学典礼", "term_start", -80, 1, "学校田径场", 2600, "刘德育", False),
    ],
    "太和镇中心学校": [
        ("六年级毕业典礼", "graduation", 12, 1, "学校操场", 300, "孙校办", False),
    ],
}


@transaction.atomic
def load_events() -> int:
    actor = User.objects.filter(username="district_officer").first()
    head = User.objects.filter(username="school_a_head").first() or actor
    if actor is None:
        return 0
    today = timezone.localdate()
    made = 0
    for school_name, rows in ROWS.items():
        school = Unit.objects.filter(name=school_name, kind="school").first()
        if school is None or Event.objects.filter(unit=school).exists():
            continue
        for name, kind, start, length, where, people, organiser, signed in rows:
            starts_on = today + dt.timedelta(days=start)
            event = registers.create(
                EVENTS,
                actor,
                {
                    "unit": school,
                    "name": name,
                    "kind": kind,
                    "starts_on": starts_on,
                    "ends_on": starts_on + dt.timedelta(days=length - 1),
                    "destination": where,
                    "participants": people,
                    "organiser": organiser,
                    "safety_plan": "明确分工、疏散路线、医疗保障和应急处置流程。",
                },
            )
            if signed:
                # A past sign-off as a sample: its plan and check are not part of the demo.
                event.signed_off_at = timezone.now() - dt.timedelta(days=-start + 2)
                event.signed_off_by = head
                event.signoff_note = "同意按方案举办。"
                event._change_reason = "签批"
                event.save()
            made += 1
    return made
