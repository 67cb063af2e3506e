"""The hazard page's heading says what the hazard is (number, a few words, level) and fits a
phone: it wraps inside 390 px, nothing scrolls sideways."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from xiaoan.browser_tests.support import DESKTOP, PHONE

pytestmark = pytest.mark.browser
SHOTS = Path(os.environ.get("XIAOAN_SHOTS", "/tmp/shots-hz11"))


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
    SHOTS.mkdir(parents=True, exist_ok=True)
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
        page.screenshot(path=str(SHOTS / f"hazard-title-{name}.png"))
