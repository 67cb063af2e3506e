"""The issuing unit reviews duty records (xiaoan.duties.review): a record of a reviewed duty
waits (待审核) and counts only once accepted; a return keeps the record with its reason and
the unit records again. The obligated unit cannot accept its own record, other units are
refused, wrong states are 409; the daily evaluation never misses a record awaiting review."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from xiaoan.duties import overview, review, services
from xiaoan.duties.models import DutyRecord, Obligation, ObligationEvent
from xiaoan.duties.tests.support import SCHOOL_A, UNIVERSITY, duty, evidence
from xiaoan.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(persona, units):
    """School A's drill obligation of a district duty this year, with a record waiting."""
    d = duty(persona, units, name="年度演练", recurrence="yearly", proof="record",
             record_kind="drill")  # fmt: skip
    services.generate_duty(d, timezone.localdate())
    ob = Obligation.objects.get(duty=d, unit=units[SCHOOL_A])
    services.submit_record(persona("school_a_officer"), ob.pk, evidence=evidence())
    ob.refresh_from_db()
    return ob


def events(ob) -> list[tuple[str, str, str]]:
    rows = ObligationEvent.objects.filter(obligation=ob).order_by("created_at", "pk")
    return [(e.action, e.from_status, e.to_status) for e in rows]


def test_it_needs_review_by_default_only_for_record_duties_issued_to_units_below(persona, units):
    district = duty(persona, units, name="演练", proof="record", record_kind="drill")
    assert district.requires_review
    own = duty(persona, units, who="school_a_head", issuer=SCHOOL_A, name="本校演练",
               proof="record", record_kind="drill")  # fmt: skip
    assert not own.requires_review  # a school's duties for itself
    departments = duty(persona, units, who="school_a_head", issuer=SCHOOL_A, name="处室总结",
                       proof="record", record_kind="summary", target="kind",
                       target_kind="department")  # fmt: skip
    assert departments.requires_review
    assert not duty(persona, units, name="自查").requires_review  # inspections prove themselves
    chosen = duty(persona, units, name="不审", proof="record", record_kind="drill",
                  requires_review=False)  # fmt: skip
    assert not chosen.requires_review


def test_a_record_waits_for_review_and_counts_only_once_accepted(waiting, persona, api_for):
    assert waiting.status == "review"
    assert DutyRecord.objects.get(obligation=waiting).review == "pending"
    # The overview shows it waiting, not done.
    report = overview.overview(persona("district_officer"), str(waiting.due_on.year))
    assert report.totals["met"] == 0 and report.totals["review"] == 1
    # The reviewers of the district were told, the reporter was not.
    told = set(Notification.objects.filter(kind="review").values_list("recipient__username",
                                                                      flat=True))  # fmt: skip
    assert "district_officer" in told and "school_a_officer" not in told
    body = api_for("district_officer").get(f"/api/obligations/{waiting.pk}/").json()
    assert body["allowed_actions"] == ["accept", "return"]
    assert api_for("school_a_head").get(f"/api/obligations/{waiting.pk}/").json()[
        "allowed_actions"
    ] == ["record"]
    response = api_for("district_officer").post(
        f"/api/obligations/{waiting.pk}/accept/",
        {"note": "材料齐全", "version": waiting.version},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "met" and body["records"][0]["review"] == "accepted"
    assert body["records"][0]["review_note"] == "材料齐全"
    assert events(waiting)[-2:] == [("record", "pending", "review"), ("accept", "review", "met")]
    assert Notification.objects.filter(
        kind="accepted", recipient__username="school_a_officer"
    ).exists()
    assert not Notification.objects.filter(recipient__username="district_officer",
                                           kind="accepted").exists()  # fmt: skip
    report = overview.overview(persona("district_officer"), str(waiting.due_on.year))
    assert report.totals["met"] == 1 and report.totals["review"] == 0


def test_a_return_keeps_the_record_with_its_reason_and_the_unit_records_again(
    waiting, persona, api_for, client_for
):
    response = api_for("district_officer").post(
        f"/api/obligations/{waiting.pk}/return/", {"note": "缺少签到表"}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "pending"
    assert body["records"][0]["review"] == "returned"
    assert body["records"][0]["review_note"] == "缺少签到表"
    assert events(waiting)[-1] == ("return", "review", "pending")
    returned = Notification.objects.get(kind="returned", recipient__username="school_a_officer")
    assert "缺少签到表" in returned.body
    page = client_for("school_a_officer").get(
        reverse("duties:obligation_detail", args=[waiting.pk])
    )
    html = page.content.decode()
    assert "已退回" in html and "退回理由：缺少签到表" in html
    # The unit records again: waiting once more, both records kept.
    services.submit_record(persona("school_a_officer"), waiting.pk, evidence=evidence())
    waiting.refresh_from_db()
    assert waiting.status == "review" and waiting.records.count() == 2


def test_a_return_without_a_reason_is_refused_and_changes_nothing(waiting, api_for):
    response = api_for("district_officer").post(
        f"/api/obligations/{waiting.pk}/return/", {"note": " "}, format="json"
    )
    assert response.status_code == 400
    assert "note" in response.json()["error"]["fields"]
    waiting.refresh_from_db()
    assert waiting.status == "review" and waiting.records.get().review == "pending"


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("school_a_head", 403),  # the obligated unit cannot accept its own record
        ("school_a_officer", 403),
        ("district_supervisor", 403),  # sees it, may not review
        ("uni_security", 404),  # another unit's id
        ("school_b_teacher", 403),
    ],
)
@pytest.mark.parametrize("action", ["accept", "return"])
def test_the_api_refuses_review_to_others(action, who, expected, waiting, api_for):
    response = api_for(who).post(
        f"/api/obligations/{waiting.pk}/{action}/", {"note": "看过"}, format="json"
    )
    assert response.status_code == expected, response.content
    waiting.refresh_from_db()
    assert waiting.status == "review" and waiting.records.get().review == "pending"


def test_the_reviewers_do_not_report_for_the_unit(waiting, persona, api_for):
    response = api_for("district_officer").post(
        f"/api/obligations/{waiting.pk}/record/", {"evidence": evidence()}, format="multipart"
    )
    assert response.status_code == 403
    assert "发布单位的审核人员不能代为报送" in response.json()["error"]["message"]
    assert waiting.records.count() == 1


def test_nobody_reviews_a_record_they_reported(waiting, persona, api_for):
    # Reported before they became a reviewer (a role granted since): still not theirs to judge.
    DutyRecord.objects.create(
        obligation=waiting, kind="drill", evidence=evidence(), review="pending",
        submitted_by=persona("district_officer"),
    )  # fmt: skip
    body = api_for("district_officer").get(f"/api/obligations/{waiting.pk}/").json()
    assert "accept" not in body["allowed_actions"]
    response = api_for("district_officer").post(
        f"/api/obligations/{waiting.pk}/accept/", {}, format="json"
    )
    assert response.status_code == 403
    assert "不能审核自己报送的记录" in response.json()["error"]["message"]


def test_review_in_a_wrong_state_or_of_a_stale_version_is_409(waiting, api_for):
    client = api_for("district_officer")
    stale = client.post(f"/api/obligations/{waiting.pk}/accept/", {"version": 0}, format="json")
    assert stale.status_code == 409
    assert (
        client.post(f"/api/obligations/{waiting.pk}/accept/", {}, format="json").status_code == 200
    )
    again = client.post(f"/api/obligations/{waiting.pk}/return/", {"note": "晚了"}, format="json")
    assert again.status_code == 409 and "已完成" in again.json()["error"]["message"]


def test_the_daily_evaluation_leaves_a_record_awaiting_review_alone(waiting):
    services.evaluate(today=waiting.due_on + dt.timedelta(days=3))
    waiting.refresh_from_db()
    assert waiting.status == "review"


def test_a_return_after_the_due_date_leaves_the_unit_a_week_to_record_again(persona, units):
    d = duty(persona, units, name="春季演练", recurrence="semester", proof="record",
             record_kind="drill")  # fmt: skip
    services.generate_duty(d, dt.date(2026, 3, 10))
    ob = Obligation.objects.get(duty=d, unit=units[SCHOOL_A])
    services.submit_record(persona("school_a_officer"), ob.pk, evidence=evidence())
    review.send_back(persona("district_officer"), ob.pk, note="照片不清")
    ob.refresh_from_db()
    today = timezone.localdate()
    assert ob.due_on < today and ob.resubmit_by == today + dt.timedelta(days=7)
    services.evaluate(today=ob.resubmit_by)
    ob.refresh_from_db()
    assert ob.status == "pending"
    services.evaluate(today=ob.resubmit_by + dt.timedelta(days=1))
    ob.refresh_from_db()
    assert ob.status == "missed"


def test_the_pages_offer_and_take_the_review(waiting, client_for):
    detail = reverse("duties:obligation_detail", args=[waiting.pk])
    accept = reverse("duties:obligation_accept", args=[waiting.pk])
    back = reverse("duties:obligation_send_back", args=[waiting.pk])
    html = client_for("district_officer").get(detail).content.decode()
    assert accept in html and back in html and "待审核" in html
    assert accept not in client_for("school_a_head").get(detail).content.decode()
    # The review queue: the list's 待审核 filter, linked for the reviewer.
    listing = client_for("district_officer").get(reverse("duties:obligation_list"))
    assert 'id="review-queue"' in listing.content.decode()
    queue = client_for("district_officer").get(reverse("duties:obligation_list") + "?status=review")
    assert detail in queue.content.decode()
    assert client_for("school_a_head").post(back, {"note": "x", "version": waiting.version}
                                            ).status_code == 403  # fmt: skip
    assert client_for("uni_security").post(accept, {"version": waiting.version}).status_code == 404
    refused = client_for("district_officer").post(back, {"note": "", "version": waiting.version})
    assert refused.status_code == 400 and "必填" in refused.content.decode()
    done = client_for("district_officer").post(
        back, {"note": "缺少照片", "version": waiting.version}
    )
    assert done.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == "pending"
    services.submit_record(waiting.records.first().submitted_by, waiting.pk, evidence=evidence())
    waiting.refresh_from_db()
    assert (
        client_for("district_officer").post(accept, {"version": waiting.version}).status_code == 302
    )
    waiting.refresh_from_db()
    assert waiting.status == "met"


def test_a_units_own_duty_needs_no_review(persona, units):
    d = duty(persona, units, who="uni_security", issuer=UNIVERSITY, name="校内总结",
             proof="record", record_kind="summary", recurrence="yearly",
             requires_review=True)  # fmt: skip
    services.generate_duty(d, timezone.localdate())
    # The university is a school: its duty binds itself, and nobody reviews their own unit.
    ob = Obligation.objects.get(duty=d, unit=units[UNIVERSITY])
    services.submit_record(persona("uni_security"), ob.pk, evidence=evidence())
    ob.refresh_from_db()
    assert ob.status == "met"


PAGE_DUTY = {
    "name": "每季度阶段报告",
    "target": "schools",
    "recurrence": "quarterly",
    "required_count": 1,
    "due_rule": "period_end",
    "proof": "record",
    "record_kind": "stage_report",
    "is_active": "on",
}


@pytest.mark.parametrize(("choice", "expected"), [("", True), ("0", False), ("1", True)])
def test_the_duty_form_sets_the_review_or_keeps_the_default(choice, expected, units, client_for):
    from xiaoan.duties.models import Duty
    from xiaoan.duties.tests.support import DISTRICT

    response = client_for("district_officer").post(
        reverse("duties:duty_create"),
        {**PAGE_DUTY, "issuer": units[DISTRICT].pk, "requires_review": choice},
    )
    assert response.status_code == 302, response.content.decode()[:1000]
    made = Duty.objects.get(name="每季度阶段报告")
    assert made.requires_review is expected
    page = client_for("district_officer").get(reverse("duties:duty_detail", args=[made.pk]))
    assert ("须经发布单位审核通过才算完成" in page.content.decode()) is expected


def test_the_api_issues_a_duty_without_review_when_asked(units, api_for):
    from xiaoan.duties.tests.support import DISTRICT

    body = {
        "name": "演练",
        "issuer": units[DISTRICT].pk,
        "recurrence": "semester",
        "proof": "record",
        "record_kind": "drill",
    }
    made = api_for("district_officer").post("/api/duties/", body, format="json")
    assert made.status_code == 201 and made.json()["requires_review"] is True
    body["requires_review"] = False
    body["name"] = "演练二"
    made = api_for("district_officer").post("/api/duties/", body, format="json")
    assert made.status_code == 201 and made.json()["requires_review"] is False
