"""The main journeys on a phone (390×844): 随手拍, a self-check, rectification, verification."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from xiaoan.browser_tests.support import PHONE, jpeg

pytestmark = pytest.mark.browser


def open_menu_item(page, name: str) -> None:
    """On a phone the main navigation sits behind the menu button."""
    page.get_by_role("button", name="菜单").click()
    page.get_by_role("link", name=name, exact=True).click()


def task(page, section: str, text: str):
    """A hazard's link in one section of 我的待办 (a hazard may stand in several)."""
    return (
        page.locator("section")
        .filter(has_text=section)
        .get_by_role("link", name=re.compile(re.escape(text)))
    )


def action_form(page, action: str, field: str):
    """The record page's form of one action (an accordion section), opened if it is shut;
    found by the label of one of its fields."""
    header = page.get_by_role("heading", name=action, exact=True).get_by_role("button")
    if header.get_attribute("aria-expanded") != "true":
        header.click()
    form = page.locator("form").filter(has=page.get_by_label(field))
    expect(form).to_be_visible()
    return form


def test_it_reports_a_hazard_with_a_photo(browse):
    from xiaoan.hazards.models import Hazard

    page = browse.page("school_b_teacher", PHONE)
    open_menu_item(page, "我的待办")
    page.get_by_role("link", name="随手拍").click()
    expect(page.get_by_role("heading", name="随手拍")).to_be_visible()

    page.get_by_label("照片").set_input_files(jpeg())
    page.get_by_label("一句话说明隐患").fill("教学楼二楼走廊灯管松动，随时可能掉落")
    page.get_by_label("具体位置").fill("教学楼二楼东侧走廊")
    page.get_by_role("button", name="提交").click()

    expect(page.get_by_text(re.compile(r"已上报隐患，编号"))).to_be_visible()
    expect(page.get_by_text("教学楼二楼走廊灯管松动，随时可能掉落").first).to_be_visible()
    photo = page.get_by_role("img", name="隐患照片").first
    expect(photo).to_have_js_property("complete", True)
    assert photo.evaluate("img => img.naturalWidth") > 0  # the photo really loads
    hazard = Hazard.objects.get(description="教学楼二楼走廊灯管松动，随时可能掉落")
    assert hazard.unit.name == "东沟镇中心小学"
    assert hazard.photos.count() == 1

    # The reporter finds it again among their own reports.
    open_menu_item(page, "我的待办")
    expect(task(page, "我上报的隐患", "教学楼二楼走廊灯管松动")).to_be_visible()


def test_it_runs_a_self_check_from_the_list_to_submission(browse):
    from xiaoan.inspections.choices import InspectionKind
    from xiaoan.inspections.models import Inspection

    check = (
        Inspection.objects.filter(
            unit__name="梁子湖高级中学", kind=InspectionKind.SELF_CHECK, status="planned"
        )
        .order_by("scheduled_on", "pk")
        .first()
    )
    assert check is not None, "the demo generates this month's self-checks"
    page = browse.page("school_a_officer", PHONE)
    open_menu_item(page, "检查排查")
    page.get_by_role("link", name=check.title).first.click()
    page.get_by_role("link", name="开始检查").click()
    expect(page).to_have_url(re.compile(rf"/inspections/{check.pk}/run/$"))

    items = page.locator(".run-item")
    count = items.count()
    assert count > 1
    for index in range(count):
        item = items.nth(index)
        item.get_by_text("不符合" if index == 0 else "符合", exact=True).click()
        if index == 0:
            item.get_by_role("textbox").fill("二楼配电箱门未上锁，箱内积灰")
        if index == 0 or item.get_by_text("须拍照").count():
            item.get_by_label("照片").set_input_files(jpeg("#8e44ad"))
    page.get_by_label("检查结论").fill("发现 1 项问题，已转入隐患台账。")
    page.get_by_role("button", name="提交检查").click()

    expect(page).to_have_url(re.compile(rf"/inspections/{check.pk}/$"))
    expect(page.get_by_text("二楼配电箱门未上锁，箱内积灰").first).to_be_visible()
    check.refresh_from_db()
    assert check.status == "submitted"
    failed = check.results.get(result="fail")
    assert failed.photos.count() == 1


def test_it_rectifies_then_verifies_and_closes_a_hazard(browse):
    from xiaoan.hazards.models import Hazard

    hazard = Hazard.objects.get(description__startswith="二号宿舍楼三楼楼道堆放纸箱")
    assert hazard.status == "rectifying"

    # The owner: from their tasks to the record, the after-photo, and submission.
    owner = browse.page("school_a_owner", PHONE)
    open_menu_item(owner, "我的待办")
    task(owner, "我负责整改的隐患", "二号宿舍楼三楼楼道堆放纸箱").click()
    form = action_form(owner, "提交验收", "整改完成情况")
    form.get_by_label("整改完成情况").fill("杂物已全部清走，楼道张贴禁止堆放标识")
    form.get_by_label("整改后照片").set_input_files(jpeg("#27ae60"))
    form.get_by_role("button", name="提交验收").click()
    expect(owner.get_by_text("已完成：提交验收。")).to_be_visible()
    hazard.refresh_from_db()
    assert hazard.status == "submitted"
    assert hazard.photos.filter(kind="after").count() == 1

    # The verifier: the submitted hazard waits in their tasks; they pass it and it is closed.
    officer = browse.page("school_a_officer", PHONE)
    open_menu_item(officer, "我的待办")
    task(officer, "待我验收", "二号宿舍楼三楼楼道堆放纸箱").click()
    expect(officer.get_by_role("img", name="整改后", exact=True).first).to_be_visible()
    form = action_form(officer, "验收", "验收意见")
    form.get_by_label("验收意见").fill("现场复核，通道畅通，同意销号")
    form.get_by_role("button", name="验收通过，销号").click()
    expect(officer.get_by_text("已完成：验收。")).to_be_visible()
    hazard.refresh_from_db()
    assert hazard.status == "closed"
    assert hazard.closed_by.username == "school_a_officer"
