"""A 销号复核 sample (`xiaoan demo`), made through the services like real work, once: the
district draws this month's closures below it (one closed at 梁子湖高级中学 first when
there is none) and the supervisor fails one review, so the hazard is back at 待整改 as
假整改."""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from xiaoan.accounts.models import User
from xiaoan.closure import services
from xiaoan.closure.models import ClosureSample
from xiaoan.hazards import services as hazards
from xiaoan.hazards.choices import HazardLevel
from xiaoan.orgs.models import Unit

DISTRICT, SCHOOL_A = "梁子湖区教育局", "梁子湖高级中学"


def _photo(shade: int) -> SimpleUploadedFile:
    image = Image.new("RGB", (320, 240), (shade, 90, 60))
    ImageDraw.Draw(image).rectangle([40, 40, 200, 180], fill=(230, 230, 40))
    out = io.BytesIO()
    image.save(out, "JPEG")
    return SimpleUploadedFile("demo.jpg", out.getvalue(), content_type="image/jpeg")


@transaction.atomic
def load_closure() -> int:
    people = {
        u.username: u
        for u in User.objects.filter(
            username__in=[
                "district_officer",
                "district_supervisor",
                "school_a_officer",
                "school_a_head",
            ]
        )
    }
    district = Unit.objects.filter(name=DISTRICT).first()
    school = Unit.objects.filter(name=SCHOOL_A).first()
    if len(people) < 4 or district is None or school is None:
        return 0
    if ClosureSample.objects.filter(organiser=district).exists():
        return 0
    month = f"{timezone.localdate():%Y-%m}"
    officer = people["district_officer"]
    # One closure of its own to fail, so the ledger demo's closed hazard stays closed.
    made = hazards.report(people["school_a_officer"], school, description="食堂灭火器压力不足")
    hazards.fix_on_spot(
        people["school_a_officer"],
        made.pk,
        note="已更换灭火器",
        photos=[_photo(120)],
        level=HazardLevel.GENERAL,
    )
    hazards.verify(people["school_a_head"], made.pk, passed=True, note="已更换，合格")
    ids, _weights = services.population(officer, district, month)
    sample = services.create_sample(
        officer,
        organiser=district,
        month=month,
        size=min(2, len(ids)),
        reviewer=people["district_supervisor"],
        due_on=timezone.localdate() + dt.timedelta(days=10),
        seed=20261207,
    )
    reviews = sample.reviews.order_by("pk")
    review = reviews.filter(hazard=made).first() or reviews.first()
    services.record_review(
        people["district_supervisor"],
        review.pk,
        passed=False,
        note="现场复核：灭火器仍为过期产品，整改不实",
        photos=[_photo(200)],
    )
    return 1
