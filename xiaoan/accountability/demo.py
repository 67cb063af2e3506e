"""Sample accountability records (`xiaoan demo`), made through the services like real work,
once (nothing when the district already has decisions): the district calls in the school
with the worst figures (约谈, issued, the meeting recorded and a commitment reported and
awaiting acceptance) and drafts a praise list of the best one."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from xiaoan.accountability import services
from xiaoan.accountability.models import Commitment, Decision
from xiaoan.accounts.models import User
from xiaoan.core.scoping import forget_grants
from xiaoan.orgs.models import Unit

DISTRICT = "梁子湖区教育局"


@transaction.atomic
def load_accountability() -> int:
    officer = User.objects.filter(username="district_officer").first()
    district = Unit.objects.filter(name=DISTRICT, kind="authority").first()
    if officer is None or district is None or Decision.objects.filter(unit=district).exists():
        return 0
    forget_grants(officer)
    today = timezone.localdate()
    worst = services.evidence(officer, district.pk, kind="interview", rank="schools")["rows"]
    if not worst:
        return 0
    called = services.create(
        officer,
        unit=district,
        kind="interview",
        title="关于约谈隐患整改不力学校负责人的决定",
        decided_on=today - dt.timedelta(days=10),
        basis="依据一张图：隐患逾期未整改、挂牌督办隐患未按期销号、屡查屡犯。",
    )
    target = Unit.objects.get(pk=worst[0]["unit_id"])
    entry = services.add_entry(
        officer, called.pk, target=target.pk, reason="多项隐患逾期未整改，督办后仍未销号"
    )
    services.issue(officer, called.pk)
    services.record_meeting(
        officer,
        called.pk,
        meeting_at=timezone.now() - dt.timedelta(days=8),
        place="区教育局三楼会议室",
        attendees="区教育局安全股负责人；学校校长、分管副校长、安办主任",
        minutes="学校汇报隐患整改情况；区教育局指出问题并提出限期整改要求。",
    )
    commitment = services.commit(
        officer,
        called.pk,
        entry=entry.pk,
        text="两周内完成全部逾期隐患整改并上传整改照片",
        due_on=today + dt.timedelta(days=4),
    )
    made = 1
    # One of the school's own people reports it done; the district has yet to accept it.
    for person in User.objects.filter(unit=target, is_active=True).order_by("pk"):
        if Commitment.objects.restrict(person, "report").filter(pk=commitment.pk).exists():
            services.report(person, commitment.pk, note="逾期隐患已全部整改，照片已上传。")
            break
    best = services.evidence(officer, district.pk, kind="praise", rank="schools")["rows"]
    praise = services.create(
        officer,
        unit=district,
        kind="praise",
        title="关于通报表扬安全工作先进学校的决定（草稿）",
        decided_on=today,
        basis="本学期隐患零逾期、按时完成各项常态化任务。",
    )
    services.add_entry(
        officer, praise.pk, target=best[0]["unit_id"], reason="隐患零逾期，常态化任务按时完成"
    )
    return made + 1
