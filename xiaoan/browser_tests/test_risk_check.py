"""A control check on a phone (390×844): the measure's person opens their due checks from
the home page's to-do, picks a measure, taps 未落实 with a photo — refused without saying what
is wrong — then with a note it is recorded once, becomes a hazard of the ledger, and the risk
point's page shows the failed check and the hazard; no console or CSP errors on the way."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from xiaoan.browser_tests.support import PHONE, fits_phone, jpeg, shot

pytestmark = pytest.mark.browser


def test_it_records_a_failed_control_check_on_a_phone(browse):
    from django.utils import timezone

    from xiaoan.risks.demo import load_risks
    from xiaoan.risks.models import ControlCheck, ControlMeasure, RiskPoint

    assert load_risks() > 0
    # Make one of the owner's measures due today.
    measure = ControlMeasure.objects.filter(owner__username="school_a_owner").order_by("pk").last()
    ControlMeasure.objects.filter(pk=measure.pk).update(
        next_due=timezone.localdate() - dt.timedelta(days=1)
    )
    point = RiskPoint.objects.get(pk=measure.risk_point_id)
    before = ControlCheck.objects.count()

    page = browse.page("school_a_owner", PHONE)
    page.goto("/")
    page.get_by_role("link", name=re.compile("风险管控检查待完成")).click()
    expect(page).to_have_url(re.compile(r"/risks/my-checks/$"))
    fits_phone(page)
    shot(page, "risk-my-checks-390")
    page.locator(f"a[href$='/risks/{point.pk}/check/?measure={measure.pk}']").click()
    expect(page.locator("#risk-check-form")).to_be_visible()
    expect(page.get_by_label("管控措施")).to_have_value(str(measure.pk))
    fits_phone(page)
    page.get_by_text("未落实（形成隐患）").click()
    page.get_by_label("照片").set_input_files(jpeg())
    page.get_by_role("button", name="提交检查").click()

    # Refused (400 by design: set aside that console line only).
    expect(page.get_by_role("alert")).to_contain_text("请填写检查情况")
    browse.problems[:] = [p for p in browse.problems if "status of 400" not in p]
    assert ControlCheck.objects.count() == before
    fits_phone(page)
    shot(page, "risk-check-refused-390")

    page.get_by_text("未落实（形成隐患）").click()
    page.get_by_label("检查情况").fill("配电箱门未上锁，内有杂物")
    page.get_by_label("照片").set_input_files(jpeg())
    page.get_by_role("button", name="提交检查").click()
    expect(page).to_have_url(re.compile(r"/risks/my-checks/$"))
    expect(page.get_by_text("已登记为隐患")).to_be_visible()
    assert ControlCheck.objects.count() == before + 1
    check = ControlCheck.objects.latest("pk")
    assert check.result == "failed" and check.hazard_id and check.photo

    page.goto(f"/risks/{point.pk}/")
    expect(page.locator("#risk-checks")).to_contain_text("配电箱门未上锁")
    expect(
        page.locator("#risk-checks").get_by_role("link", name=check.hazard.number)
    ).to_be_visible()
    fits_phone(page)
    shot(page, "risk-point-390")


def test_it_places_a_risk_point_on_the_plan(browse):
    """四色图 on a desktop: upload a plan, click on it, place a point: its coloured marker sits
    where it was clicked (our own script positions it; no CSP complaint)."""
    from xiaoan.browser_tests.support import DESKTOP
    from xiaoan.risks.demo import load_risks
    from xiaoan.risks.models import RiskPoint

    load_risks()
    point = RiskPoint.objects.filter(unit__name="梁子湖高级中学").order_by("pk").first()
    page = browse.page("school_a_officer", DESKTOP)
    page.goto("/risks/plans/new/")
    page.get_by_label("图名").fill("校园总平面图")
    page.get_by_label("平面图（JPG/PNG）").set_input_files(jpeg("#dddddd", (800, 500)))
    page.get_by_role("button", name="上传").click()
    expect(page).to_have_url(re.compile(r"/risks/plans/\d+/$"))
    image = page.locator("#risk-map img")
    expect(image).to_have_js_property("complete", True)
    box = image.bounding_box()
    image.click(position={"x": box["width"] * 0.25, "y": box["height"] * 0.5})
    expect(page.locator("#risk-map-pick")).to_be_visible()
    page.get_by_label("先在图上点选位置，再选择风险点").select_option(str(point.pk))
    page.get_by_role("button", name="标注到此处").click()
    expect(page.get_by_text("已标注风险点位置")).to_be_visible()
    point.refresh_from_db()
    assert abs(float(point.plan_x) - 0.25) < 0.02 and abs(float(point.plan_y) - 0.5) < 0.02
    marker = page.locator("#risk-map a.risk-marker").first
    expect(marker).to_be_visible()
    image = page.locator("#risk-map img")
    box, spot = image.bounding_box(), marker.bounding_box()
    centre_x = spot["x"] + spot["width"] / 2 - box["x"]
    assert abs(centre_x / box["width"] - 0.25) < 0.03
    shot(page, "risk-plan-desktop")
