"""Sample education activities (`xiaoan demo`): the district issues the calendar's duties,
and its schools partly recorded this year's 消防宣传月 and 全国交通安全日 (the last ones begun):
two thirds and under half of them; the obligations are generated for those windows and
decided against the activities. Nothing when the district already has activities."""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image

from xiaoan.accounts.models import User
from xiaoan.activities import calendar, services
from xiaoan.activities.models import Activity
from xiaoan.orgs.choices import UnitKind
from xiaoan.orgs.models import Unit

# event, anchor (month, day), how many schools (in tree order), kind, title
PLAN = [
    ("fire_month", (11, 9), 8, "drill_viewing", "“119”消防日疏散演练观摩与灭火器使用教学"),
    ("traffic_day", (12, 2), 5, "class_meeting", "“122”全国交通安全日主题班会"),
]


def _photo(colour: tuple[int, int, int]) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (320, 240), colour).save(out, format="JPEG")
    return SimpleUploadedFile("demo.jpg", out.getvalue(), content_type="image/jpeg")


@transaction.atomic
def load_activities() -> int:
    from xiaoan.duties import builtin
    from xiaoan.duties import services as duties
    from xiaoan.duties.models import Duty

    district = Unit.objects.filter(name="梁子湖区教育局").first()
    if district is None:
        return 0
    if Activity.objects.filter(unit__path__startswith=district.path).exists():
        return 0
    officer = User.objects.get(username="district_officer")
    builtin.create_builtin_duties(officer, district)  # only those missing
    today = timezone.localdate()
    schools = list(
        Unit.objects.filter(
            path__startswith=district.path, kind=UnitKind.SCHOOL, is_active=True
        ).order_by("path")
    )
    made = 0
    for code, (month, day), count, kind, title in PLAN:
        event = calendar.event(code)
        window = event.current_or_last(today)
        anchor = dt.date(window.start.year, month, day)
        for index, school in enumerate(schools[:count]):
            held = min(anchor + dt.timedelta(days=index % 3), today, window.end)
            activity = services.record(
                officer,
                school,
                event=code,
                kind=kind,
                title=title,
                held_on=held,
                classes="全校",
                participants=max(school.enrolment or 0, 50),
                summary=f"{school.name}组织开展{event.name}活动，讲解安全知识并现场演示。",
                photos=[_photo((200, 40 + index * 20, 40))] if index < 3 else [],
            )
            # As if recorded on the day it was held (the demo runs later).
            when = timezone.make_aware(dt.datetime(held.year, held.month, held.day, 17))
            Activity.objects.filter(pk=activity.pk).update(created_at=when)
            made += 1
        duty = Duty.objects.filter(issuer=district, builtin_code=f"edu_{code}").first()
        if duty is not None:
            duties.generate_duty(duty, window.start)
    duties.evaluate()
    return made
