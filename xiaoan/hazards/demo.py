"""Sample hazards for the demo (`xiaoan demo`): a ledger that shows the loop at every stage,
made through the services like real work, so events, tally and supervision are all there."""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image

from xiaoan.accounts.models import User
from xiaoan.hazards import services
from xiaoan.hazards.choices import HazardLevel
from xiaoan.hazards.models import Hazard
from xiaoan.orgs.models import Unit


def photo(colour: str = "#c0392b") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), colour).save(buffer, "JPEG")
    return SimpleUploadedFile("demo.jpg", buffer.getvalue(), content_type="image/jpeg")


@transaction.atomic
def load_hazards() -> int:
    """Create the sample hazards once (nothing when the demo units already have some)."""
    school = Unit.objects.filter(name="梁子湖高级中学").first()
    village = Unit.objects.filter(name="东沟镇中心小学").first()
    if school is None or village is None or Hazard.objects.filter(unit=school).exists():
        return 0
    names = ("school_a_officer", "school_a_owner", "school_a_head", "school_b_teacher")
    people = {u.username: u for u in User.objects.filter(username__in=names)}
    officer, owner, head, teacher = (people[n] for n in names)
    general = Unit.objects.get(name="总务处", path__startswith=school.path)
    today = timezone.localdate()
    made = 0

    def report(text: str, who=officer, unit=school):
        nonlocal made
        made += 1
        return services.report(who, unit, description=text, photos=[photo()])

    def assigned(text, domain, category, measures, days, level=HazardLevel.GENERAL, **extra):
        """Reported, confirmed and given to 总务处's owner, due in `days`."""
        hazard = report(text)
        services.confirm(officer, hazard.pk, level=level, domain=domain, category=category)
        services.assign(
            officer,
            hazard.pk,
            owner_unit=general,
            owner=owner,
            measures=measures,
            deadline=today + dt.timedelta(days=days),
            **extra,
        )
        return hazard

    # Being fixed.
    hazard = assigned(
        "二号宿舍楼三楼楼道堆放纸箱、旧桌椅，阻塞疏散通道",
        "fire",
        "疏散通道",
        "清理楼道杂物，设置禁止堆放标识",
        5,
    )
    services.start(owner, hazard.pk)
    services.progress(owner, hazard.pk, note="已清走纸箱，旧桌椅待回收", photos=[photo("#e67e22")])
    # A major hazard: supervised from above, interim controls required.
    assigned(
        "学生宿舍楼夜间安全出口上锁，值班人员无钥匙",
        "fire",
        "安全出口",
        "更换为推闩式安全出口门锁，值班室配备钥匙并建立交接记录",
        40,
        level=HazardLevel.MAJOR,
        interim_controls="夜间安排专人值守安全出口，每两小时巡查一次并记录",
    )
    # Closed (销号) after verification.
    hazard = assigned(
        "实验楼二层灭火器压力不足（指针在红区）", "fire", "消防器材", "更换灭火器并复查全楼", 3
    )
    services.start(owner, hazard.pk)
    services.submit(owner, hazard.pk, note="已更换 4 具灭火器", photos=[photo("#27ae60")])
    services.verify(head, hazard.pk, passed=True, note="现场复核合格，同意销号")
    # Waiting for verification.
    hazard = assigned(
        "食堂燃气软管老化开裂", "gas", "燃气管道", "更换为金属波纹管并加装燃气泄漏报警器", 7
    )
    services.start(owner, hazard.pk)
    services.submit(owner, hazard.pk, note="软管已更换，报警器已安装", photos=[photo("#27ae60")])
    # A teacher's 随手拍, waiting for triage.
    report("操场东侧围栏松动，有学生攀爬", who=teacher, unit=village)
    return made
