"""A phone walks one hazard through the pages, from 随手拍 to 销号."""

from __future__ import annotations

import datetime as dt
import re

from django.urls import reverse

from xiaoan.hazards.choices import HazardAction, HazardStatus
from xiaoan.hazards.models import Hazard
from xiaoan.hazards.tests import pages_support as support
from xiaoan.hazards.tests.pages_support import PHONE, form_actions, hidden_value, jpeg, today

private_media = support.private_media


def phone(client_for, who):
    client = client_for(who)
    client.defaults["HTTP_USER_AGENT"] = PHONE
    return client


def post_action(client, hazard, action, data, photos=()):
    url = reverse(f"hazards:hazard_{action}", args=[hazard.pk])
    page = client.get(reverse("hazards:hazard_detail", args=[hazard.pk])).content.decode()
    body = {"version": hidden_value(page, "version", url), **data}
    if photos:
        body["photos"] = list(photos)
    return client.post(url, body, follow=True)


def test_it_walks_a_report_from_the_phone_to_closure(units, client_for, persona):
    officer = phone(client_for, "school_a_officer")
    form_page = officer.get(reverse("hazards:hazard_report"))
    assert form_page.status_code == 200
    content = form_page.content.decode()
    assert 'accept="image/*"' in content and 'capture="environment"' in content
    assert re.search(r'<input type="file" name="photos"[^>]*multiple', content)
    key = hidden_value(content, "idempotency_key")
    school = units["梁子湖高级中学"]
    assert f'value="{school.pk}" selected' in content  # one's own unit, preselected

    response = officer.post(
        reverse("hazards:hazard_report"),
        {
            "unit": school.pk,
            "description": "学生宿舍楼道内有电动车充电",
            "place_text": "三号宿舍楼一楼",
            "photos": [jpeg()],
            "idempotency_key": key,
        },
        follow=True,
    )
    assert response.status_code == 200
    hazard = Hazard.objects.get(finder=persona("school_a_officer"), idempotency_key=key)
    assert response.redirect_chain[-1][0] == reverse("hazards:hazard_detail", args=[hazard.pk])
    page = response.content.decode()
    assert "已上报隐患" in page and hazard.number in page
    assert "疑似重大隐患（依据 FIRE-D-06" in page
    assert hazard.source == "snapshot" and hazard.photos.count() == 1

    response = post_action(
        officer, hazard, "confirm", {"level": "general", "domain": "fire", "criterion": ""}
    )
    assert "已完成：确认隐患" in response.content.decode()
    response = post_action(
        officer,
        hazard,
        "assign",
        {
            "owner_unit": units["总务处"].pk,
            "owner": persona("school_a_owner").pk,
            "measures": "清理充电车辆，张贴禁止标识",
            "deadline": (today() + dt.timedelta(days=3)).isoformat(),
        },
    )
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.ASSIGNED, response.content.decode()[:3000]

    owner = phone(client_for, "school_a_owner")
    tasks = owner.get(reverse("hazards:my_tasks")).content.decode()
    assert hazard.number in tasks
    post_action(owner, hazard, "start", {"note": "开始清理"})
    response = post_action(owner, hazard, "submit", {"note": "已清理完毕"}, photos=[jpeg()])
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.SUBMITTED, response.content.decode()[:3000]

    head = phone(client_for, "school_a_head")
    assert hazard.number in head.get(reverse("hazards:my_tasks")).content.decode()
    detail = head.get(reverse("hazards:hazard_detail", args=[hazard.pk])).content.decode()
    assert form_actions(detail) == {"verify"}
    response = post_action(head, hazard, "verify", {"note": "验收合格", "passed": "1"})
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.CLOSED and hazard.closed_by == persona("school_a_head")
    page = response.content.decode()
    assert "已销号" in page
    assert list(hazard.events.values_list("action", flat=True)) == [
        HazardAction.REPORT,
        HazardAction.CONFIRM,
        HazardAction.ASSIGN,
        HazardAction.START,
        HazardAction.SUBMIT,
        HazardAction.CLOSE,
    ]
    # The timeline shows every step with its actor, and the after-photo as a link.
    for label in ("上报", "确认", "交办", "开始整改", "提交验收", "验收通过，销号"):
        assert label in page
    assert "周总务" in page and "王校长" in page
    after = hazard.photos.get(kind="after")
    assert reverse("hazards:hazard_photo", args=[after.pk]) in page
    photo = head.get(reverse("hazards:hazard_photo", args=[after.pk]))
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
    assert form_actions(page) == set()


def test_it_makes_no_duplicate_when_the_report_form_is_sent_twice(units, client_for):
    client = client_for("school_b_teacher")
    content = client.get(reverse("hazards:hazard_report")).content.decode()
    key = hidden_value(content, "idempotency_key")
    body = {"unit": units["东沟镇中心小学"].pk, "description": "围墙开裂", "idempotency_key": key}
    first = client.post(reverse("hazards:hazard_report"), body)
    second = client.post(reverse("hazards:hazard_report"), body)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Hazard.objects.filter(description="围墙开裂").count() == 1
    # A fresh render gets a fresh key.
    again = client.get(reverse("hazards:hazard_report")).content.decode()
    assert hidden_value(again, "idempotency_key") != key
    # The reporter sees what they reported, and nothing to do on it.
    page = client.get(first["Location"])
    assert page.status_code == 200 and form_actions(page.content.decode()) == set()
