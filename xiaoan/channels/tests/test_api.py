"""/api/channels/ and /api/deliveries/: scoping, write-only secrets, the test endpoint and
bad input."""

from __future__ import annotations

import pytest

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


def delivery(ch, subject="s", **fields):
    return Delivery.objects.create(
        channel=ch,
        unit=ch.unit,
        category="alerts",
        severity="info",
        subject=subject,
        key=subject,
        **fields,
    )


def body(units, **fields):
    data = {
        "unit": units[SCHOOL_A].pk,
        "kind": "feishu",
        "name": "飞书安全群",
        "target": "https://open.feishu.cn/open-apis/bot/v2/hook/tok-98765",
        "secret": "fs-secret",
        "min_severity": "critical",
        "categories": ["alerts"],
        "include_subtree": True,
    }
    data.update(fields)
    return data


def test_it_creates_a_channel_and_never_returns_its_address_or_secret(api_for, units):
    api = api_for("school_a_officer")
    response = api.post("/api/channels/", body(units), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["target_masked"] == "https://open.feishu.cn/…" and data["has_secret"] is True
    assert "target" not in data and "secret" not in data
    assert data["categories"] == ["alerts"] and data["min_severity"] == "critical"
    ch = Channel.objects.get(pk=data["id"])
    assert (ch.target, ch.secret) == (body(units)["target"], "fs-secret")
    listing = api.get("/api/channels/").content.decode()
    assert "tok-98765" not in listing and "fs-secret" not in listing
    detail = api.get(f"/api/channels/{ch.pk}/").json()
    assert detail["name"] == "飞书安全群"


def test_it_masks_sms_numbers(api_for, persona, units):
    ch = channel(persona, units, kind="sms", target="13800001234,13900005678")
    data = api_for("school_a_officer").get(f"/api/channels/{ch.pk}/").json()
    assert data["target_masked"] == "138****1234，139****5678"


def test_it_changes_only_what_is_sent(api_for, mine):
    api = api_for("school_a_head")
    response = api.patch(f"/api/channels/{mine.pk}/", {"name": "新名称"}, format="json")
    assert response.status_code == 200, response.json()
    mine.refresh_from_db()
    assert mine.name == "新名称" and KEY in mine.target and mine.min_severity == "info"
    response = api.put(
        f"/api/channels/{mine.pk}/", {"is_active": False, "target": ""}, format="json"
    )
    assert response.status_code == 200
    mine.refresh_from_db()
    assert not mine.is_active and KEY in mine.target
    # A form-encoded change leaves the flags it does not name alone (no unchecked boxes).
    response = api.patch(f"/api/channels/{mine.pk}/", {"name": "表单"}, format="multipart")
    assert response.status_code == 200, response.content
    mine.refresh_from_db()
    assert (mine.name, mine.is_active, mine.include_subtree) == ("表单", False, False)


def test_it_refuses_those_without_the_permission(api_for, mine):
    for who in ("school_b_teacher", "school_a_owner", "sysadmin"):
        api = api_for(who)
        assert api.get("/api/channels/").status_code == 403
        assert api.get(f"/api/channels/{mine.pk}/").status_code == 403
        assert api.post(f"/api/channels/{mine.pk}/test/").status_code == 403
        assert api.get("/api/deliveries/").status_code == 403
    auditor = api_for("auditor")
    assert auditor.get(f"/api/channels/{mine.pk}/").status_code == 200
    assert auditor.post("/api/channels/", {}, format="json").status_code == 403
    assert (
        auditor.patch(f"/api/channels/{mine.pk}/", {"name": "x"}, format="json").status_code == 403
    )
    assert auditor.post(f"/api/channels/{mine.pk}/test/").status_code == 403
    assert auditor.delete(f"/api/channels/{mine.pk}/").status_code == 405


def test_it_requires_login(client, mine):
    assert client.get("/api/channels/").status_code in (401, 403)
    assert client.get("/api/deliveries/").status_code in (401, 403)


def test_it_hides_other_schools_channels_and_deliveries(api_for, theirs):
    d = delivery(theirs, "东沟消息")
    api = api_for("school_a_officer")
    assert theirs.pk not in [c["id"] for c in api.get("/api/channels/").json()["results"]]
    # A number no record id can be is the platform's structured 400 (core.middleware).
    huge = api.get(f"/api/channels/{HUGE}/")
    assert huge.status_code == 400 and huge.json()["error"]["code"] == "out_of_range"
    assert api.post(f"/api/channels/{HUGE}/test/").status_code == 400
    for pk in (theirs.pk, 2**62, "abc", -1):
        assert api.get(f"/api/channels/{pk}/").status_code == 404, pk
        assert api.patch(f"/api/channels/{pk}/", {"name": "x"}, format="json").status_code == 404
        assert api.post(f"/api/channels/{pk}/test/").status_code == 404
    assert api.get(f"/api/deliveries/{d.pk}/").status_code == 404
    assert api.get(f"/api/deliveries/{2**62}/").status_code == 404
    assert api.get("/api/deliveries/").json()["count"] == 0
    theirs.refresh_from_db()
    assert theirs.name == "东沟小学群"


def test_it_refuses_bad_input_with_a_structured_400(api_for, units):
    api = api_for("school_a_officer")
    cases = [
        ({"unit": units[SCHOOL_B].pk}, "unit"),
        ({"unit": HUGE}, "unit"),
        ({"target": "http://169.254.169.254/latest/meta-data/"}, "target"),
        ({"target": "gopher://example.com/"}, "target"),
        ({"target": {"nested": {"deep": ["x"]}}}, "target"),
        ({"name": {"a": 1}}, "name"),
        ({"categories": [{"a": ["b"]}]}, "categories"),
        ({"categories": "alerts"}, "categories"),
        ({"categories": ["alerts", "nothing"]}, "categories"),
        ({"min_severity": "fatal"}, "min_severity"),
        ({"kind": "telegram"}, "kind"),
        ({"kind": "sms", "target": "110", "secret": ""}, "target"),
        ({"kind": "wecom"}, "secret"),  # WeCom robots are not signed
        ({"include_subtree": "perhaps"}, "include_subtree"),
    ]
    for change, field in cases:
        response = api.post("/api/channels/", body(units, **change), format="json")
        assert response.status_code == 400, (change, response.content)
        error = response.json()["error"]
        assert field in error["fields"], (change, error)
    assert not Channel.objects.exists()


def test_it_sends_a_test_message_and_answers_the_result(api_for, persona, units, receiver):
    receiver.default = Reply(body={"code": 0, "msg": "success"})
    ch = channel(persona, units, kind="feishu", target=receiver.url(), secret="s")
    api = api_for("school_a_officer")
    data = api.post(f"/api/channels/{ch.pk}/test/").json()
    assert (data["status"], data["response_code"], data["category"]) == ("sent", 200, "test")
    receiver.default = Reply(body={"code": 19021, "msg": "sign match fail"})
    data = api.post(f"/api/channels/{ch.pk}/test/").json()
    assert data["status"] == "failed" and "19021" in data["last_error"]
    api.patch(f"/api/channels/{ch.pk}/", {"is_active": False}, format="json")
    response = api.post(f"/api/channels/{ch.pk}/test/")
    assert response.status_code == 400 and "已停用" in response.json()["error"]["message"]


def test_it_lists_deliveries_with_filters_in_few_queries(
    api_for, persona, units, django_assert_max_num_queries
):
    a = channel(persona, units, kind="sms", target="13800000001", name="甲")
    b = channel(persona, units, kind="sms", target="13800000002", name="乙")
    for n in range(6):
        delivery(a, f"甲{n}", status="sent" if n % 2 else "failed", ref="alert:1")
        delivery(b, f"乙{n}")
    api = api_for("school_a_officer")
    with django_assert_max_num_queries(8):
        data = api.get("/api/deliveries/").json()
    assert data["count"] == 12
    data = api.get("/api/deliveries/", {"channel": a.pk, "status": "failed"}).json()
    assert sorted(r["subject"] for r in data["results"]) == ["甲0", "甲2", "甲4"]
    assert api.get("/api/deliveries/", {"ref": "alert:1"}).json()["count"] == 6
    one = data["results"][0]
    assert one["channel_name"] == "甲" and "target" not in one
    assert api.get(f"/api/deliveries/{one['id']}/").status_code == 200
    assert api.get("/api/deliveries/", {"channel": str(HUGE)}).status_code == 400
    assert api.post("/api/deliveries/", {}, format="json").status_code == 405


def test_it_lists_channels_in_few_queries(api_for, persona, units, django_assert_max_num_queries):
    for n in range(5):
        channel(persona, units, name=f"渠道{n}")
    with django_assert_max_num_queries(6):
        data = api_for("district_officer").get("/api/channels/").json()
    assert data["count"] == 5
