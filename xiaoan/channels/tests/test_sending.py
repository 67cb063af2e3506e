"""Sending to the robots and SMS, checked against local fake receivers: each platform's
message and signature, retries, no second sending, timeouts, refusals."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import socket

import pytest
from django.utils import timezone

from xiaoan.channels import platforms, services, sms, tasks
from xiaoan.channels.choices import DeliveryStatus
from xiaoan.channels.models import Delivery
from xiaoan.channels.tests.support import SCHOOL_A, Reply, channel

pytestmark = pytest.mark.django_db


def send(units, capture, **fields):
    values = {
        "unit": units[SCHOOL_A],
        "category": "alerts",
        "severity": "critical",
        "subject": "实验楼烟感报警",
        "body": "3 楼化学实验室烟感报警，请立即核实。",
        "url": "/alerts/12/",
    }
    values.update(fields)
    with capture(execute=True):
        deliveries = services.dispatch(**values)
    return [Delivery.objects.get(pk=d.pk) for d in deliveries]


def make_due(delivery):
    Delivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now() - dt.timedelta(seconds=1)
    )
    services.enqueue(services.due())
    return Delivery.objects.get(pk=delivery.pk)


def test_it_posts_wecom_markdown(persona, units, receiver, django_capture_on_commit_callbacks):
    channel(persona, units, target=receiver.url("/cgi-bin/webhook/send?key=k-1"))
    [delivery] = send(units, django_capture_on_commit_callbacks)
    [seen] = receiver.requests
    assert seen.path == "/cgi-bin/webhook/send" and seen.query == {"key": "k-1"}
    assert seen.headers["Content-Type"].startswith("application/json")
    assert seen.body["msgtype"] == "markdown"
    content = seen.body["markdown"]["content"]
    assert "**【紧急】实验楼烟感报警**" in content and "化学实验室" in content
    assert "/alerts/12/" in content
    assert delivery.status == DeliveryStatus.SENT
    assert (delivery.attempts, delivery.response_code, delivery.last_error) == (1, 200, "")
    assert delivery.sent_at is not None


def test_it_signs_dingtalk_in_the_query(
    persona, units, receiver, django_capture_on_commit_callbacks
):
    secret = "SEC0123456789abcdef"
    channel(
        persona,
        units,
        kind="dingtalk",
        target=receiver.url("/robot/send?access_token=tok"),
        secret=secret,
    )
    [delivery] = send(units, django_capture_on_commit_callbacks)
    [seen] = receiver.requests
    assert seen.query["access_token"] == "tok"
    ts = seen.query["timestamp"]
    expected = base64.b64encode(
        hmac.new(secret.encode(), f"{ts}\n{secret}".encode(), hashlib.sha256).digest()
    ).decode()
    assert seen.query["sign"] == expected  # parse_qsl undid the urlencoding
    assert abs(int(ts) / 1000 - timezone.now().timestamp()) < 60  # milliseconds
    assert seen.body["msgtype"] == "markdown"
    assert seen.body["markdown"]["title"] == "实验楼烟感报警"
    assert "化学实验室" in seen.body["markdown"]["text"]
    assert delivery.status == DeliveryStatus.SENT


def test_it_signs_feishu_in_the_body(persona, units, receiver, django_capture_on_commit_callbacks):
    receiver.default = Reply(body={"code": 0, "msg": "success", "data": {}})
    secret = "feishu-secret"
    channel(
        persona,
        units,
        kind="feishu",
        target=receiver.url("/open-apis/bot/v2/hook/x"),
        secret=secret,
    )
    [delivery] = send(units, django_capture_on_commit_callbacks)
    [seen] = receiver.requests
    body = seen.body
    ts = body["timestamp"]
    assert isinstance(ts, str) and abs(int(ts) - timezone.now().timestamp()) < 60  # seconds
    key = f"{ts}\n{secret}".encode()
    assert body["sign"] == base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
    assert body["msg_type"] == "text"
    assert body["content"]["text"].startswith("【紧急】实验楼烟感报警\n")
    assert delivery.status == DeliveryStatus.SENT


def test_it_sends_unsigned_feishu_without_timestamp(
    persona, units, receiver, django_capture_on_commit_callbacks
):
    receiver.default = Reply(body={"code": 0, "msg": "success"})
    channel(persona, units, kind="feishu", target=receiver.url("/hook"))
    send(units, django_capture_on_commit_callbacks)
    assert set(receiver.requests[0].body) == {"msg_type", "content"}


def test_it_retries_after_a_failure(persona, units, receiver, django_capture_on_commit_callbacks):
    channel(persona, units, target=receiver.url())
    receiver.replies = [Reply(status=500, body={"errcode": -1})]
    [delivery] = send(units, django_capture_on_commit_callbacks)
    assert delivery.status == DeliveryStatus.PENDING
    assert (delivery.attempts, delivery.response_code, delivery.last_error) == (1, 500, "HTTP 500")
    assert delivery.next_attempt_at > timezone.now()
    assert services.due() == []  # not before its time
    delivery = make_due(delivery)
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.attempts == 2 and delivery.last_error == ""
    assert len(receiver.requests) == 2


def test_it_backs_off_between_attempts():
    assert [services.backoff(n).total_seconds() for n in (1, 2, 3, 9)] == [30, 60, 120, 3600]


def test_it_counts_a_platform_refusal_as_failure(
    persona, units, receiver, django_capture_on_commit_callbacks
):
    receiver.default = Reply(body={"errcode": 310000, "errmsg": "sign not match"})
    channel(persona, units, kind="dingtalk", target=receiver.url(), secret="SECx")
    [delivery] = send(units, django_capture_on_commit_callbacks)
    assert delivery.status == DeliveryStatus.PENDING
    assert "310000" in delivery.last_error and "sign not match" in delivery.last_error


def test_it_gives_up_after_the_last_attempt(
    persona, units, receiver, settings, django_capture_on_commit_callbacks
):
    settings.XIAOAN_CHANNEL_MAX_ATTEMPTS = 2
    receiver.default = Reply(status=503, body={})
    channel(persona, units, target=receiver.url())
    [delivery] = send(units, django_capture_on_commit_callbacks)
    delivery = make_due(delivery)
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == 2
    assert services.due() == []
    assert len(receiver.requests) == 2


def test_it_never_sends_a_delivery_twice(
    persona, units, receiver, django_capture_on_commit_callbacks
):
    channel(persona, units, target=receiver.url())
    [delivery] = send(units, django_capture_on_commit_callbacks, key="alert:12:raised")
    assert delivery.status == DeliveryStatus.SENT
    # The job retried (a worker lost its acknowledgement) and the sweep find nothing to do.
    assert tasks.deliver.call_local(delivery.pk) == "skipped"
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    assert services.due() == []
    # The producer retried with the same key: the same rows, nothing new sent.
    again = send(units, django_capture_on_commit_callbacks, key="alert:12:raised")
    assert [d.pk for d in again] == [delivery.pk]
    assert len(receiver.requests) == 1
    assert Delivery.objects.filter(key="alert:12:raised").count() == 1


def test_it_leaves_a_delivery_another_worker_is_sending(persona, units, receiver):
    ch = channel(persona, units, target=receiver.url())
    delivery = Delivery.objects.create(
        channel=ch, unit=ch.unit, category="alerts", severity="info", subject="s", key="k"
    )
    now = timezone.now()
    assert services.claim(delivery.pk, now)  # the first worker
    assert not services.claim(delivery.pk, now)  # a duplicate job
    assert services.attempt(delivery.pk) is None
    assert receiver.requests == []
    # A worker killed mid-send: once its claim lapses the delivery is taken again.
    later = now + dt.timedelta(minutes=10)
    Delivery.objects.filter(pk=delivery.pk).update(created_at=now - dt.timedelta(minutes=5))
    assert services.due(later) == [delivery.pk]
    assert services.claim(delivery.pk, later)


def test_it_times_out_a_slow_receiver(
    persona, units, receiver, settings, django_capture_on_commit_callbacks
):
    settings.XIAOAN_CHANNEL_TIMEOUT = 0.3
    receiver.replies = [Reply(delay=1.5)]
    channel(persona, units, target=receiver.url())
    started = timezone.now()
    [delivery] = send(units, django_capture_on_commit_callbacks)
    assert (timezone.now() - started).total_seconds() < 1.4
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.last_error == "连接超时" and delivery.response_code is None


def test_it_records_a_refused_connection(persona, units, django_capture_on_commit_callbacks):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    channel(persona, units, target=f"http://127.0.0.1:{port}/hook")
    [delivery] = send(units, django_capture_on_commit_callbacks)
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.last_error.startswith("连接失败")


def test_it_cuts_a_long_message_to_the_platform_limit_with_a_link(
    persona, units, receiver, settings, django_capture_on_commit_callbacks
):
    settings.XIAOAN_SITE_URL = "https://xiaoan.example.edu.cn"
    channel(persona, units, target=receiver.url())
    send(units, django_capture_on_commit_callbacks, body="隐" * 5000)
    content = receiver.requests[0].body["markdown"]["content"]
    assert len(content.encode()) <= 4096
    assert content.endswith("…（全文见：https://xiaoan.example.edu.cn/alerts/12/）")


def test_it_sends_sms_through_the_test_backend(persona, units, django_capture_on_commit_callbacks):
    channel(persona, units, kind="sms", target="13800000001，13900000002 13800000001")
    [delivery] = send(units, django_capture_on_commit_callbacks, body="险" * 400)
    [message] = sms.outbox
    assert message.numbers == ("13800000001", "13900000002")
    assert len(message.text) <= platforms.SMS_LIMIT
    assert message.text.startswith("【紧急】实验楼烟感报警") and "/alerts/12/" in message.text
    assert delivery.status == DeliveryStatus.SENT


class FailingBackend(sms.BaseBackend):
    def send(self, numbers, text):
        raise sms.SmsError("网关返回 isv.BUSINESS_LIMIT_CONTROL")


def test_it_retries_a_failing_sms_gateway(
    persona, units, settings, django_capture_on_commit_callbacks
):
    settings.XIAOAN_SMS_BACKEND = "xiaoan.channels.tests.test_sending.FailingBackend"
    channel(persona, units, kind="sms", target="13800000001")
    [delivery] = send(units, django_capture_on_commit_callbacks)
    assert delivery.status == DeliveryStatus.PENDING
    assert "BUSINESS_LIMIT_CONTROL" in delivery.last_error


def test_it_prints_sms_with_the_console_backend(capsys):
    sms.ConsoleBackend().send(["13800000001"], "测试")
    assert "[SMS] 13800000001: 测试" in capsys.readouterr().out


def test_it_does_not_follow_redirects(persona, units, receiver, django_capture_on_commit_callbacks):
    receiver.replies = [Reply(status=302, location="http://169.254.169.254/latest/meta-data/")]
    channel(persona, units, target=receiver.url())
    [delivery] = send(units, django_capture_on_commit_callbacks)
    assert delivery.status == DeliveryStatus.PENDING and delivery.response_code == 302
    assert len(receiver.requests) == 1


def test_it_refuses_a_name_that_resolves_to_the_metadata_service(monkeypatch, receiver):
    def resolve(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("169.254.169.254", port))]

    monkeypatch.setattr(platforms.socket, "getaddrinfo", resolve)
    outcome = platforms.post("http://hooks.example.com/x", {"a": 1}, 1)
    assert not outcome.ok and "元数据" in outcome.error


def test_it_fails_a_delivery_of_a_stopped_channel(persona, units, receiver):
    ch = channel(persona, units, target=receiver.url())
    delivery = Delivery.objects.create(
        channel=ch, unit=ch.unit, category="alerts", severity="info", subject="s", key="k"
    )
    services.set_active(persona("school_a_officer"), ch.pk, False)
    delivery = services.attempt(delivery.pk)
    assert delivery.status == DeliveryStatus.FAILED and delivery.last_error == "渠道已停用"
    assert receiver.requests == []


def test_it_records_an_unexpected_error_and_retries(persona, units, monkeypatch):
    ch = channel(persona, units, kind="sms", target="13800000001")
    delivery = Delivery.objects.create(
        channel=ch, unit=ch.unit, category="alerts", severity="info", subject="s", key="k"
    )

    def broken(delivery):
        raise KeyError("bug")

    monkeypatch.setattr(services, "_send", broken)
    delivery = services.attempt(delivery.pk)
    assert delivery.status == DeliveryStatus.PENDING and delivery.last_error == "KeyError"
    assert Delivery.objects.get(pk=delivery.pk).claimed_until is None


def test_it_sweeps_up_a_delivery_whose_job_was_lost(persona, units, receiver):
    """A worker killed before it ran the job: the minute sweep sends the delivery once."""
    ch = channel(persona, units, target=receiver.url())
    delivery = Delivery.objects.create(
        channel=ch, unit=ch.unit, category="alerts", severity="info", subject="丢失的任务", key="k"
    )
    assert tasks.retry_due.call_local() == 0  # a fresh row is left to its own job
    Delivery.objects.filter(pk=delivery.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=3)
    )
    assert tasks.retry_due.call_local() == 1
    assert tasks.retry_due.call_local() == 0
    assert Delivery.objects.get(pk=delivery.pk).status == DeliveryStatus.SENT
    assert len(receiver.requests) == 1


def test_it_refuses_private_addresses_when_told_to(persona, units, receiver, settings):
    ch = channel(persona, units, target=receiver.url())
    settings.XIAOAN_CHANNEL_ALLOW_PRIVATE = False
    for url in ("http://127.0.0.1:6379/", "http://10.0.0.8/hook", "http://localhost/x"):
        with pytest.raises(platforms.Refused):
            platforms.check_url(url)
    platforms.check_url("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=1")
    delivery = Delivery.objects.create(
        channel=ch, unit=ch.unit, category="alerts", severity="info", subject="s", key="k"
    )
    delivery = services.attempt(delivery.pk)  # saved before: refused when sent
    assert delivery.status == DeliveryStatus.PENDING and "元数据" in delivery.last_error
    assert receiver.requests == []


def test_a_sent_message_waits_for_the_database_to_record_it(persona, units, monkeypatch):
    """A database restart between sending and recording must not send the message again.
    (The test's own transaction stands in for the worker's autocommit connection.)"""
    from types import SimpleNamespace

    from django.db import OperationalError
    from django.db.models import QuerySet

    ch = channel(persona, units, kind="sms", target="13800000001")
    delivery = Delivery.objects.create(
        channel=ch, unit=ch.unit, category="alerts", severity="info", subject="s", key="k"
    )
    sent, real_update, failures = [], QuerySet.update, [2]

    def away_twice(queryset, **fields):
        if fields.get("status") == DeliveryStatus.SENT and failures[0]:
            failures[0] -= 1
            raise OperationalError("the database system is starting up")
        return real_update(queryset, **fields)

    monkeypatch.setattr(services, "_send", lambda d: sent.append(d.pk) or platforms.Outcome(True))
    monkeypatch.setattr(QuerySet, "update", away_twice)
    monkeypatch.setattr(services.time, "sleep", lambda s: None)
    monkeypatch.setattr(services, "connection", SimpleNamespace(in_atomic_block=False,
                                                                close=lambda: None))  # fmt: skip
    assert services.attempt(delivery.pk).status == DeliveryStatus.SENT
    assert Delivery.objects.get(pk=delivery.pk).status == DeliveryStatus.SENT
    assert sent == [delivery.pk] and failures == [0]
    assert services.attempt(delivery.pk) is None  # nothing left to send
