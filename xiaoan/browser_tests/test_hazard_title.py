"""The hazard page's heading says what the hazard is (number, a few words, level) and fits a
phone: it wraps inside 390 px, nothing scrolls sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from xiaoan.browser_tests.support import DESKTOP, PHONE, fits_phone, shot

pytestmark = pytest.mark.browser


def test_it_titles_the_hazard_page_on_phone_and_desktop(browse):
    from xiaoan.accounts.models import User
    from xiaoan.hazards import services
    from xiaoan.hazards.choices import HazardLevel
    from xiaoan.orgs.models import Unit

    school = Unit.objects.get(name="梁子湖高级中学")
    officer = User.objects.get(username="school_a_officer")
    hazard = services.report(
        officer,
        school,
        description="二号宿舍楼三楼楼道堆放纸箱、旧桌椅，阻塞疏散通道，夜间照明不足",
    )
    services.confirm(officer, hazard.pk, level=HazardLevel.MAJOR)
    for size, name in ((PHONE, "390"), (DESKTOP, "1280")):
        page = browse.page("school_a_officer", size)
        page.goto(f"/hazards/{hazard.pk}/")
        heading = page.get_by_role("heading", level=1)
        expect(heading).to_contain_text(hazard.number)
        expect(heading).to_contain_text("二号宿舍楼三楼楼道堆放纸箱")
        expect(heading.locator(".badge")).to_have_text("重大隐患")
        expect(page).to_have_title(f"{hazard.number} {hazard.short_title} · 校安")
        box = heading.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= size["width"]
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= size["width"], overflow
        shot(page, f"hazard-title-{name}")


def test_it_answers_a_late_supervision_on_a_phone(browse):
    import datetime as dt

    from django.utils import timezone

    from xiaoan.accounts.models import User
    from xiaoan.hazards import services
    from xiaoan.hazards.models import Supervision
    from xiaoan.orgs.models import Unit

    school = Unit.objects.get(name="梁子湖高级中学")
    officer = User.objects.get(username="school_a_officer")
    hazard = services.report(officer, school, description="食堂燃气报警器失灵")
    services.supervise(
        User.objects.get(username="district_officer"), hazard.pk, reason="涉及食堂燃气安全"
    )
    supervision = Supervision.objects.get(hazard=hazard)
    Supervision.objects.filter(pk=supervision.pk).update(
        answer_due=timezone.localdate() - dt.timedelta(days=1)
    )
    page = browse.page("school_a_officer", PHONE)
    page.goto(f"/hazards/{hazard.pk}/")
    card = page.locator(".supervision-answer")
    expect(card).to_contain_text("逾期未答复")
    expect(page.get_by_text(supervision.number, exact=True)).to_be_visible()
    page.get_by_role("heading", name="答复督办", exact=True).get_by_role("button").click()
    form = page.locator("#act-supervision_answer form")
    form.get_by_label("答复内容").fill("已更换报警器，本周五前完成全部燃气管线检查")
    shot(page, "supervision-answer-form-390")
    form.get_by_role("button", name="答复督办").click()
    expect(card).to_contain_text("已更换报警器")
    expect(card).not_to_contain_text("逾期未答复")
    fits_phone(page)
    shot(page, "supervision-answered-390")
