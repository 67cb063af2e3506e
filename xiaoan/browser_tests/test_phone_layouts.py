"""Lists and grids at phone size (390×844) stay inside the screen (the plan progress grid,
the inspection list, the duties overview), and the navigation reads at 4.5:1 or more.

Screenshots of each page at 390 and 1280 px go to $XIAOAN_SHOTS when it is set."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from xiaoan.browser_tests.support import DESKTOP, PHONE, fits_phone, shot

pytestmark = pytest.mark.browser

# The relative luminance contrast of the first nav link's text on the navbar's background,
# both as the browser computed them (WCAG 2.x formula, alpha composited onto the bar).
CONTRAST_JS = """() => {
  const parse = (c) => c.match(/[\\d.]+/g).map(Number);
  const lin = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
  const lum = ([r, g, b]) => 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  const nav = document.querySelector('nav.navbar');
  const bg = parse(getComputedStyle(nav).backgroundColor);
  const out = [];
  for (const link of nav.querySelectorAll('.navbar-nav .nav-link, .navbar-brand')) {
    const [r, g, b, a = 1] = parse(getComputedStyle(link).color);
    const fg = [r, g, b].map((v, i) => v * a + bg[i] * (1 - a));
    const [hi, lo] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    out.push({text: link.textContent.trim(), ratio: (hi + 0.05) / (lo + 0.05)});
  }
  return out;
}"""


def _plan_with_progress():
    """The district's plan with a task for every school, some reported on, one overdue."""
    from django.utils import timezone

    from xiaoan.accounts.models import User
    from xiaoan.orgs.models import Unit
    from xiaoan.plans import services
    from xiaoan.plans.choices import Progress
    from xiaoan.plans.models import Assignment

    officer = User.objects.get(username="district_officer")
    district = Unit.objects.get(name="梁子湖区教育局")
    plan = services.create_plan(
        officer,
        unit=district,
        title="梁子湖区教育系统安全生产治本攻坚三年行动实施方案",
        document_number="梁教〔2024〕12号",
        start_date=dt.date(2024, 1, 1),
        end_date=dt.date(2026, 12, 31),
    )
    titles = ["严格落实学校安全主体责任", "开展校园安全隐患排查整治", "加强校园消防安全管理"]
    tasks = [
        services.save_task(
            officer,
            plan,
            title=title,
            deadlines=[{"date": "2026-12-31", "label": "", "kind": "date"}],
            all_below=True,
            collective_text="全区中小学幼儿园",
        )
        for title in titles
    ]
    services.activate_plan(officer, plan.pk)
    late = timezone.localdate() - dt.timedelta(days=3)
    tasks[0].__class__.objects.filter(pk=tasks[0].pk).update(due_on=late)
    Assignment.objects.filter(task=tasks[0]).update(due_on=late)
    for i, assignment in enumerate(Assignment.objects.filter(task=tasks[1]).order_by("pk")):
        status = Progress.DONE if i % 3 == 0 else Progress.IN_PROGRESS
        progress = 100 if status == Progress.DONE else 30 + 20 * i % 70
        Assignment.objects.filter(pk=assignment.pk).update(status=status, progress=progress)
    for task in tasks:
        services.recompute(task)
    return plan


def test_it_keeps_lists_and_grids_inside_a_phone_screen(browse):
    from xiaoan.duties.demo import load_duties
    from xiaoan.inspections.models import Inspection

    plan = _plan_with_progress()
    load_duties()
    inspection = Inspection.objects.order_by("pk").first()
    pages = {
        "plan": f"/plans/{plan.pk}/",
        "inspections": "/inspections/",
        "duties-overview": "/duties/obligations/overview/",
    }
    extra = {"inspection": f"/inspections/{inspection.pk}/", "coverage": "/inspections/coverage/"}
    for size, viewport in (("390", PHONE), ("1280", DESKTOP)):
        page = browse.page("district_officer", viewport)
        for name, url in {**pages, **extra}.items():
            page.goto(url)
            expect(page.locator("main h1")).to_be_visible()
            if viewport is PHONE and name in pages:
                fits_phone(page)
            shot(page, f"{name}-{size}")

    page = browse.page("district_officer", PHONE)
    page.goto(pages["plan"])
    # Phones: tasks are cards with a bar; the grid keeps its unit column in place.
    cards = page.locator("#task-cards .card")
    expect(cards).to_have_count(3)
    expect(cards.first.locator("progress")).to_be_visible()
    expect(cards.first).to_contain_text("已逾期")
    unit = page.locator("#progress-table tbody th").first
    box = unit.bounding_box()
    assert box["width"] >= 100, "unit names must not wrap one character per line"
    assert unit.evaluate("e => getComputedStyle(e).position") == "sticky"
    page.goto(pages["inspections"])
    expect(page.locator("#inspection-cards .card").first).to_be_visible()
    expect(page.get_by_label("月份")).to_be_visible()


def test_it_shows_navigation_legibly_with_a_focus_ring_and_a_skip_link(browse):
    page = browse.page("district_officer", DESKTOP)
    page.goto("/")
    ratios = page.evaluate(CONTRAST_JS)
    assert ratios, "no navigation links"
    for item in ratios:
        assert item["ratio"] >= 4.5, item
    for label in ("统计报表", "培训演练", "预警", "安全台账"):
        expect(page.locator("nav.navbar").get_by_text(label, exact=True)).to_have_count(0)

    # The first Tab reaches the skip link; following it lands in the main content.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="跳到正文")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Tab")
    outline = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, parseFloat(s.outlineWidth)]; }"
    )
    assert outline[0] != "none" and outline[1] >= 2, outline
    page.goto("/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_it_shows_the_plan_list_as_cards_on_a_phone_and_a_table_on_a_desktop(browse):
    plan = _plan_with_progress()
    phone = browse.page("district_officer", PHONE)
    phone.goto("/plans/")
    card = phone.locator("#plan-cards .card").filter(has_text=plan.title)
    expect(card).to_be_visible()
    expect(card).to_contain_text("已逾期")
    expect(card).to_contain_text("3 项任务")
    expect(card.locator("progress")).to_be_visible()
    expect(phone.locator("table").first).to_be_hidden()
    fits_phone(phone)
    shot(phone, "plans-390")
    card.click()
    expect(phone.locator("main h1")).to_have_text(plan.title)

    desktop = browse.page("district_officer", DESKTOP)
    desktop.goto("/plans/")
    expect(desktop.locator("#plan-cards")).to_be_hidden()
    expect(desktop.locator("table").first.get_by_text(plan.title)).to_be_visible()
    shot(desktop, "plans-1280")
