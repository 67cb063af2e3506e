"""Sample 群众举报 (`xiaoan demo`), made through the services like real work, once (nothing
when School A has reports already): School A's public page, a report accepted into its
hazard ledger and one still waiting for the school."""

from __future__ import annotations

import time

from django.db import transaction

from xiaoan.accounts.models import User
from xiaoan.orgs.models import Unit
from xiaoan.publicreports import services
from xiaoan.publicreports.models import PublicReport

SCHOOL_A = "梁子湖高级中学"
REPORTS = [
    ("traffic", "放学时校门口东侧车辆乱停，学生过马路很危险", "校门口东侧", "13971000001"),
    ("food", "学校门口小卖部出售过期辣条", "校门口小卖部", ""),
]


@transaction.atomic
def load_public_reports() -> tuple[int, str]:
    """The reports made and School A's public page address."""
    school = Unit.objects.filter(name=SCHOOL_A).first()
    officer = User.objects.filter(username="school_a_officer").first()
    if school is None or officer is None:
        return 0, ""
    channel = services.ensure_channel(school)
    path = f"/p/{channel.token}/"
    if PublicReport.objects.filter(unit=school).exists():
        return 0, path
    made = []
    for category, description, place, phone in REPORTS:
        done = services.submit(
            channel.token,
            address="demo",
            form_token=services.form_token(channel, int(time.time()) - 600),
            category=category,
            description=description,
            place=place,
            phone=phone,
        )
        made.append(done.report)
    services.accept(officer, made[0].pk, note="已安排交警和学校护导岗核查")
    return len(made), path
