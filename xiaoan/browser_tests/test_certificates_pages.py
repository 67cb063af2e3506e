"""持证上岗 and the hot-work request in the browser: the register's list and record show ID
numbers masked, the request form offers the school's certified welders; at desktop and
phone size, with no console or CSP errors.

Screenshots go to $XIAOAN_SHOTS when it is set."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from xiaoan.browser_tests.support import DESKTOP, PHONE, fits_phone, shot

pytestmark = pytest.mark.browser


def test_certificates_are_masked_and_welders_offered(browse):
    from xiaoan.certificates.demo import load_certificates
    from xiaoan.certificates.models import Certificate

    load_certificates()
    welder = Certificate.objects.get(name="周建国")
    page = browse.page("school_a_officer", DESKTOP)
    page.goto("/certificates/")
    expect(page.locator("main")).to_contain_text("周建国")
    assert welder.id_number not in page.content()
    expect(page.locator("main")).to_contain_text(welder.id_number[:6] + "********")
    shot(page, "certificates-list-1280")
    page.get_by_role("link", name="周建国").click()
    expect(page.locator("main")).to_contain_text("证书到期")
    assert welder.id_number not in page.content()
    shot(page, "certificates-detail-1280")

    head = browse.page("school_a_head", PHONE)
    head.goto("/hot-work/new/")
    expect(head.get_by_label("动火作业人员（持证）")).to_contain_text("周建国")
    fits_phone(head)
    shot(head, "hotwork-request-390")
    assert browse.problems == []
