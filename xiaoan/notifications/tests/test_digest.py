"""Email: one per notice by default, a daily digest for those who chose it, none if asked."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from xiaoan.notifications.models import Notification, Preference
from xiaoan.notifications.services import grouped, mark_read, notify, send_digests

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def people(persona):
    owner, head = persona("school_a_owner"), persona("school_a_head")
    owner.email, head.email = "owner@example.com", "head@example.com"
    owner.save(update_fields=["email"])
    head.save(update_fields=["email"])
    Preference.objects.create(user=owner, email=Preference.Email.DIGEST)
    return owner, head


def test_it_emails_one_grouped_notice_and_nothing_to_digest_readers(
    people, django_capture_on_commit_callbacks
):
    owner, head = people
    with django_capture_on_commit_callbacks(execute=True), grouped():
        notify([owner, head], "overdue", "隐患整改逾期：YH-1", "整改期限 6 月", "/hazards/1/")
        notify([owner, head], "overdue", "隐患整改逾期：YH-2", "整改期限 7 月", "/hazards/2/")
    assert [m.to for m in mail.outbox] == [["head@example.com"]]
    message = mail.outbox[0]
    assert message.subject == "【校安】隐患整改逾期：YH-1 等 2 条消息"
    assert "· 隐患整改逾期：YH-2：整改期限 7 月" in message.body
    assert "/hazards/2/" in message.body


def test_it_sends_each_digest_reader_one_email_of_the_days_unread(people):
    owner, head = people
    notify([owner, head], "assigned", "新的整改任务：YH-1", "清理杂物", "/hazards/1/")
    notify([owner], "overdue", "隐患整改逾期：YH-2", "整改期限 7 月", "/hazards/2/")
    notify([owner], "other", "已读的消息")
    mark_read(owner, Notification.objects.filter(title="已读的消息").values_list("pk", flat=True))
    mail.outbox.clear()
    assert send_digests() == {"digests": 1}
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["owner@example.com"]
    assert message.subject == "【校安】今日消息汇总（2 条未读）"
    assert "新的整改任务：YH-1" in message.body and "清理杂物" in message.body
    assert "隐患整改逾期：YH-2" in message.body and "/hazards/2/" in message.body
    assert "已读的消息" not in message.body
    assert "全部消息：/notifications/" in message.body
    # Twice the same day: nothing new, nothing sent.
    assert send_digests() == {"digests": 0} and len(mail.outbox) == 1
    # Yesterday's notices are not repeated the next evening.
    later = timezone.now() + dt.timedelta(days=1)
    assert send_digests(later) == {"digests": 0}


def test_it_runs_the_digest_from_the_command(people):
    owner, _head = people
    notify([owner], "overdue", "隐患整改逾期：YH-2")
    mail.outbox.clear()
    call_command("notifications-digest")
    assert len(mail.outbox) == 1 and "隐患整改逾期：YH-2" in mail.outbox[0].body


def test_it_sends_no_email_to_who_chose_none(people, django_capture_on_commit_callbacks):
    owner, head = people
    Preference.objects.update_or_create(user=head, defaults={"email": "none"})
    with django_capture_on_commit_callbacks(execute=True):
        notify([owner, head], "other", "提醒")
    assert mail.outbox == []
    assert send_digests() == {"digests": 1}  # the owner's digest only


def test_it_saves_ones_own_email_choice_on_the_notifications_page(persona, client_for):
    client = client_for("school_a_owner")
    page = client.get("/notifications/").content.decode()
    assert "邮件提醒" in page and "每天汇总发一封邮件" in page
    response = client.post(reverse("notifications:preferences"), {"email": "digest"}, follow=True)
    assert response.status_code == 200 and "邮件提醒设置已保存" in response.content.decode()
    assert Preference.objects.get(user=persona("school_a_owner")).email == "digest"
    assert 'value="digest" selected' in client.get("/notifications/").content.decode()
    bad = client.post(reverse("notifications:preferences"), {"email": "hourly"}, follow=True)
    assert "请选择邮件提醒方式" in bad.content.decode()
    assert Preference.objects.get(user=persona("school_a_owner")).email == "digest"
    assert client.get(reverse("notifications:preferences")).status_code == 405


def test_it_refuses_the_email_choice_to_anonymous():
    response = Client().post(reverse("notifications:preferences"), {"email": "digest"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Preference.objects.exists()


def test_it_emails_a_password_reset_at_once_even_to_digest_and_no_email_readers(
    people, persona, client_for, django_capture_on_commit_callbacks
):
    owner, _head = people
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("school_a_head").post(f"/accounts/users/{owner.pk}/password/")
    assert response.status_code in (200, 302)
    # The reset's notice is its own email, sent now, not held for the evening digest.
    assert [m.to for m in mail.outbox] == [["owner@example.com"]]
    assert mail.outbox[0].subject == "【校安】您的登录密码已被重置"
    assert Notification.objects.get(recipient=owner).kind == Notification.Kind.SECURITY
    # Already emailed: the digest does not repeat it.
    assert send_digests() == {"digests": 0}
    Preference.objects.filter(user=owner).update(email="none")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client_for("school_a_head").post(f"/accounts/users/{owner.pk}/password/")
    assert [m.to for m in mail.outbox] == [["owner@example.com"]]


def test_it_keeps_a_security_notice_apart_from_the_grouped_notices_of_one_action(
    people, persona, django_capture_on_commit_callbacks
):
    from xiaoan.accounts import services as accounts
    from xiaoan.accounts.models import Role

    owner, head = people
    role = Role.objects.get(code="inspector")
    with django_capture_on_commit_callbacks(execute=True), grouped(head):
        notify([owner], "assigned", "新的整改任务：YH-1", "清理杂物", "/hazards/1/")
        accounts.grant_role(head, owner, role, owner.assignments.first().unit)
    # Only the grant is emailed now; the task waits for the digest.
    assert [m.subject for m in mail.outbox] == ["【校安】您获得了新的授权"]
    assert Notification.objects.filter(recipient=owner).count() == 2
    assert send_digests() == {"digests": 1}
    assert "新的整改任务：YH-1" in mail.outbox[-1].body
    assert "您获得了新的授权" not in mail.outbox[-1].body


def test_it_emails_the_security_notice_of_a_role_granted_to_one_who_wants_each_notice(
    persona, django_capture_on_commit_callbacks
):
    from xiaoan.accounts import services as accounts
    from xiaoan.accounts.models import Role

    head, teacher = persona("school_a_head"), persona("school_a_owner")
    teacher.email = "owner@example.com"
    teacher.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        accounts.grant_role(
            head, teacher, Role.objects.get(code="inspector"), teacher.assignments.first().unit
        )
    assert [m.to for m in mail.outbox] == [["owner@example.com"]]
    # The actor is never told of their own action.
    assert not Notification.objects.filter(recipient=head).exists()
