"""The daily pre-trip check of a school bus on a phone (390×844): pick the bus, tick all
正常 at once, mark the tyres 异常 with a photo — refused without a note, with every tick and
the photo kept — then with a note it goes through once, the photo not chosen again, and a
hazard is raised; no console or CSP errors on the way."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from xiaoan.browser_tests.support import PHONE, fits_phone, jpeg, shot

pytestmark = pytest.mark.browser


def test_it_checks_a_bus_before_its_trip_on_a_phone(browse):
    from xiaoan.buses.choices import CHECK_ITEMS
    from xiaoan.buses.demo import load_buses
    from xiaoan.buses.models import Bus, BusCheck
    from xiaoan.hazards.models import Hazard

    load_buses()
    page = browse.page("school_a_officer", PHONE)
    page.goto("/buses/check/")
    fits_phone(page)
    shot(page, "bus-check-buses-390")
    page.get_by_role("link").filter(has_text="鄂GA1001").click()
    items = page.locator(".check-item")
    expect(items).to_have_count(len(CHECK_ITEMS))
    fits_phone(page)

    page.get_by_role("button", name="其余全部正常").click()
    expect(page.locator("#bus-answered")).to_have_text(str(len(CHECK_ITEMS)))
    tyres = page.locator("#item-tyres")
    tyres.get_by_text("异常", exact=True).click()
    expect(tyres).to_have_class(re.compile("border-danger"))
    page.get_by_label("照片（可选）").set_input_files(jpeg())
    page.get_by_role("button", name="提交检查").click()

    # Refused (400 by design: set aside that console line only): every tick is kept.
    expect(page.get_by_role("alert")).to_contain_text("须写明异常情况")
    browse.problems[:] = [
        p for p in browse.problems if not ("/buses/check/" in p and "status of 400" in p)
    ]
    expect(page.locator("#bus-answered")).to_have_text(str(len(CHECK_ITEMS)))
    expect(tyres.locator("input[value=failed]")).to_be_checked()
    expect(page.locator("#item-brakes input[value=ok]")).to_be_checked()
    assert not BusCheck.objects.exists()
    kept = page.get_by_role("img", name="已保留的照片")
    expect(kept).to_be_visible()
    assert kept.evaluate("img => img.naturalWidth") > 0
    fits_phone(page)
    shot(page, "bus-check-refused-390")

    page.get_by_label("异常情况说明").fill("左后轮胎压不足")
    page.get_by_role("button", name="提交检查").click()
    expect(page).to_have_url(re.compile(r"/buses/checks/\d+/$"))
    expect(page.get_by_text("左后轮胎压不足")).to_be_visible()
    photo = page.get_by_role("img", name="检查照片")
    expect(photo).to_have_js_property("complete", True)
    assert photo.evaluate("img => img.naturalWidth") > 0
    fits_phone(page)
    shot(page, "bus-check-done-390")
    done = BusCheck.objects.get()
    assert done.result == "failed" and done.items["tyres"] == "failed"
    assert done.hazard is not None and Hazard.objects.filter(pk=done.hazard_id).exists()
    assert Bus.objects.get(plate="鄂GA1001").last_check_result == "failed"
