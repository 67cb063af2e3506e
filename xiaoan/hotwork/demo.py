"""Sample hot-work permits for 梁子湖高级中学 (`xiaoan demo`), made through the services like
real work, once (nothing when the school already has permits): one closed with its photos,
one approved for 周总务 to start today, one awaiting approval. Needs the sample welder of
持证上岗 (xiaoan.certificates.demo)."""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image

from xiaoan.accounts.models import User
from xiaoan.certificates.models import Certificate
from xiaoan.hotwork import services
from xiaoan.hotwork.models import HotWorkPermit
from xiaoan.orgs.models import Unit

SCHOOL = "梁子湖高级中学"


def _photo(colour: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), colour).save(buffer, "JPEG")
    return SimpleUploadedFile("site.jpg", buffer.getvalue(), content_type="image/jpeg")


@transaction.atomic
def load_hot_work() -> int:
    people = {u.username: u for u in User.objects.filter(
        username__in=["school_a_head", "school_a_officer", "school_a_owner"]
    )}  # fmt: skip
    school = Unit.objects.filter(name=SCHOOL, kind="school").first()
    welder = Certificate.objects.filter(
        unit=school, kind="welding", retired_at__isnull=True
    ).first()
    if len(people) < 3 or school is None or welder is None:
        return 0
    if HotWorkPermit.objects.filter(unit=school).exists():
        return 0
    head, officer, owner = (
        people["school_a_head"],
        people["school_a_officer"],
        people["school_a_owner"],
    )
    now = timezone.now()
    base = {
        "unit": school,
        "operator": welder,
        "precautions": "清除作业点周围可燃物，配备灭火器两具",
    }
    done = services.request_permit(
        head, **base, location="学生食堂后厨排烟管道", work_type="electric_welding",
        description="更换排烟管道支架，电焊固定", starts_at=now - dt.timedelta(hours=2),
        ends_at=now + dt.timedelta(hours=1),
    )  # fmt: skip
    services.approve(officer, done.pk, supervisor=owner.pk, note="作业期间停用灶具")
    services.start(owner, done.pk, photos=[_photo("#2e86c1")], note="灭火器到位，可燃物已清除")
    services.finish(owner, done.pk, photos=[_photo("#27ae60")], note="现场已清理，无遗留火种")
    today = services.request_permit(
        head, **base, location="2号教学楼楼顶水箱", work_type="gas_welding",
        description="水箱支架补焊", starts_at=now - dt.timedelta(minutes=30),
        ends_at=now + dt.timedelta(hours=6),
    )  # fmt: skip
    services.approve(officer, today.pk, supervisor=owner.pk)
    tomorrow = (timezone.localtime(now) + dt.timedelta(days=1)).replace(hour=9, minute=0)
    services.request_permit(
        head, **base, location="体育馆看台栏杆", work_type="cutting",
        description="切割更换锈蚀栏杆", starts_at=tomorrow,
        ends_at=tomorrow + dt.timedelta(hours=8),
    )  # fmt: skip
    return 3
