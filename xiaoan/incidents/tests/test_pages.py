"""The incident pages and the roster pages: every route served to someone and refused to
someone; the detail page shows the clock, the duty and the action panel; the action forms
refuse bad input (400), other schools (404), no right (403) and wrong states (409 →
message)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from xiaoan.incidents.demo import load_incidents
from xiaoan.incidents.models import DutyShift, Incident
from xiaoan.incidents.tests.support import (
    SCHOOL_A,
    SCHOOL_B,
    ago,
    classified,
    reported,
    reviewed,
    shift,
)

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"incidents:{name}", args=args)


def test_it_lists_in_scope_with_filters(client_for, persona, units, django_assert_max_num_queries):
    a = reported(persona, units, place="操场东侧")
    b = reported(persona, units, SCHOOL_B, place="东沟校门口")
    client = client_for("school_a_officer")
    client.get(url("incident_list"))
    with django_assert_max_num_queries(30):
        page = client.get(url("incident_list"))
    body = page.content.decode()
    assert page.status_code == 200 and a.number in body and b.number not in body
    assert url("dutyshift_today") in body
    district = client_for("district_officer").get(url("incident_list"), {"kind": "injury"})
    assert b.number in district.content.decode()
    assert client_for("auditor").get(url("incident_list")).status_code == 200
    for name in ("school_b_teacher", "expert"):
        assert client_for(name).get(url("incident_list")).status_code == 403
    export = client.get(url("incident_export"), {"severity": "general"})
    assert export.status_code == 200 and "spreadsheet" in export["Content-Type"]
    assert client_for("expert").get(url("incident_export")).status_code == 403


def test_it_reports_through_the_form(client_for, units):
    client = client_for("school_a_officer")
    assert client.get(url("incident_add")).status_code == 200
    when = timezone.localtime(ago(180)).strftime("%Y-%m-%dT%H:%M")
    data = {
        "unit": units[SCHOOL_A].pk,
        "kind": "drowning",
        "severity": "serious",
        "occurred_at": when,
        "place": "学校附近水塘",
        "injured": 0,
        "dead": 1,
        "summary": "一名学生周末私自下水游泳溺亡",
    }
    done = client.post(url("incident_add"), data)
    assert done.status_code == 302
    incident = Incident.objects.get(place="学校附近水塘")
    assert incident.late and done["Location"] == url("incident_detail", incident.pk)
    bad = client.post(url("incident_add"), {**data, "unit": units[SCHOOL_B].pk})
    assert bad.status_code == 400
    bad = client.post(url("incident_add"), {**data, "summary": ""})
    assert bad.status_code == 400
    assert client_for("auditor").get(url("incident_add")).status_code == 403
    assert client_for("expert").post(url("incident_add"), data).status_code == 403


def test_it_shows_the_clock_and_who_was_on_duty(client_for, persona, units):
    occurred = timezone.localtime(ago(200))
    shift(persona, units, duty_date=occurred.date(), starts_at=dt.time(0), ends_at=dt.time(0))
    incident = reported(persona, units, severity="serious", occurred_at=ago(200))
    page = client_for("school_a_head").get(url("incident_detail", incident.pk))
    body = page.content.decode()
    assert page.status_code == 200
    assert "首报超时 80 分钟" in body and "李老师" in body and "带班领导" in body
    assert "续报" in body and 'action="' + url("incident_follow_up", incident.pk) in body
    assert (
        client_for("school_b_teacher").get(url("incident_detail", incident.pk)).status_code == 403
    )
    other = reported(persona, units, SCHOOL_B)
    assert client_for("school_a_head").get(url("incident_detail", other.pk)).status_code == 404
    assert client_for("school_a_head").get(url("incident_detail", 10**12)).status_code == 404
    assert (
        client_for("district_officer").get(url("incident_detail", incident.pk)).status_code == 200
    )


def test_it_runs_the_workflow_through_the_forms(client_for, persona, units):
    from xiaoan.hazards.models import Hazard

    incident = reported(persona, units)
    school, district = client_for("school_a_officer"), client_for("district_officer")
    follow = school.post(url("incident_follow_up", incident.pk), {"version": 1, "text": "已送医"})
    assert follow.status_code == 302
    assert school.post(url("incident_follow_up", incident.pk), {"version": 2}).status_code == 400
    stale = school.post(url("incident_follow_up", incident.pk), {"version": 1, "text": "x"})
    assert stale.status_code == 302  # back to the page with the message
    assert (
        school.post(
            url("incident_classify", incident.pk),
            {"version": 2, "classification": "liability", "severity": "general"},
        ).status_code
        == 403
    )
    done = district.post(
        url("incident_classify", incident.pk),
        {"version": 2, "classification": "liability", "severity": "general"},
    )
    assert done.status_code == 302
    review = school.post(
        url("incident_review", incident.pk),
        {
            "version": 3,
            "summary": "巡查不到位",
            "findings": "围栏破损\n照明不足",
            "all_hazards": "on",
        },
    )
    assert review.status_code == 302
    incident.refresh_from_db()
    assert incident.status == "reviewed"
    assert Hazard.objects.filter(unit=incident.unit, category="事件复盘").count() == 2
    assert school.post(url("incident_close", incident.pk), {"version": 4}).status_code == 403
    assert district.post(url("incident_close", incident.pk), {"version": 4}).status_code == 302
    incident.refresh_from_db()
    assert incident.status == "closed"
    page = school.get(url("incident_detail", incident.pk)).content.decode()
    assert "围栏破损" in page and "已结案" in page


def test_it_turns_a_finding_into_a_hazard_on_the_page(client_for, persona, units):
    incident = reviewed(persona, units)
    second = incident.findings.get(seq=2)
    school = client_for("school_a_officer")
    page = school.get(url("incident_detail", incident.pk)).content.decode()
    assert url("incident_to_hazard", incident.pk) in page
    done = school.post(
        url("incident_to_hazard", incident.pk), {"version": incident.version, "finding": second.pk}
    )
    assert done.status_code == 302
    second.refresh_from_db()
    assert second.hazard_id is not None
    assert (
        client_for("auditor")
        .post(url("incident_to_hazard", incident.pk), {"version": 1, "finding": second.pk})
        .status_code
        == 403
    )
    other = reported(persona, units, SCHOOL_B)
    for name in ("follow_up", "review", "to_hazard", "classify", "close"):
        answer = client_for("school_a_head").post(url(f"incident_{name}", other.pk), {"version": 1})
        assert answer.status_code == 404, name
        answer = client_for("expert").post(url(f"incident_{name}", incident.pk), {"version": 1})
        assert answer.status_code == 403, name


def test_it_sends_a_wrong_state_back_to_the_page(client_for, persona, units):
    incident = classified(persona, units)
    answer = client_for("district_officer").post(
        url("incident_classify", incident.pk),
        {"version": incident.version, "classification": "liability", "severity": "general"},
    )
    assert answer.status_code in (302, 409)


def test_it_shows_the_rosters(client_for, persona, units):
    mine = shift(persona, units)
    theirs = shift(persona, units, SCHOOL_B, name="东沟值班员")
    client = client_for("school_a_officer")
    today = client.get(url("dutyshift_today"))
    body = today.content.decode()
    assert today.status_code == 200 and "李老师" in body and "东沟值班员" not in body
    assert client_for("expert").get(url("dutyshift_today")).status_code == 403
    listing = client.get(url("dutyshift_list"))
    assert listing.status_code == 200 and "李老师" in listing.content.decode()
    assert client.get(url("dutyshift_detail", mine.pk)).status_code == 200
    assert client.get(url("dutyshift_detail", theirs.pk)).status_code == 404
    assert client_for("expert").get(url("dutyshift_list")).status_code == 403
    added = client.post(
        url("dutyshift_add"),
        {
            "unit": units[SCHOOL_A].pk,
            "name": "赵老师",
            "phone": "13700000000",
            "duty_date": "2026-10-02",
            "starts_at": "08:00",
            "ends_at": "20:00",
        },
    )
    assert added.status_code == 302 and DutyShift.objects.filter(name="赵老师").exists()


def test_it_loads_the_demo_once(persona, units):
    assert load_incidents() == 2
    assert load_incidents() == 0
    late = Incident.objects.get(kind="food")
    assert late.late and late.status == "reported"
    assert DutyShift.objects.filter(unit=units[SCHOOL_A]).count() == 14
