"""销号复核 as its people meet it: the district's officer opens the month's sample at desktop
size and sees that it is reproducible; the reviewer records a re-inspection from a phone
(390×844); the school's officer finds the hazard the failed review sent back, marked 假整改.
No console or CSP errors on the way."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from xiaoan.browser_tests.support import DESKTOP, PHONE, fits_phone, shot

pytestmark = pytest.mark.browser


def test_it_draws_reviews_and_sends_back_a_false_fix(browse):
    from xiaoan.closure.demo import load_closure
    from xiaoan.closure.models import ClosureReview, ClosureSample

    assert load_closure() == 1
    sample = ClosureSample.objects.get()
    pending = ClosureReview.objects.filter(sample=sample, status="pending").first()
    failed = ClosureReview.objects.get(sample=sample, status="failed")

    page = browse.page("district_officer", DESKTOP)
    page.goto("/closure/")
    page.get_by_role("link", name=sample.title).click()
    expect(page.locator("#reproducible")).to_contain_text("可复现")
    shot(page, "closure-sample-1280")

    if pending is not None:
        phone = browse.page("district_supervisor", PHONE)
        phone.goto(f"/closure/reviews/{pending.pk}/")
        phone.get_by_label("整改属实，复核合格").check()
        phone.get_by_label("复核意见").fill("现场查看，整改到位")
        fits_phone(phone)
        shot(phone, "closure-review-390")
        phone.get_by_role("button", name="登记复核结果").click()
        expect(phone.locator(".alert-success").first).to_be_visible()
        pending.refresh_from_db()
        assert pending.status == "passed"

    school = browse.page("school_a_officer", PHONE)
    school.goto(f"/hazards/{failed.hazard_id}/")
    expect(school.locator("#hazard-fake")).to_have_text("假整改")
    fits_phone(school)
    shot(school, "closure-fake-hazard-390")
