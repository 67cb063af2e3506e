"""Editing a draft decision (page and PATCH): its kind, title, date and basis change with the
version check, as an event and an audit entry; once issued 409; out of scope 404; without the
right 403; bad input 400 in Chinese."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from xiaoan.accountability import services
from xiaoan.accountability.models import Decision
from xiaoan.audit.models import AuditEntry
from xiaoan.core.errors import Conflict, Invalid

from .support import drafted, issued, listed

pytestmark = pytest.mark.django_db
API = "/api/accountability/"
HUGE = 10**18


def test_it_edits_a_draft_through_the_api(api_for, persona, units):
    decision, entry = listed(persona, units)
    frozen = dict(entry.evidence)
    officer = api_for("district_officer")
    read = officer.get(f"{API}{decision.pk}/").json()
    assert "edit" in read["allowed_actions"]
    version = read["version"]
    day = timezone.localdate() - dt.timedelta(days=1)
    changed = officer.patch(
        f"{API}{decision.pk}/",
        {
            "title": "关于通报表扬的决定",
            "kind": "praise",
            "decided_on": str(day),
            "version": version,
        },
        format="json",
    )
    assert changed.status_code == 200, changed.content
    body = changed.json()
    assert body["title"] == "关于通报表扬的决定" and body["kind"] == "praise"
    assert body["decided_on"] == str(day) and body["version"] == version + 1
    assert body["basis"] == "隐患逾期未整改、屡查屡犯", "fields not given stay"
    assert body["entries"][0]["evidence"] == frozen
    event = body["events"][-1]
    assert event["action"] == "edit" and event["action_label"] == "修改草稿"
    assert event["data"]["changed"]["title"] == [
        "关于约谈隐患整改不力学校的决定",
        "关于通报表扬的决定",
    ]
    audit = AuditEntry.objects.filter(object_id=str(decision.pk), detail__action="edit")
    assert audit.count() == 1
    stale = officer.patch(
        f"{API}{decision.pk}/", {"title": "再改", "version": version}, format="json"
    )
    assert stale.status_code == 409 and "已有变化" in stale.json()["error"]["message"]
    same = officer.patch(f"{API}{decision.pk}/", {"basis": ""}, format="json")
    assert same.status_code == 200 and same.json()["basis"] == ""


def test_it_refuses_bad_input_in_chinese(api_for, persona, units):
    decision = drafted(persona, units)
    officer = api_for("district_officer")
    url = f"{API}{decision.pk}/"
    for body, field in (
        ({"title": "  "}, "title"),
        ({"kind": "reward"}, "kind"),
        ({"decided_on": "明天"}, "decided_on"),
        ({"title": "长" * 201}, "title"),
        ({"version": -1}, "version"),
    ):
        refused = officer.patch(url, body, format="json")
        assert refused.status_code == 400, body
        errors = refused.json()["error"]["fields"][field]
        assert any("\u4e00" <= ch <= "\u9fff" for ch in "".join(errors)), errors
    with pytest.raises(Invalid) as error:
        services.edit(persona("district_officer"), decision.pk, title=" ")
    assert str(error.value.message) == "请填写标题。"
    assert Decision.objects.get(pk=decision.pk).version == decision.version


def test_it_refuses_edits_once_issued_or_out_of_scope(api_for, persona, units):
    decision, _entry = issued(persona, units)
    officer = api_for("district_officer")
    url = f"{API}{decision.pk}/"
    after = officer.patch(url, {"title": "改"}, format="json")
    assert after.status_code == 409 and after.json()["error"]["code"] == "conflict"
    assert "edit" not in officer.get(url).json()["allowed_actions"]
    draft = drafted(persona, units)
    head = api_for("school_a_head")
    assert head.patch(url, {"title": "改"}, format="json").status_code == 403
    assert head.patch(f"{API}{draft.pk}/", {"title": "改"}, format="json").status_code == 404
    assert officer.patch(f"{API}{HUGE}/", {"title": "改"}, format="json").status_code == 404
    assert api_for("auditor").patch(f"{API}{draft.pk}/", {"title": "改"}).status_code == 403
    assert api_for("expert").patch(f"{API}{draft.pk}/", {"title": "改"}).status_code == 403
    with pytest.raises(Conflict):
        services.edit(persona("district_officer"), decision.pk, title="改")
    assert Decision.objects.get(pk=draft.pk).title == "关于约谈隐患整改不力学校的决定"


def test_it_edits_a_draft_on_the_page(client_for, persona, units):
    decision = drafted(persona, units)
    url = reverse("accountability:decision_edit", args=[decision.pk])
    detail = reverse("accountability:decision_detail", args=[decision.pk])
    officer = client_for("district_officer")
    assert url in officer.get(detail).content.decode()
    form = officer.get(url)
    assert form.status_code == 200 and decision.title in form.content.decode()
    body = {
        "version": decision.version,
        "kind": "accountability",
        "title": "关于问责的决定",
        "decided_on": str(decision.decided_on),
        "basis": "屡查屡犯",
    }
    bad = officer.post(url, {**body, "title": ""})
    assert bad.status_code == 400
    saved = officer.post(url, body)
    assert saved.status_code == 302 and saved["Location"] == detail
    decision.refresh_from_db()
    assert decision.kind == "accountability" and decision.title == "关于问责的决定"
    stale = officer.post(url, {**body, "title": "再改"}, follow=True)
    assert "已有变化" in stale.content.decode()
    decision.refresh_from_db()
    assert decision.title == "关于问责的决定"
    assert client_for("school_a_head").get(url).status_code == 404
    assert client_for("auditor").get(url).status_code == 403
    assert client_for("school_b_teacher").post(url, body).status_code == 403
    assert officer.get(reverse("accountability:decision_edit", args=[HUGE])).status_code == 404


def test_it_sends_an_issued_decision_back_to_its_page(client_for, persona, units):
    decision, _entry = issued(persona, units, title="已印发")
    url = reverse("accountability:decision_edit", args=[decision.pk])
    detail = reverse("accountability:decision_detail", args=[decision.pk])
    officer = client_for("district_officer")
    assert url not in officer.get(detail).content.decode()
    assert officer.get(url)["Location"] == detail
    body = {"version": decision.version, "kind": "interview", "title": "改", "basis": ""}
    posted = officer.post(url, {**body, "decided_on": str(decision.decided_on)}, follow=True)
    assert "不能执行" in posted.content.decode()
    decision.refresh_from_db()
    assert decision.title == "已印发"
    # The named school sees the decision, not the authority's form.
    assert client_for("school_a_head").get(url).status_code == 403


def test_it_offers_a_recorded_meeting_for_correction_not_a_blank_form(client_for, db):
    from django.urls import reverse

    from xiaoan.accountability.demo import load_accountability
    from xiaoan.accountability.models import Decision

    load_accountability()
    decision = Decision.objects.filter(meeting_at__isnull=False).first()
    page = client_for("district_officer").get(
        reverse("accountability:decision_detail", args=[decision.pk])
    )
    text = page.content.decode()
    assert "约谈已记录" in text and f'value="{decision.place}"' in text
