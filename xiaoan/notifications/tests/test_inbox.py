"""The inbox: one's own messages only, an unread count in the menu, mark all read."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from xiaoan.notifications.models import Notification
from xiaoan.notifications.services import notify, unread_count

INBOX = "/notifications/"


@pytest.fixture
def messages_for(persona):
    def make(username, n=2, url="/hazards/"):
        user = persona(username)
        notify([user], "assigned", "新的整改任务", "清理杂物", url)
        for _ in range(n - 1):
            notify([user], "overdue", "隐患整改逾期", "", url)
        return user

    return make


def test_it_lists_only_ones_own_messages(messages_for, client_for):
    messages_for("school_a_owner", 2)
    messages_for("school_a_head", 1)
    response = client_for("school_a_owner").get(INBOX)
    assert response.status_code == 200
    rows = list(response.context["object_list"])
    assert len(rows) == 2 and {n.recipient.username for n in rows} == {"school_a_owner"}
    content = response.content.decode()
    assert "新的整改任务" in content and "全部标为已读" in content


def test_it_shows_the_unread_count_in_the_menu(messages_for, client_for):
    messages_for("school_a_owner", 3)
    content = client_for("school_a_owner").get("/").content.decode()
    assert f'href="{INBOX}">消息（3）</a>' in content
    quiet = client_for("expert").get("/").content.decode()
    assert f'href="{INBOX}">消息</a>' in quiet


def test_it_marks_all_read(messages_for, client_for):
    owner = messages_for("school_a_owner", 3)
    other = messages_for("school_a_head", 1)
    client = client_for("school_a_owner")
    response = client.post(reverse("notifications:mark_all_read"), follow=True)
    assert response.status_code == 200
    assert "已将 3 条消息标为已读" in response.content.decode()
    assert unread_count(owner) == 0 and unread_count(other) == 1
    assert client.get(reverse("notifications:mark_all_read")).status_code == 405


def test_it_opens_a_message_marks_it_read_and_follows_its_link(messages_for, client_for):
    owner = messages_for("school_a_owner", 1, url="/hazards/my/")
    message = Notification.objects.get(recipient=owner)
    response = client_for("school_a_owner").get(reverse("notifications:open", args=[message.pk]))
    assert response.status_code == 302 and response["Location"] == "/hazards/my/"
    message.refresh_from_db()
    assert message.read_at is not None


def test_it_never_follows_a_link_off_the_site(messages_for, client_for):
    owner = messages_for("school_a_owner", 1, url="https://evil.example.com/")
    message = Notification.objects.get(recipient=owner)
    response = client_for("school_a_owner").get(reverse("notifications:open", args=[message.pk]))
    assert response["Location"] == INBOX


@pytest.mark.parametrize(
    ("page", "who", "expected"),
    [
        ("inbox", "school_a_owner", 200),
        ("inbox", "expert", 200),
        ("inbox", "secadmin", 200),
        ("inbox", None, "login"),
        ("open-own", "school_a_owner", 302),
        ("open-other", "school_a_head", 404),
        ("open-other", "district_officer", 404),
        ("open-own", None, "login"),
        ("read-all", "school_a_owner", 302),
        ("read-all", None, "login"),
    ],
)
def test_it_scopes_the_inbox(messages_for, client_for, page, who, expected):
    owner = messages_for("school_a_owner", 1)
    message = Notification.objects.get(recipient=owner)
    client = client_for(who) if who else Client()
    if page == "inbox":
        response = client.get(INBOX)
    elif page == "read-all":
        response = client.post(reverse("notifications:mark_all_read"))
    else:
        response = client.get(reverse("notifications:open", args=[message.pk]))
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
        message.refresh_from_db()
        assert message.read_at is None
    else:
        assert response.status_code == expected
    if page == "open-other":
        message.refresh_from_db()
        assert message.read_at is None


def test_it_sends_the_owner_a_message_when_a_hazard_is_assigned_from_the_page(
    units, persona, client_for, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    from xiaoan.hazards.tests.pages_support import assigned

    hazard = assigned(persona, units)
    content = client_for("school_a_owner").get(INBOX).content.decode()
    assert hazard.number in content
