"""Hot work at phone size (390×844): the supervisor (监护人) named on an approved permit
finds it on their page, records the start with a photo of the site inside the window and
then the finish with a photo of the cleared site; every page stays inside the screen and
the browser reports no console or CSP errors.

Screenshots go to $XIAOAN_SHOTS when it is set."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from xiaoan.browser_tests.support import PHONE, fits_phone, jpeg, shot

pytestmark = pytest.mark.browser


def _approved_permit() -> int:
    import datetime as dt

    from django.utils import timezone

    from xiaoan.accounts.models import User
    from xiaoan.certificates.registers import CERTIFICATES
    from xiaoan.core import registers
    from xiaoan.hotwork import services
    from xiaoan.orgs.models import Unit

    school = Unit.objects.get(name="梁子湖高级中学")
    officer = User.objects.get(username="school_a_officer")
    today = timezone.localdate()
    welder = registers.create(
        CERTIFICATES,
        officer,
        {
            "unit": school,
            "name": "周建国",
            "post": "welder",
            "kind": "welding",
            "code": "T-PHONE-1",
            "valid_from": today - dt.timedelta(days=300),
            "valid_until": today + dt.timedelta(days=300),
        },
    )
    now = timezone.now()
    permit = services.request_permit(
        User.objects.get(username="school_a_head"),
        unit=school,
        location="学生食堂后厨排烟管道",
        work_type="electric_welding",
        description="更换排烟管道支架，电焊固定",
        starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(hours=3),
        operator=welder,
        precautions="清除油污，配备灭火器两具",
    )
    services.approve(officer, permit.pk, supervisor=User.objects.get(username="school_a_owner").pk)
    return permit.pk


def test_the_supervisor_starts_and_finishes_hot_work_on_a_phone(browse):
    pk = _approved_permit()
    page = browse.page("school_a_owner", PHONE)
    page.goto("/hot-work/mine/")
    expect(page.locator("#my-permits")).to_contain_text("学生食堂后厨排烟管道")
    expect(page.locator("#my-permits")).to_contain_text("待开工")
    fits_phone(page)
    shot(page, "hotwork-mine-390")

    page.locator("#my-permits a").first.click()
    expect(page.locator("#permit-status")).to_have_text("已批准待开工")
    fits_phone(page)
    shot(page, "hotwork-start-390")
    form = page.locator("#act-start")
    form.get_by_label("作业前现场照片").set_input_files(jpeg("#2e86c1"))
    form.get_by_label("说明").fill("灭火器两具到位，可燃物已清除")
    form.get_by_role("button", name="开工").click()
    expect(page.locator("#permit-status")).to_have_text("作业中")
    expect(page.locator("main")).to_contain_text("灭火器两具到位")
    fits_phone(page)

    form = page.locator("#act-finish")
    form.get_by_label("作业后现场照片").set_input_files(jpeg("#27ae60"))
    form.get_by_role("button", name="完工").click()
    expect(page.locator("#permit-status")).to_have_text("已完工")
    expect(page.locator(".record-timeline img")).to_have_count(2)
    fits_phone(page)
    shot(page, "hotwork-closed-390")
    assert page.url.endswith(f"/hot-work/{pk}/")
    assert browse.problems == []
