"""The channel pages: who sees and manages which unit's channels, the form (addresses
checked, secrets never shown back), the test button and the delivery log."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xiaoan.channels import services
from xiaoan.channels.choices import DeliveryStatus
from xiaoan.channels.models import Channel, Delivery
from xiaoan.channels.tests.support import SCHOOL_A, SCHOOL_B, Reply, channel

pytestmark = pytest.mark.django_db

HUGE = 10**30
KEY = "abcd-1234-secret-key"


@pytest.fixture
def mine(persona, units):
    return channel(
        persona, units, target=f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={KEY}"
    )


@pytest.fixture
def theirs(persona, units):
    return channel(persona, units, who="district_officer", unit=SCHOOL_B, name="东沟小学群")


def routes(pk):
    gets = [
        reverse("channels:channel_list"),
        reverse("channels:channel_add"),
        reverse("channels:delivery_list"),
        reverse("channels:channel_detail", args=[pk]),
        reverse("channels:channel_edit", args=[pk]),
    ]
    posts = [
        reverse(f"channels:channel_{name}", args=[pk])
        for name in ("test", "deactivate", "activate")
    ]
    return gets, posts


@pytest.mark.parametrize("who", ["school_b_teacher", "school_a_owner", "expert", "sysadmin"])
def test_it_refuses_every_page_to_those_without_the_permission(client_for, mine, who):
    client = client_for(who)
    gets, posts = routes(mine.pk)
    for url in gets:
        assert client.get(url).status_code == 403, url
    for url in posts:
        assert client.post(url).status_code == 403, url


def test_it_sends_anonymous_visitors_to_login(client, mine):
    gets, posts = routes(mine.pk)
    for url in gets:
        assert "/accounts/login/" in client.get(url)["Location"]
    for url in posts:
        assert "/accounts/login/" in client.post(url)["Location"]


def test_it_hides_other_schools_channels(client_for, theirs):
    client = client_for("school_a_officer")
    _gets, posts = routes(theirs.pk)
    for name in ("channel_detail", "channel_edit"):
        assert client.get(reverse(f"channels:{name}", args=[theirs.pk])).status_code == 404
    for url in posts:
        assert client.post(url).status_code == 404, url
    assert "东沟小学群" not in client.get(reverse("channels:channel_list")).content.decode()
    for pk in (HUGE, 0):
        url = f"/channels/{pk}/"
        assert client.get(url).status_code == 404
        assert client.post(url + "test/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_active


def test_it_lets_the_auditor_read_but_not_change(client_for, mine):
    client = client_for("auditor")
    page = client.get(reverse("channels:channel_list")).content.decode()
    assert mine.name in page and "添加渠道" not in page
    detail = client.get(reverse("channels:channel_detail", args=[mine.pk]))
    assert detail.status_code == 200 and "发送测试消息" not in detail.content.decode()
    assert client.get(reverse("channels:channel_add")).status_code == 403
    assert client.get(reverse("channels:channel_edit", args=[mine.pk])).status_code == 403
    assert client.post(reverse("channels:channel_test", args=[mine.pk])).status_code == 403
    assert client.post(reverse("channels:channel_deactivate", args=[mine.pk])).status_code == 403
    assert client.get(reverse("channels:delivery_list")).status_code == 200


def test_it_lets_the_district_manage_its_schools_channels(client_for, mine):
    client = client_for("district_officer")
    assert client.get(reverse("channels:channel_edit", args=[mine.pk])).status_code == 200
    response = client.post(reverse("channels:channel_deactivate", args=[mine.pk]))
    assert response.status_code == 302
    mine.refresh_from_db()
    assert not mine.is_active


def form(units, **fields):
    data = {
        "unit": units[SCHOOL_A].pk,
        "kind": "dingtalk",
        "name": "安办钉钉群",
        "target": "https://oapi.dingtalk.com/robot/send?access_token=tok123456789",
        "secret": "SECsecret",
        "min_severity": "warning",
        "categories": ["alerts", "hazards"],
        "include_subtree": "on",
    }
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


def test_it_adds_a_channel_and_never_shows_its_key_or_secret(client_for, units):
    client = client_for("school_a_officer")
    assert client.get(reverse("channels:channel_add")).status_code == 200
    response = client.post(reverse("channels:channel_add"), form(units), follow=True)
    page = response.content.decode()
    assert "已添加消息推送渠道" in page
    ch = Channel.objects.get(name="安办钉钉群")
    assert (ch.kind, ch.secret, ch.min_severity) == ("dingtalk", "SECsecret", "warning")
    assert ch.categories == ["alerts", "hazards"] and ch.include_subtree
    assert "tok123456789" not in page and "SECsecret" not in page
    assert "https://oapi.dingtalk.com/…" in page
    edit = client.get(reverse("channels:channel_edit", args=[ch.pk])).content.decode()
    assert "tok123456789" not in edit and "SECsecret" not in edit
    listing = client.get(reverse("channels:channel_list")).content.decode()
    assert "tok123456789" not in listing


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("ftp://example.com/hook", "http:// 或 https://"),
        ("javascript:alert(1)", "http:// 或 https://"),
        ("http://169.254.169.254/latest/meta-data/", "元数据"),
        ("http://[fe80::1]/hook", "元数据"),
        ("http://metadata.google.internal/x", "元数据"),
        ("https://user:pw@example.com/hook", "用户名或密码"),
    ],
)
def test_it_refuses_addresses_it_will_not_call(client_for, units, target, message):
    client = client_for("school_a_officer")
    response = client.post(reverse("channels:channel_add"), form(units, target=target))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Channel.objects.filter(name="安办钉钉群").exists()


def test_it_refuses_bad_numbers_and_a_secret_where_none_is_used(client_for, units):
    client = client_for("school_a_officer")
    bad = form(units, kind="sms", target="13800000001, 12345", secret="")
    response = client.post(reverse("channels:channel_add"), bad)
    assert response.status_code == 400 and "不是有效的手机号" in response.content.decode()
    wecom = form(units, kind="wecom", target="https://qyapi.weixin.qq.com/x?key=1")
    response = client.post(reverse("channels:channel_add"), wecom)
    assert response.status_code == 400 and "不使用加签密钥" in response.content.decode()


def test_it_refuses_a_unit_outside_ones_scope(client_for, units):
    client = client_for("school_a_officer")
    response = client.post(reverse("channels:channel_add"), form(units, unit=units[SCHOOL_B].pk))
    assert response.status_code == 400
    response = client.post(reverse("channels:channel_add"), form(units, unit=str(HUGE)))
    assert response.status_code == 400
    assert not Channel.objects.exists()


def test_it_keeps_the_address_and_secret_when_left_empty(client_for, units, persona):
    ch = channel(
        persona, units, kind="dingtalk", target="https://o.example.com/r?t=1", secret="SEC1"
    )
    client = client_for("school_a_head")
    data = {"name": "改名", "target": "", "secret": "", "min_severity": "critical"}
    response = client.post(reverse("channels:channel_edit", args=[ch.pk]), data)
    assert response.status_code == 302
    ch.refresh_from_db()
    assert (ch.name, ch.target, ch.secret, ch.min_severity) == (
        "改名",
        "https://o.example.com/r?t=1",
        "SEC1",
        "critical",
    )
    data.update(target="https://o.example.com/r?t=2", clear_secret="on")
    client.post(reverse("channels:channel_edit", args=[ch.pk]), data)
    ch.refresh_from_db()
    assert (ch.target, ch.secret) == ("https://o.example.com/r?t=2", "")
    response = client.post(
        reverse("channels:channel_edit", args=[ch.pk]), {**data, "target": "file:///etc/passwd"}
    )
    assert response.status_code == 400
    ch.refresh_from_db()
    assert ch.target == "https://o.example.com/r?t=2"


def test_it_sends_a_test_message_and_shows_the_result(client_for, persona, units, receiver):
    ch = channel(persona, units, target=receiver.url())
    client = client_for("school_a_officer")
    url = reverse("channels:channel_test", args=[ch.pk])
    page = client.post(url, follow=True).content.decode()
    assert "测试消息已发送成功" in page
    assert "校安平台测试消息" in receiver.requests[0].body["markdown"]["content"]
    receiver.default = Reply(status=500, body={})
    page = client.post(url, follow=True).content.decode()
    assert "测试消息发送失败：HTTP 500" in page
    failed = Delivery.objects.get(channel=ch, status=DeliveryStatus.FAILED)
    assert failed.category == "test" and failed.attempts == 1  # a test is not retried
    assert services.due() == []
    detail = client.get(reverse("channels:channel_detail", args=[ch.pk])).content.decode()
    assert detail.count("校安平台测试消息") == 2 and "HTTP 500" in detail


def test_it_refuses_a_test_of_a_stopped_channel(client_for, persona, units, receiver):
    ch = channel(persona, units, target=receiver.url())
    client = client_for("school_a_officer")
    client.post(reverse("channels:channel_deactivate", args=[ch.pk]))
    page = client.post(reverse("channels:channel_test", args=[ch.pk]), follow=True)
    assert "渠道已停用" in page.content.decode() and receiver.requests == []
    client.post(reverse("channels:channel_activate", args=[ch.pk]))
    ch.refresh_from_db()
    assert ch.is_active


def test_it_lists_deliveries_by_channel_and_status_within_scope(client_for, persona, units, theirs):
    a = channel(persona, units, kind="sms", target="13800000001", name="甲渠道")
    b = channel(persona, units, kind="sms", target="13800000002", name="乙渠道")
    for ch, status, subject in (
        (a, "sent", "甲已发送"),
        (a, "failed", "甲失败"),
        (b, "sent", "乙已发送"),
        (theirs, "sent", "东沟消息"),
    ):
        Delivery.objects.create(
            channel=ch,
            unit=ch.unit,
            category="alerts",
            severity="info",
            subject=subject,
            key=subject,
            status=status,
        )
    client = client_for("school_a_officer")
    url = reverse("channels:delivery_list")
    page = client.get(url).content.decode()
    assert "甲已发送" in page and "乙已发送" in page and "东沟消息" not in page
    page = client.get(url, {"channel": a.pk, "status": "failed"}).content.decode()
    assert "甲失败" in page and "甲已发送" not in page and "乙已发送" not in page
    page = client.get(url, {"channel": theirs.pk}).content.decode()
    assert "东沟消息" not in page
    assert client.get(url, {"channel": str(HUGE)}).status_code == 200
    assert "东沟消息" in client_for("district_officer").get(url).content.decode()


def test_it_links_the_channels_from_the_unit_page_and_the_inbox(client_for, units):
    client = client_for("school_a_officer")
    unit_page = client.get(reverse("orgs:unit_detail", args=[units[SCHOOL_A].pk]))
    assert reverse("channels:channel_list") in unit_page.content.decode()
    inbox = client.get(reverse("notifications:inbox")).content.decode()
    assert reverse("channels:channel_list") in inbox
    teacher = client_for("school_b_teacher").get(reverse("notifications:inbox"))
    assert reverse("channels:channel_list") not in teacher.content.decode()
