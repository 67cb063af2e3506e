"""Notices people read: none about one's own action, one per person per action (listing
what it grouped), reminders still sent once when grouped."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import reverse

from xiaoan.notifications.models import Notification
from xiaoan.notifications.services import grouped, notify, was_notified
from xiaoan.plans import importing
from xiaoan.plans.tests.support import DISTRICT, make_plan
from xiaoan.plans.tests.test_import_confirm import _mapping, _start

pytestmark = pytest.mark.django_db


def _counts():
    rows = Notification.objects.values_list("recipient__username", flat=True)
    counts: dict[str, int] = {}
    for name in rows:
        counts[name] = counts.get(name, 0) + 1
    return counts


def test_it_tells_each_person_once_when_an_imported_plan_goes_out(persona, units):
    # Before: the issuer got 17 notices about his own plan, the bureau head 17 (one a unit).
    pending = _start(persona, units, "district-plan-2024-2026.txt")
    plan = importing.confirm_import(
        persona("district_officer"), pending.pk, mapping=_mapping(pending, units)
    )
    counts = _counts()
    assert "district_officer" not in counts
    assert counts["district_head"] == 1
    assert counts["school_a_head"] == counts["school_a_officer"] == 1
    assert set(counts.values()) == {1}
    head = Notification.objects.get(recipient__username="district_head")
    units_told = plan.tasks.values("assignments__unit").distinct().count()
    assert len(head.items) == units_told > 10
    assert head.title.startswith("新的工作任务：") and f"（{units_told} 条）" in head.title
    assert "计财股 承办" in head.body
    assert head.url == reverse("plans:my_tasks") and head.kind == "assigned"


def test_it_tells_nobody_of_their_own_publish_from_the_page(persona, units, client_for):
    plan, _named, _everyone = make_plan(persona, units, active=False)
    client = client_for("district_officer")
    response = client.post(reverse("plans:plan_activate", args=[plan.pk]))
    assert response.status_code == 302
    counts = _counts()
    assert "district_officer" not in counts and counts["district_head"] == 1
    assert set(counts.values()) == {1}


def test_it_never_notifies_the_actor(persona):
    owner, head = persona("school_a_owner"), persona("school_a_head")
    assert notify([owner, head], "other", "提醒", actor=owner) == 1
    with grouped(head):
        notify([owner, head], "other", "提醒")
    assert _counts() == {"school_a_head": 1, "school_a_owner": 1}


def test_it_never_notifies_the_person_of_an_api_request(persona, units, api_for):
    # The API authenticates inside the view; the request's person is still left out.
    plan, _named, _everyone = make_plan(persona, units, active=False)
    response = api_for("district_officer").post(
        reverse("api:plan-activate", args=[plan.pk]), {"version": plan.version}, format="json"
    )
    assert response.status_code == 200, response.content
    counts = _counts()
    assert "district_officer" not in counts and counts["district_head"] == 1


def test_it_groups_one_action_per_person(persona):
    owner, head = persona("school_a_owner"), persona("school_a_head")
    with grouped():
        notify([owner, head], "overdue", "隐患整改逾期：YH-1", "整改期限 6 月", "/hazards/1/")
        notify([owner], "overdue", "隐患整改逾期：YH-2", "整改期限 7 月", "/hazards/2/")
        notify([owner], "due_soon", "整改即将到期：YH-3", "", "/hazards/3/")
    mine = Notification.objects.get(recipient=owner)
    assert mine.title == "隐患整改逾期：YH-1 等 3 条消息"
    assert mine.kind == "other" and mine.url == ""
    assert mine.body.splitlines() == [
        "· 隐患整改逾期：YH-1：整改期限 6 月",
        "· 隐患整改逾期：YH-2：整改期限 7 月",
        "· 整改即将到期：YH-3",
    ]
    assert [i["url"] for i in mine.items] == ["/hazards/1/", "/hazards/2/", "/hazards/3/"]
    single = Notification.objects.get(recipient=head)
    assert (single.title, single.items, single.url) == ("隐患整改逾期：YH-1", [], "/hazards/1/")
    # A reminder inside a grouped notice counts as sent.
    assert was_notified(owner, "due_soon", "/hazards/3/")
    assert not was_notified(owner, "due_soon", "/hazards/2/")
    assert was_notified(head, "overdue", "/hazards/1/")


def test_it_sends_nothing_of_a_rolled_back_action(persona):
    owner = persona("school_a_owner")
    with grouped():
        notify([owner], "other", "已保存")
        with pytest.raises(RuntimeError), transaction.atomic():
            notify([owner], "other", "未保存")
            raise RuntimeError
    assert list(Notification.objects.values_list("title", flat=True)) == ["已保存"]


def test_it_lists_a_grouped_notice_and_opens_each_entry(persona, client_for):
    owner = persona("school_a_owner")
    with grouped():
        notify([owner], "overdue", "隐患整改逾期：YH-1", "", "/hazards/1/")
        notify([owner], "overdue", "隐患整改逾期：YH-2", "", "/hazards/2/")
    client = client_for("school_a_owner")
    content = client.get("/notifications/").content.decode()
    notice = Notification.objects.get(recipient=owner)
    assert "共 2 条，展开查看" in content
    assert f"/notifications/{notice.pk}/?item=1" in content
    response = client.get(reverse("notifications:open", args=[notice.pk]) + "?item=1")
    assert response["Location"] == "/hazards/2/"
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert (
        client_for("school_a_head")
        .get(reverse("notifications:open", args=[notice.pk]) + "?item=1")
        .status_code
        == 404
    )


def test_it_sends_the_plan_due_soon_reminder_once_when_grouped(persona, units):
    import datetime as dt

    from xiaoan.plans import services

    make_plan(persona, units, due=dt.date(2026, 6, 5))
    today = dt.date(2026, 6, 1)
    first = services.daily(today)
    assert first["due_soon"] >= 1
    before = Notification.objects.filter(kind="due_soon").count()
    again = services.daily(today)
    assert again["due_soon"] == 0
    assert Notification.objects.filter(kind="due_soon").count() == before
    assert units[DISTRICT]
