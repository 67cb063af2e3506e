"""Sample 安防建设 declarations of this year for the demo schools (`xiaoan demo`), once
(nothing when any declaration exists): most schools declared with an evidence file, six
verified by the district (four meeting all of 四个100%), three awaiting verification
(梁子湖高级中学 among them, submitted by its safety officer), one returned with the reason,
one draft, two not declared yet."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from xiaoan.accounts.models import User
from xiaoan.core import registers
from xiaoan.orgs.models import Unit
from xiaoan.security import services
from xiaoan.security.choices import Measure, PostureAction
from xiaoan.security.models import SecurityPosture
from xiaoan.security.registers import SECURITY_POSTURES
from xiaoan.security.rules import required_guards
from xiaoan.security.workflow import POSTURE

ALL = list(Measure.values)
# school: (state, everything in place?, guards short by, measures left out)
PLAN = {
    "梁子湖高级中学": ("submitted", True, 0, []),
    "太和镇中心学校": ("verified", True, 0, []),
    "东沟镇中心小学": ("returned", False, 1, ["stampede"]),
    "涂家垴镇中心小学": ("verified", True, 0, []),
    "沼山镇中心学校": ("verified", False, 0, ["explosion"]),
    "梁子镇初级中学": ("verified", True, 0, []),
    "东沟镇初级中学": ("submitted", True, 0, []),
    "梧桐湖新区实验小学": ("verified", True, 0, []),
    "梁子湖区中心幼儿园": ("verified", False, 1, ["drowning"]),
    "梁子湖区职业技术学校": ("submitted", False, 0, []),
    "太和镇中心幼儿园": ("draft", True, 0, []),
}


def _evidence(school: str) -> SimpleUploadedFile:
    body = b"%PDF-1.4\n% demo evidence\n" + school.encode() + b"\n%%EOF\n"
    return SimpleUploadedFile("门卫值守与联网凭证.pdf", body, content_type="application/pdf")


@transaction.atomic
def load_security() -> int:
    people = {u.username: u for u in User.objects.filter(
        username__in=["district_officer", "district_head", "school_a_officer"]
    )}  # fmt: skip
    if len(people) < 3 or SecurityPosture.objects.exists():
        return 0
    officer, head = people["district_officer"], people["district_head"]
    year = timezone.localdate().year
    made = 0
    for name, (state, in_place, short, left_out) in PLAN.items():
        school = Unit.objects.filter(name=name, kind="school").first()
        if school is None:
            continue
        posture = registers.create(
            SECURITY_POSTURES,
            officer,
            {
                "unit": school,
                "year": year,
                "closed_management": True,
                "guards": max(required_guards(school) - short, 0),
                "alarm_networked": True,
                "video_networked": in_place or state != "submitted",
                "escort_morning": True,
                "escort_noon": in_place,
                "escort_afternoon": True,
                "measures": [m for m in ALL if m not in left_out],
            },
        )
        made += 1
        registers.attach(SECURITY_POSTURES, officer, posture.pk, kind="evidence",
                         upload=_evidence(name))  # fmt: skip
        if state == "draft":
            continue
        if name == "梁子湖高级中学":
            services.submit(people["school_a_officer"], posture.pk, note="请区教育局核验")
        else:
            # Submitted for the school by the district's officer (the demo has no account at
            # every school); the steps are recorded like any other.
            posture.submitted_by, posture.submitted_at = officer, timezone.now()
            POSTURE.advance(posture, officer, PostureAction.SUBMIT, note="演示数据：学校申报")
        if state == "verified":
            services.verify(head, posture.pk, note="现场抽查属实")
        elif state == "returned":
            services.send_back(
                head, posture.pk, note="专职保安人数不足，护学岗中午时段未安排，请补充后重新提交"
            )
    return made
