"""The indicator pages for the personas who use them, refused to the others: list, detail,
report, the value with its review, the evidence file, an authority's own indicator and
target; to-dos and the dashboard section."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xiaoan.core.todos import todos_for
from xiaoan.indicators.choices import ValueStatus
from xiaoan.indicators.models import Indicator, IndicatorValue, Target
from xiaoan.indicators.providers import provider_for
from xiaoan.indicators.tests.support import REPORTED, REPORTED_MEAN, YEAR, ind, pdf, put

pytestmark = pytest.mark.django_db

DISTRICT, A, B = "梁子湖区教育局", "梁子湖高级中学", "东沟镇中心小学"


def test_it_shows_a_unit_its_indicators_red_where_behind(client_for, demo):
    put(REPORTED, demo[A], 100)
    put(REPORTED_MEAN, demo[A], 40)
    page = client_for("school_a_officer").get(reverse("indicators:indicator_list"))
    assert page.status_code == 200
    html = page.content.decode()
    assert f"{A} · 2026 年度指标" in html
    closed = html.split(f'data-indicator="{REPORTED}"')[1].split("data-indicator=")[0]
    assert "border-success" in closed and "已达标" in closed
    bus = html.split(f'data-indicator="{REPORTED_MEAN}"')[1].split("data-indicator=")[0]
    assert "border-danger" in bus and "未达标" in bus and "40" in bus


@pytest.mark.parametrize(
    "who, query, status",
    [
        ("district_officer", "", 200),
        ("auditor", "?unit={a}", 200),
        ("school_a_officer", "?unit={b}", 404),
        ("school_a_officer", "?unit=abc", 404),
        ("school_a_officer", "?year=abc", 400),
        ("school_b_teacher", "", 403),
        ("expert", "", 403),
    ],
)
def test_it_scopes_the_list(client_for, demo, who, query, status):
    url = reverse("indicators:indicator_list") + query.format(a=demo[A].pk, b=demo[B].pk)
    page = client_for(who).get(url)
    assert page.status_code == status
    if status == 400:
        assert "年度无效" in page.content.decode()


def test_it_shows_each_unit_one_level_down_and_the_reported_values(client_for, demo):
    put(REPORTED_MEAN, demo[A], 100)
    put(REPORTED_MEAN, demo[B], 10, status=ValueStatus.PENDING)
    pk = ind(REPORTED_MEAN).pk
    url = reverse("indicators:indicator_detail", args=[pk]) + f"?unit={demo[DISTRICT].pk}"
    html = client_for("district_officer").get(url).content.decode()
    row_a = html.split(f'data-unit="{demo[A].pk}"')[1].split("</tr>")[0]
    assert "100" in row_a and "已达标" in row_a
    row_b = html.split(f'data-unit="{demo[B].pk}"')[1].split("</tr>")[0]
    assert "未填报" in row_b  # pending: not counted yet
    assert "待审核" in html.split('id="reported-values"')[1]
    assert client_for("uni_security").get(url).status_code == 404
    assert client_for("school_b_teacher").get(url).status_code == 403


def test_it_walks_a_report_through_its_review_on_the_pages(client_for, demo):
    school, district = client_for("school_a_officer"), client_for("district_officer")
    pk = ind("safety-spending").pk
    form = reverse("indicators:indicator_report", args=[pk])
    assert school.get(form).status_code == 200
    assert district.get(form).status_code == 403  # the district reviews, it does not report
    bad = school.post(form, {"unit": demo[A].pk, "year": YEAR, "value": "66", "note": ""})
    assert bad.status_code == 400 and "必填" in bad.content.decode()
    done = school.post(
        form,
        {"unit": demo[A].pk, "year": YEAR, "value": "66", "note": "预算批复", "evidence": pdf()},
    )
    row = IndicatorValue.objects.get(unit=demo[A], indicator_id=pk)
    assert done.status_code == 302 and done["Location"].endswith(f"/values/{row.pk}/")
    detail = reverse("indicators:indicatorvalue_detail", args=[row.pk])
    assert "审核通过" not in school.get(detail).content.decode()
    head = client_for("school_a_head")
    accept = reverse("indicators:indicatorvalue_accept", args=[row.pk])
    assert head.post(accept, {"version": row.version}).status_code == 403
    back = reverse("indicators:indicatorvalue_send_back", args=[row.pk])
    refused = district.post(back, {"version": row.version, "note": ""})
    assert refused.status_code == 400
    assert district.post(back, {"version": row.version, "note": "缺少批复"}).status_code == 302
    row.refresh_from_db()
    assert row.status == ValueStatus.RETURNED
    html = school.get(detail).content.decode()
    assert "缺少批复" in html and "重新填报" in html
    again = reverse("indicators:indicatorvalue_resubmit", args=[row.pk])
    assert (
        district.post(again, {"version": row.version, "value": "1", "note": "x"}).status_code == 403
    )
    assert (
        school.post(again, {"version": row.version, "value": "61", "note": "补"}).status_code == 302
    )
    row.refresh_from_db()
    assert district.post(accept, {"version": row.version}).status_code == 302
    row.refresh_from_db()
    assert (row.status, row.value) == (ValueStatus.ACCEPTED, 61)
    timeline = district.get(detail).content.decode()
    for step in ("填报", "退回", "重新填报", "审核通过"):
        assert step in timeline
    stale = district.post(accept, {"version": row.version})
    assert stale.status_code == 302  # 409 on the page: a message on the record


def test_it_serves_evidence_only_to_who_may_see_the_value(client_for, demo):
    row = put("smoke-alarms", demo[A], 100)
    row.evidence.save("proof.pdf", pdf(), save=False)
    row.evidence_name = "proof.pdf"
    row.save()
    url = reverse("indicators:indicatorvalue_file", args=[row.pk])
    got = client_for("district_officer").get(url)
    assert got.status_code == 200 and b"".join(got.streaming_content).startswith(b"%PDF")
    assert client_for("uni_security").get(url).status_code == 404
    assert client_for("school_b_teacher").get(url).status_code == 403
    detail = reverse("indicators:indicatorvalue_detail", args=[row.pk])
    assert client_for("uni_security").get(detail).status_code == 404


def test_it_lists_values_and_the_review_queue(client_for, demo, persona):
    put("smoke-alarms", demo[A], 100, status=ValueStatus.PENDING)
    put("smoke-alarms", demo[B], 100, status=ValueStatus.PENDING, by=persona("school_b_teacher"))
    url = reverse("indicators:indicatorvalue_list")
    queue = client_for("district_officer").get(url + "?status=review").content.decode()
    assert queue.count("待审核") >= 2 and A in queue and B in queue
    mine = client_for("school_a_officer").get(url + "?status=review").content.decode()
    assert A not in mine.split('id="value-list"')[1]  # its own school is not its to review
    assert client_for("school_b_teacher").get(url).status_code == 403


def test_it_lets_the_district_add_an_indicator_and_a_target(client_for, demo):
    district = client_for("district_officer")
    new = reverse("indicators:indicator_create")
    assert district.get(new).status_code == 200
    assert client_for("school_a_head").get(new).status_code == 403
    made = district.post(
        new,
        {
            "owner": demo[DISTRICT].pk,
            "code": "water-signs",
            "name": "重点水域警示标志",
            "measure": "%",
            "direction": "higher",
            "rollup": "share",
        },
    )
    indicator = Indicator.objects.get(code="water-signs")
    assert made.status_code == 302 and indicator.owner == demo[DISTRICT]
    target = reverse("indicators:indicator_target", args=[indicator.pk])
    assert client_for("school_a_head").get(target).status_code == 403
    assert (
        district.post(
            target, {"owner": demo[DISTRICT].pk, "year": YEAR, "value": "100"}
        ).status_code
        == 302
    )
    assert Target.objects.get(indicator=indicator).value == 100
    spending = reverse("indicators:indicator_target", args=[ind("safety-spending").pk])
    looser = district.post(spending, {"owner": demo[DISTRICT].pk, "year": YEAR, "value": "30"})
    assert looser.status_code == 400 and "不能低于上级目标 60" in looser.content.decode()


def test_it_gives_reviewers_and_schools_their_todos(demo, persona):
    put("safety-spending", demo[A], 100, status=ValueStatus.PENDING)
    district = {t.key: t for t in todos_for(persona("district_officer"))}
    assert district["indicators.review"].count == 1
    assert "indicators.report" not in district  # schools report, not the bureau
    school = {t.key: t for t in todos_for(persona("school_a_officer"))}
    # A is a boarding school: every indicator applies; those a register computes (smoke
    # alarms, guards, fire team, rescue squad) are never the school's to report.
    reported = [i for i in Indicator.objects.filter(is_active=True) if provider_for(i.code) is None]
    assert len(reported) < Indicator.objects.filter(is_active=True).count()
    assert school["indicators.report"].count == len(reported) - 1
    assert "indicators.review" not in school


def test_it_adds_its_section_to_the_dashboard(api_for, demo):
    for name in (A, B):
        put(REPORTED, demo[name], 100)
    board = api_for("district_officer").get(f"/api/dashboard/?unit={demo[DISTRICT].pk}").json()
    section = next(s for s in board["sections"] if s["key"] == "indicators")
    figures = {f["key"]: f for f in section["figures"]}
    assert figures[REPORTED]["value"] == pytest.approx(16.67)
    assert figures[REPORTED]["bad"] is True
    total = Indicator.objects.filter(is_active=True).count()
    assert figures["behind"]["value"] == total
    ranking = {r["unit"]["name"]: r["values"] for r in board["ranking"]["rows"]}
    assert ranking[A]["indicators.behind"] == total - 1
    assert ranking["梁子镇初级中学"]["indicators.behind"] == total
    column = next(c for c in board["ranking"]["columns"] if c["key"] == "indicators.behind")
    assert column["weight"] == 1
    assert "指标完成情况" in section["title"]
